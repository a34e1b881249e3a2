/**
 * Fewer points for drawing, same picture: the x range is cut into `buckets` index ranges and each keeps its
 * first, lowest, highest and last point (in x order), so spikes survive. A 200 MB log has ~10⁶ points per key,
 * far more than a chart has pixels.
 *
 * @param x ascending x values
 * @param maxPoints at most this many points come back (at least 8)
 */
export function decimateMinMax(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): { x: Float64Array; y: Float64Array } {
  const n = x.length;
  if (n <= maxPoints) return { x: Float64Array.from(x), y: Float64Array.from(y) };
  const buckets = Math.max(2, Math.floor(maxPoints / 4));
  const ox: number[] = [];
  const oy: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    if (end <= start) continue;
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = y[i]!;
      if (Number.isNaN(v)) continue;
      if (lo < 0 || v < y[lo]!) lo = i;
      if (hi < 0 || v > y[hi]!) hi = i;
    }
    const picks = [start, lo, hi, end - 1].filter((i) => i >= 0).sort((a, b) => a - b);
    let prev = -1;
    for (const i of picks) {
      if (i === prev) continue;
      ox.push(x[i]!);
      oy.push(y[i]!);
      prev = i;
    }
  }
  return { x: Float64Array.from(ox), y: Float64Array.from(oy) };
}

/**
 * The points with x in [x0, x1] plus one neighbour on each side, so a zoomed line runs to the chart's edges.
 * @param x ascending x values
 */
export function sliceXRange(x: ArrayLike<number>, y: ArrayLike<number>, x0: number, x1: number): { x: Float64Array; y: Float64Array } {
  const first = Math.max(0, lowerBound(x, x0) - 1);
  const last = Math.min(x.length, lowerBound(x, x1, true) + 1);
  const ox = new Float64Array(Math.max(0, last - first));
  const oy = new Float64Array(ox.length);
  for (let i = first; i < last; i++) {
    ox[i - first] = x[i]!;
    oy[i - first] = y[i]!;
  }
  return { x: ox, y: oy };
}

/** First index with x[i] >= v (or > v when `after`). */
function lowerBound(x: ArrayLike<number>, v: number, after = false): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < v || (after && x[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
