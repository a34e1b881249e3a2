import { EPS } from './metric.ts';

/**
 * IoU of every pair of `x, y, w, h` boxes, as TrackEval's `_calculate_box_ious(..., box_format='xywh')`
 * (https://github.com/JonathonLuiten/TrackEval/blob/master/trackeval/datasets/_base_dataset.py): boxes with
 * non-positive area, and pairs with non-positive union, get IoU 0.
 * @param a `[na*4]` boxes, @param b `[nb*4]` boxes (pixels); @returns row-major `[na*nb]`.
 */
export function boxIouXywh(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number, out: Float64Array = new Float64Array(na * nb)): Float64Array {
  for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) out[i * nb + j] = iouXywh(a, i, b, j);
  return out;
}

/** IoU of box `i` of `a` and box `j` of `b` (`x, y, w, h` each), as {@link boxIouXywh} computes it. */
export function iouXywh(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number): number {
  const ax0 = a[i * 4]!;
  const ay0 = a[i * 4 + 1]!;
  const ax1 = ax0 + a[i * 4 + 2]!;
  const ay1 = ay0 + a[i * 4 + 3]!;
  const areaA = (ax1 - ax0) * (ay1 - ay0);
  const bx0 = b[j * 4]!;
  const by0 = b[j * 4 + 1]!;
  const bx1 = bx0 + b[j * 4 + 2]!;
  const by1 = by0 + b[j * 4 + 3]!;
  const areaB = (bx1 - bx0) * (by1 - by0);
  const iw = Math.min(ax1, bx1) - Math.max(ax0, bx0);
  const ih = Math.min(ay1, by1) - Math.max(ay0, by0);
  let inter = Math.max(iw, 0) * Math.max(ih, 0);
  let union = areaA + areaB - inter;
  if (areaA <= EPS || areaB <= EPS || union <= EPS) inter = 0;
  if (union <= EPS) union = 1;
  return inter / union;
}
