/**
 * `np.sum`, `np.mean` and `np.std` of float64 data with numpy's own summation order, so printed numbers match
 * numpy's to the last bit (a 4-decimal print can flip on a 1-ulp difference). numpy adds a contiguous run with
 * pairwise summation (8 accumulators below 128 elements, halves above). numpy 1.x's reduction loop hands the run
 * over in buffers of at most 8192 elements, added one after the other; numpy 2.x sums the whole run pairwise. The
 * two differ in the last bit beyond 8192 values. Default: numpy 1.x (Debian 12's python3-numpy 1.24, and the numpy
 * of MMTracking 0.x's time); pass {@link NUMPY_2} for numpy ≥ 2.
 * Reference: https://github.com/numpy/numpy/blob/v2.0.0/numpy/_core/src/umath/loops_utils.h.src (pairwise_sum),
 * https://github.com/numpy/numpy/blob/v2.0.0/numpy/_core/_methods.py (_mean, _var).
 */

const PW_BLOCKSIZE = 128;
/** Summation block of numpy 1.x (its ufunc buffer size). */
export const NUMPY_1 = 8192;
/** numpy ≥ 2: one pairwise sum over the whole run. */
export const NUMPY_2 = Number.POSITIVE_INFINITY;

function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = a[start + j]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[start + i + j]!;
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/**
 * `np.sum(a)` of a contiguous float64 array.
 * @param block {@link NUMPY_1} (default) or {@link NUMPY_2}
 */
export function numpySum(a: ArrayLike<number>, block = NUMPY_1): number {
  let res = 0;
  for (let start = 0; start < a.length; start += block) res += pairwiseSum(a, start, Math.min(block, a.length - start));
  return res;
}

/** `np.mean(a)`: NaN for an empty array, as numpy (which also warns). */
export function numpyMean(a: ArrayLike<number>, block = NUMPY_1): number {
  return numpySum(a, block) / a.length;
}

/** `np.std(a)` (population, ddof=0): `sqrt(mean(|a - mean(a)|²))`, in numpy's operation order. */
export function numpyStd(a: ArrayLike<number>, block = NUMPY_1): number {
  const mean = numpyMean(a, block);
  const sq = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - mean;
    sq[i] = d * d;
  }
  return Math.sqrt(numpySum(sq, block) / a.length);
}

/** `np.argmax(a)`: the first index of the largest value (a NaN wins, as in numpy). -1 when empty. */
export function numpyArgmax(a: ArrayLike<number>): number {
  return argExtreme(a, (x, best) => x > best);
}

/** `np.argmin(a)`: the first index of the smallest value (a NaN wins, as in numpy). -1 when empty. */
export function numpyArgmin(a: ArrayLike<number>): number {
  return argExtreme(a, (x, best) => x < best);
}

function argExtreme(a: ArrayLike<number>, better: (x: number, best: number) => boolean): number {
  if (a.length === 0) return -1;
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (Number.isNaN(x)) return i;
    if (better(x, a[best]!)) best = i;
  }
  return best;
}
