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
