/**
 * COCO run-length encoding of binary masks, as pycocotools' maskApi.c defines it
 * (https://github.com/cocodataset/cocoapi/blob/master/common/maskApi.c):
 * pixels are visited in column-major order (down each column, then the next column) and `counts` alternates runs
 * of 0s and 1s, starting with 0s (so a mask whose first pixel is set starts with a 0-length run).
 * The compressed string form stores each count as 5-bit groups offset by 48 (`'0'`), with counts after the second
 * stored as the difference to the count two places before.
 */
export interface Rle {
  /** Mask height, pixels. */
  h: number;
  /** Mask width, pixels. */
  w: number;
  /** Run lengths, alternating 0-runs and 1-runs, summing to `h*w`. */
  counts: Uint32Array;
}

/** A COCO segmentation as it appears in JSON: polygons, an uncompressed RLE or a compressed (string) RLE. */
export type CocoSegmentation = number[][] | { size: [number, number]; counts: number[] | string };

/** Encodes a binary mask given in column-major order (`mask[x * h + y]`, as pycocotools' Fortran arrays). */
export function encodeColumnMajor(mask: ArrayLike<number>, h: number, w: number): Rle {
  const n = h * w;
  const counts: number[] = [];
  let prev = 0;
  let run = 0;
  for (let i = 0; i < n; i++) {
    const v = mask[i] ? 1 : 0;
    if (v !== prev) {
      counts.push(run);
      run = 0;
      prev = v;
    }
    run++;
  }
  counts.push(run);
  return { h, w, counts: Uint32Array.from(counts) };
}

/** Encodes a binary mask given in row-major order (`mask[y * w + x]`, as images and canvases store it). */
export function encodeRowMajor(mask: ArrayLike<number>, h: number, w: number): Rle {
  const col = new Uint8Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) col[x * h + y] = mask[y * w + x] ? 1 : 0;
  return encodeColumnMajor(col, h, w);
}

/** Decodes to a column-major mask (`[h*w]`, 0/1). */
export function decodeColumnMajor(rle: Rle): Uint8Array {
  const out = new Uint8Array(rle.h * rle.w);
  let p = 0;
  let v = 0;
  for (const c of rle.counts) {
    if (v) out.fill(1, p, Math.min(out.length, p + c));
    p += c;
    v ^= 1;
  }
  return out;
}

/** Number of set pixels (maskApi `rleArea`). */
export function rleArea(rle: Rle): number {
  let a = 0;
  for (let i = 1; i < rle.counts.length; i += 2) a += rle.counts[i]!;
  return a;
}

/** COCO's compressed string form (maskApi `rleToString`). */
export function rleToString(counts: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < counts.length; i++) {
    // Counts past the second are delta-coded against the count two back (same-colour run), so they may be negative.
    let x = counts[i]! - (i > 2 ? counts[i - 2]! : 0);
    let more = true;
    while (more) {
      let c = x & 0x1f;
      x >>= 5;
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      s += String.fromCharCode(c + 48);
    }
  }
  return s;
}

/** Parses COCO's compressed string form (maskApi `rleFrString`); throws on characters outside the code range. */
export function rleFromString(s: string, h: number, w: number): Rle {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) throw new Error(`RLE string ends inside a count (at character ${p})`);
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new Error(`RLE string has an invalid character '${s[p]}' at ${p}`);
      x |= (c & 0x1f) << (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2]!;
    counts.push(x);
  }
  for (let i = 0; i < counts.length; i++) if (counts[i]! < 0) throw new Error(`RLE string decodes to a negative run at count ${i}`);
  return { h, w, counts: Uint32Array.from(counts) };
}

/**
 * Intersection and union areas of two masks without materialising them (what `area(merge([a, b], True/False))`
 * gives in pycocotools). Masks of different sizes give 0/0, as maskApi's `rleMerge` does.
 */
export function rleIntersectionUnion(a: Rle, b: Rle): { intersection: number; union: number } {
  if (a.h !== b.h || a.w !== b.w) return { intersection: 0, union: 0 };
  const ca = a.counts;
  const cb = b.counts;
  let ia = 0;
  let ib = 0;
  let ra = ca.length ? ca[0]! : 0;
  let rb = cb.length ? cb[0]! : 0;
  let va = 0;
  let vb = 0;
  let inter = 0;
  let union = 0;
  let left = a.h * a.w;
  while (left > 0) {
    while (ra === 0 && ia + 1 < ca.length) {
      ia++;
      ra = ca[ia]!;
      va ^= 1;
    }
    while (rb === 0 && ib + 1 < cb.length) {
      ib++;
      rb = cb[ib]!;
      vb ^= 1;
    }
    if (ra === 0 && rb === 0) break;
    // A mask whose counts sum short of h*w is treated as 0 past its end.
    const step = ra === 0 ? rb : rb === 0 ? ra : Math.min(ra, rb);
    const aOn = ra > 0 && va === 1;
    const bOn = rb > 0 && vb === 1;
    if (aOn && bOn) inter += step;
    if (aOn || bOn) union += step;
    if (ra > 0) ra -= step;
    if (rb > 0) rb -= step;
    left -= step;
  }
  return { intersection: inter, union };
}

/** Union (`intersect=false`) or intersection of masks of one size (maskApi `rleMerge`). */
export function rleMerge(rles: readonly Rle[], intersect: boolean): Rle {
  if (rles.length === 0) return { h: 0, w: 0, counts: new Uint32Array(0) };
  const first = rles[0]!;
  if (rles.length === 1) return { h: first.h, w: first.w, counts: first.counts.slice() };
  const { h, w } = first;
  if (rles.some((r) => r.h !== h || r.w !== w)) return { h: 0, w: 0, counts: new Uint32Array(0) };
  const acc = decodeColumnMajor(first);
  for (let k = 1; k < rles.length; k++) {
    const m = decodeColumnMajor(rles[k]!);
    for (let i = 0; i < acc.length; i++) acc[i] = intersect ? acc[i]! & m[i]! : acc[i]! | m[i]!;
  }
  return encodeColumnMajor(acc, h, w);
}

/**
 * Rasterises one polygon (`[x0, y0, x1, y1, ...]`, pixel coordinates) the way maskApi's `rleFrPoly` does:
 * the outline is walked on a 5x upsampled grid, the points where it crosses pixel-centre columns are kept, and
 * the RLE is built from those y-boundaries. Matches `pycocotools.mask.frPyObjects(poly, h, w)` pixel for pixel.
 */
export function rleFromPolygon(xy: ArrayLike<number>, h: number, w: number): Rle {
  const k = Math.floor(xy.length / 2);
  const scale = 5;
  const x = new Int32Array(k + 1);
  const y = new Int32Array(k + 1);
  // C's (int) cast truncates toward zero.
  for (let j = 0; j < k; j++) x[j] = Math.trunc(scale * xy[j * 2]! + 0.5);
  x[k] = x[0]!;
  for (let j = 0; j < k; j++) y[j] = Math.trunc(scale * xy[j * 2 + 1]! + 0.5);
  y[k] = y[0]!;
  let m = 0;
  for (let j = 0; j < k; j++) m += Math.max(Math.abs(x[j]! - x[j + 1]!), Math.abs(y[j]! - y[j + 1]!)) + 1;
  const u = new Int32Array(m);
  const v = new Int32Array(m);
  m = 0;
  for (let j = 0; j < k; j++) {
    let xs = x[j]!;
    let xe = x[j + 1]!;
    let ys = y[j]!;
    let ye = y[j + 1]!;
    const dx = Math.abs(xe - xs);
    const dy = Math.abs(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      let t = xs;
      xs = xe;
      xe = t;
      t = ys;
      ys = ye;
      ye = t;
    }
    const s = dx >= dy ? (ye - ys) / dx : (xe - xs) / dy;
    if (dx >= dy) {
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d;
        u[m] = t + xs;
        v[m] = Math.trunc(ys + s * t + 0.5);
        m++;
      }
    } else {
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d;
        v[m] = t + ys;
        u[m] = Math.trunc(xs + s * t + 0.5);
        m++;
      }
    }
  }
  // Points along the y-boundary, downsampled back to pixel columns.
  const total = m;
  const bx: number[] = [];
  const by: number[] = [];
  for (let j = 1; j < total; j++) {
    if (u[j] === u[j - 1]) continue;
    let xd = u[j]! < u[j - 1]! ? u[j]! : u[j]! - 1;
    xd = (xd + 0.5) / scale - 0.5;
    if (Math.floor(xd) !== xd || xd < 0 || xd > w - 1) continue;
    let yd = v[j]! < v[j - 1]! ? v[j]! : v[j - 1]!;
    yd = (yd + 0.5) / scale - 0.5;
    if (yd < 0) yd = 0;
    else if (yd > h) yd = h;
    yd = Math.ceil(yd);
    bx.push(xd);
    by.push(yd);
  }
  const a: number[] = bx.map((xx, j) => xx * h + by[j]!);
  a.push(h * w);
  a.sort((p, q) => p - q);
  let prev = 0;
  for (let j = 0; j < a.length; j++) {
    const t = a[j]!;
    a[j] = t - prev;
    prev = t;
  }
  const b: number[] = [];
  let j = 0;
  b.push(a[j++]!);
  while (j < a.length) {
    if (a[j]! > 0) b.push(a[j++]!);
    else {
      j++;
      if (j < a.length) b[b.length - 1] = b[b.length - 1]! + a[j++]!;
    }
  }
  return { h, w, counts: Uint32Array.from(b) };
}

/** Tight box `[x, y, w, h]` of the set pixels (maskApi `rleToBbox`); zeros for an empty mask. */
export function rleToBbox(rle: Rle): [number, number, number, number] {
  const { h, counts } = rle;
  const m = counts.length & ~1; // a trailing 0-run adds nothing
  if (m === 0) return [0, 0, 0, 0];
  let xs = Infinity;
  let ys = Infinity;
  let xe = 0;
  let ye = 0;
  let cc = 0;
  let xp = 0;
  for (let j = 0; j < m; j++) {
    cc += counts[j]!;
    const t = cc - (j % 2);
    const y = t % h;
    const x = (t - y) / h;
    if (j % 2 === 0) xp = x;
    else if (xp < x) {
      ys = 0;
      ye = h - 1;
    }
    xs = Math.min(xs, x);
    xe = Math.max(xe, x);
    ys = Math.min(ys, y);
    ye = Math.max(ye, y);
  }
  return [xs, ys, xe - xs + 1, ye - ys + 1];
}

/**
 * Any COCO segmentation → one RLE, as pycocotools' `annToRLE` does: polygons are rasterised and merged (union);
 * an uncompressed RLE keeps its own `size`; a compressed string is decoded. `h`, `w` are the image size, used
 * for polygons. Throws with a description of what is wrong.
 */
export function segmentationToRle(segm: unknown, h: number, w: number): Rle {
  if (Array.isArray(segm)) {
    if (segm.length === 0) return { h, w, counts: Uint32Array.of(h * w) };
    const parts: Rle[] = [];
    for (let i = 0; i < segm.length; i++) {
      const poly: unknown = segm[i];
      if (!Array.isArray(poly) || poly.some((c) => typeof c !== 'number' || !Number.isFinite(c))) {
        throw new Error(`polygon ${i} must be a list of numbers`);
      }
      if (poly.length < 6 || poly.length % 2 !== 0) throw new Error(`polygon ${i} needs an even number (>= 6) of coordinates, got ${poly.length}`);
      parts.push(rleFromPolygon(poly as number[], h, w));
    }
    return rleMerge(parts, false);
  }
  if (segm && typeof segm === 'object' && 'counts' in segm && 'size' in segm) {
    const { counts, size } = segm;
    if (!Array.isArray(size) || size.length !== 2 || !size.every((s) => Number.isInteger(s) && (s as number) >= 0)) {
      throw new Error('RLE size must be [height, width]');
    }
    const [rh, rw] = size as [number, number];
    if (typeof counts === 'string') return rleFromString(counts, rh, rw);
    if (Array.isArray(counts) && counts.every((c) => Number.isInteger(c) && (c as number) >= 0)) {
      const sum = (counts as number[]).reduce((s, c) => s + c, 0);
      if (sum !== rh * rw) throw new Error(`uncompressed RLE counts sum to ${sum}, not height*width = ${rh * rw}`);
      return { h: rh, w: rw, counts: Uint32Array.from(counts as number[]) };
    }
    throw new Error('RLE counts must be a string or a list of non-negative integers');
  }
  throw new Error('segmentation must be a list of polygons or an RLE object {size, counts}');
}
