/**
 * Association costs between tracks (rows) and detections (columns), row-major `Float64Array`s.
 */

/**
 * IoU of every pair of `x1, y1, x2, y2` boxes, as MMDetection's `bbox_overlaps(a, b, mode='iou')`
 * (https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/core/bbox/iou_calculators/iou2d_calculator.py):
 * no `+1` pixel offset, negative widths clamp to 0, `union` floored at `eps = 1e-6`.
 * @param a `[na*4]` boxes, @param b `[nb*4]` boxes (frame pixels); @returns `[na*nb]`, `out[i*nb+j] = IoU(a_i, b_j)`.
 */
export function bboxOverlaps(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number, out = new Float64Array(na * nb)): Float64Array {
  const eps = 1e-6;
  for (let i = 0; i < na; i++) {
    const ax1 = a[4 * i]!;
    const ay1 = a[4 * i + 1]!;
    const ax2 = a[4 * i + 2]!;
    const ay2 = a[4 * i + 3]!;
    const areaA = (ax2 - ax1) * (ay2 - ay1);
    for (let j = 0; j < nb; j++) {
      const bx1 = b[4 * j]!;
      const by1 = b[4 * j + 1]!;
      const bx2 = b[4 * j + 2]!;
      const by2 = b[4 * j + 3]!;
      const w = Math.max(Math.min(ax2, bx2) - Math.max(ax1, bx1), 0);
      const h = Math.max(Math.min(ay2, by2) - Math.max(ay1, by1), 0);
      const overlap = w * h;
      const union = Math.max(areaA + (bx2 - bx1) * (by2 - by1) - overlap, eps);
      out[i * nb + j] = overlap / union;
    }
  }
  return out;
}

/** Pairs `(rows[k], cols[k])` of a sparse cost matrix and their values. */
export interface SparsePairs {
  rows: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/**
 * The pairs of boxes that intersect (positive overlap area), with their IoU as {@link bboxOverlaps} computes it —
 * every other pair has IoU 0. Boxes of `b` are bucketed on a uniform grid (cell ≈ their mean size), so the cost
 * grows with the number of boxes and of overlapping pairs rather than with `na · nb`. Pairs come by increasing
 * row, then column.
 * @param a `[na*4]`, @param b `[nb*4]` x1, y1, x2, y2 boxes (frame pixels).
 */
export function overlappingPairs(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number): SparsePairs {
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  const tryPair = (i: number, j: number): void => {
    const w = Math.min(a[4 * i + 2]!, b[4 * j + 2]!) - Math.max(a[4 * i]!, b[4 * j]!);
    const h = Math.min(a[4 * i + 3]!, b[4 * j + 3]!) - Math.max(a[4 * i + 1]!, b[4 * j + 1]!);
    if (!(w > 0 && h > 0)) return;
    const overlap = w * h;
    const areaA = (a[4 * i + 2]! - a[4 * i]!) * (a[4 * i + 3]! - a[4 * i + 1]!);
    const areaB = (b[4 * j + 2]! - b[4 * j]!) * (b[4 * j + 3]! - b[4 * j + 1]!);
    rows.push(i);
    cols.push(j);
    values.push(overlap / Math.max(areaA + areaB - overlap, 1e-6));
  };
  if (na * nb <= 4096) {
    for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) tryPair(i, j);
    return { rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float64Array.from(values) };
  }
  // Grid over b's extent, cell = mean box side (grown if the grid would be much larger than the box count).
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let side = 0;
  for (let j = 0; j < nb; j++) {
    x0 = Math.min(x0, b[4 * j]!);
    y0 = Math.min(y0, b[4 * j + 1]!);
    x1 = Math.max(x1, b[4 * j + 2]!);
    y1 = Math.max(y1, b[4 * j + 3]!);
    side += Math.max(b[4 * j + 2]! - b[4 * j]!, b[4 * j + 3]! - b[4 * j + 1]!, 0);
  }
  if (!(x1 > x0 && y1 > y0)) return { rows: new Int32Array(0), cols: new Int32Array(0), values: new Float64Array(0) };
  let cell = Math.max(side / nb, 1e-3);
  const maxCells = 4 * nb + 1024;
  const cellsFor = (c: number) => Math.ceil((x1 - x0) / c) * Math.ceil((y1 - y0) / c);
  if (cellsFor(cell) > maxCells) cell *= Math.sqrt(cellsFor(cell) / maxCells) * 1.01;
  const gw = Math.max(1, Math.ceil((x1 - x0) / cell));
  const gh = Math.max(1, Math.ceil((y1 - y0) / cell));
  const cx = (x: number) => Math.min(gw - 1, Math.max(0, Math.floor((x - x0) / cell)));
  const cy = (y: number) => Math.min(gh - 1, Math.max(0, Math.floor((y - y0) / cell)));
  // Compressed buckets: count, prefix sums, fill.
  const start = new Int32Array(gw * gh + 1);
  for (let j = 0; j < nb; j++) {
    for (let gy = cy(b[4 * j + 1]!); gy <= cy(b[4 * j + 3]!); gy++) for (let gx = cx(b[4 * j]!); gx <= cx(b[4 * j + 2]!); gx++) start[gy * gw + gx + 1]!++;
  }
  for (let c = 0; c < gw * gh; c++) start[c + 1] = start[c + 1]! + start[c]!;
  const fill = start.slice(0, gw * gh);
  const items = new Int32Array(start[gw * gh]!);
  for (let j = 0; j < nb; j++) {
    for (let gy = cy(b[4 * j + 1]!); gy <= cy(b[4 * j + 3]!); gy++) for (let gx = cx(b[4 * j]!); gx <= cx(b[4 * j + 2]!); gx++) items[fill[gy * gw + gx]!++] = j;
  }
  const seen = new Int32Array(nb).fill(-1);
  const found: number[] = [];
  for (let i = 0; i < na; i++) {
    if (!(a[4 * i + 2]! > x0 && a[4 * i]! < x1 && a[4 * i + 3]! > y0 && a[4 * i + 1]! < y1)) continue;
    found.length = 0;
    for (let gy = cy(a[4 * i + 1]!); gy <= cy(a[4 * i + 3]!); gy++) {
      for (let gx = cx(a[4 * i]!); gx <= cx(a[4 * i + 2]!); gx++) {
        for (let k = start[gy * gw + gx]!; k < start[gy * gw + gx + 1]!; k++) {
          const j = items[k]!;
          if (seen[j] !== i) {
            seen[j] = i;
            found.push(j);
          }
        }
      }
    }
    found.sort((p, q) => p - q);
    for (const j of found) tryPair(i, j);
  }
  return { rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float64Array.from(values) };
}

/**
 * Euclidean distance between every pair of embeddings, as `torch.cdist(a, b)` — the appearance cost of
 * MMTracking's SORT/DeepSORT and Tracktor (compared with `reid.match_score_thr`).
 * @param a `[na*dim]`, @param b `[nb*dim]` row-major embeddings; @returns `[na*nb]`.
 */
export function embeddingDistances(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number, dim: number): Float64Array {
  checkLength('a', a, na, dim);
  checkLength('b', b, nb, dim);
  const out = new Float64Array(na * nb);
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) {
        const d = a[i * dim + k]! - b[j * dim + k]!;
        s += d * d;
      }
      out[i * nb + j] = Math.sqrt(s);
    }
  }
  return out;
}

/**
 * Cosine distance `1 - a·b / (|a| |b|)` between every pair of embeddings (in [0, 2]; a zero vector is at distance 1
 * from everything). For L2-normalised embeddings `euclidean² = 2 · cosine`.
 * @param a `[na*dim]`, @param b `[nb*dim]` row-major embeddings; @returns `[na*nb]`.
 */
export function cosineDistances(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number, dim: number): Float64Array {
  checkLength('a', a, na, dim);
  checkLength('b', b, nb, dim);
  const norms = (x: ArrayLike<number>, n: number): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += x[i * dim + k]! * x[i * dim + k]!;
      out[i] = Math.sqrt(s);
    }
    return out;
  };
  const na2 = norms(a, na);
  const nb2 = norms(b, nb);
  const out = new Float64Array(na * nb);
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += a[i * dim + k]! * b[j * dim + k]!;
      const denom = na2[i]! * nb2[j]!;
      out[i * nb + j] = 1 - (denom > 0 ? dot / denom : 0);
    }
  }
  return out;
}

function checkLength(name: string, x: ArrayLike<number>, n: number, dim: number): void {
  if (x.length !== n * dim) throw new Error(`embedding matrix ${name}: ${x.length} values for ${n} embeddings of dimension ${dim}`);
}
