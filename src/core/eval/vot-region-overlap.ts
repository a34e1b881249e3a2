import type { VotRegion } from '../datasets/sot.ts';

const f32 = Math.fround;

/** Python/numpy/numba `round` (half to even). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

type Bounds = [number, number, number, number];

function regionBounds(r: Exclude<VotRegion, { kind: 'special' }>): Bounds {
  if (r.kind === 'rectangle') {
    const x = f32(r.x);
    const y = f32(r.y);
    return [roundHalfEven(x), roundHalfEven(y), roundHalfEven(f32(x + f32(r.w)) - 1), roundHalfEven(f32(y + f32(r.h)) - 1)];
  }
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (let i = 0; i + 1 < r.points.length; i += 2) {
    const px = f32(r.points[i]!);
    const py = f32(r.points[i + 1]!);
    left = Math.min(left, px);
    right = Math.max(right, px);
    top = Math.min(top, py);
    bottom = Math.max(bottom, py);
  }
  return [roundHalfEven(left), roundHalfEven(top), roundHalfEven(right), roundHalfEven(bottom)];
}

/** Python slice `[start:stop]` on a length-`len` axis, with numba's truncating float→int conversion. */
function sliceRange(start: number, stop: number, len: number): [number, number] {
  let s = Math.trunc(start);
  let e = Math.trunc(stop);
  if (s < 0) s = Math.max(0, s + len);
  if (e < 0) e = Math.max(0, e + len);
  return [Math.min(s, len), Math.min(e, len)];
}

function rasterRectangle(r: Extract<VotRegion, { kind: 'rectangle' }>, b: Bounds, mask: Uint8Array, width: number, height: number): void {
  const x = f32(r.x);
  const y = f32(r.y);
  const x2 = f32(x + f32(r.w)) - 1;
  const y2 = f32(y + f32(r.h)) - 1;
  if (x > b[2] || x2 < b[0] || y > b[3] || y2 < b[1]) return;
  const left = Math.max(0, x - b[0]);
  const top = Math.max(0, y - b[1]);
  const right = Math.min(b[2], x2 - b[0]);
  const bottom = Math.min(b[3], y2 - b[1]);
  const [r0, r1] = sliceRange(top, bottom + 1, height);
  const [c0, c1] = sliceRange(left, right + 1, width);
  for (let row = r0; row < r1; row++) mask.fill(1, row * width + c0, Math.max(row * width + c0, row * width + c1));
}

function rasterPolygon(r: Extract<VotRegion, { kind: 'polygon' }>, b: Bounds, mask: Uint8Array, width: number, height: number): void {
  const count = Math.floor(r.points.length / 2);
  const px = new Float64Array(count);
  const py = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    px[i] = roundHalfEven(f32(r.points[i * 2]!)) - b[0];
    py[i] = roundHalfEven(f32(r.points[i * 2 + 1]!)) - b[1];
  }
  const nodeX = new Float64Array(count);
  for (let pixelY = 0; pixelY < height; pixelY++) {
    let nodes = 0;
    let j = count - 1;
    for (let i = 0; i < count; i++) {
      const yi = py[i]!;
      const yj = py[j]!;
      if (
        (yi <= pixelY && yj > pixelY) ||
        (yj <= pixelY && yi > pixelY) ||
        (yi < pixelY && yj >= pixelY) ||
        (yj < pixelY && yi >= pixelY) ||
        (yi === yj && yi === pixelY)
      ) {
        const dr = yj - yi;
        const k = px[j]! - px[i]!;
        nodeX[nodes++] = dr !== 0 ? Math.trunc(px[i]! + ((pixelY - yi) / dr) * k) : px[i]!;
      }
      j = i;
    }
    const sorted = nodeX.subarray(0, nodes).sort();
    let i = 0;
    while (i < nodes - 1) {
      if (sorted[i]! >= width) break;
      // A vertex on this row gives two equal nodes: skip the first unless it is the last pair.
      if (sorted[i] === sorted[i + 1] && i < nodes - 2) {
        i += 1;
        continue;
      }
      if (sorted[i + 1]! >= 0) {
        if (sorted[i]! < 0) sorted[i] = 0;
        if (sorted[i + 1]! >= width) sorted[i + 1] = width - 1;
        mask.fill(1, pixelY * width + sorted[i]!, pixelY * width + sorted[i + 1]! + 1);
      }
      i += 2;
    }
  }
}

/**
 * Overlap of two VOT regions as the VOT toolkit computes it (`vot.region.raster.calculate_overlap`,
 * https://github.com/votchallenge/toolkit/blob/master/vot/region/raster.py): both are rasterised on the pixel grid
 * of their joint bounding box, clipped to the frame (`bounds` = [width, height]) when given, and the overlap is
 * intersection / union of the pixel sets. A special region (code 0/1/2) has overlap 0. Coordinates are float32 as
 * the toolkit stores them.
 */
export function votRegionOverlap(a: VotRegion, b: VotRegion, bounds?: readonly [number, number]): number {
  if (a.kind === 'special' || b.kind === 'special') return 0;
  const b1 = regionBounds(a);
  const b2 = regionBounds(b);
  const union: Bounds = [Math.min(b1[0], b2[0]), Math.min(b1[1], b2[1]), Math.max(b1[2], b2[2]), Math.max(b1[3], b2[3])];
  const rb: Bounds = bounds ? [Math.max(0, union[0]), Math.max(0, union[1]), Math.min(bounds[0] - 1, union[2]), Math.min(bounds[1] - 1, union[3])] : union;
  if (rb[0] >= rb[2] || rb[1] >= rb[3]) return 0;
  const width = rb[2] - rb[0] + 1;
  const height = rb[3] - rb[1] + 1;
  const m1 = new Uint8Array(width * height);
  const m2 = new Uint8Array(width * height);
  for (const [region, mask] of [
    [a, m1],
    [b, m2],
  ] as const) {
    if (region.kind === 'rectangle') rasterRectangle(region, rb, mask, width, height);
    else rasterPolygon(region, rb, mask, width, height);
  }
  let inter = 0;
  let uni = 0;
  for (let i = 0; i < m1.length; i++) {
    if (m1[i] || m2[i]) {
      uni++;
      if (m1[i] && m2[i]) inter++;
    }
  }
  return uni > 0 ? inter / uni : 0;
}
