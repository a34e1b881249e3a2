/**
 * MMTracking's `KalmanFilter` (https://github.com/open-mmlab/mmtracking/blob/master/mmtrack/models/motion/kalman_filter.py,
 * after DeepSORT's, https://github.com/nwojke/deep_sort/blob/master/deep_sort/kalman_filter.py): a constant-velocity
 * model of a box in image space.
 *
 * State (8): `cx, cy, a, h, vcx, vcy, va, vh` — box centre and height in frame pixels, aspect ratio `a = w / h`,
 * and their velocities per frame. Measurement (4): `cx, cy, a, h`. Noise standard deviations are proportional to the
 * current height `h` (`std_weight_position = 1/20`, `std_weight_velocity = 1/160`), except for the aspect ratio
 * (fixed `1e-2` / `1e-5`, and `1e-1` in the measurement noise). All arithmetic is float64, as numpy's.
 */
import type { SparsePairs } from './cost-matrices.ts';

/** Mean `[8]` and row-major covariance `[8*8]` of one track's state. */
export interface KalmanState {
  mean: Float64Array;
  covariance: Float64Array;
}

/** 0.95 quantile of the chi-square distribution by degrees of freedom (MMTracking's / DeepSORT's `chi2inv95`). */
export const chi2inv95: Readonly<Record<number, number>> = {
  1: 3.8415,
  2: 5.9915,
  3: 7.8147,
  4: 9.4877,
  5: 11.07,
  6: 12.592,
  7: 14.067,
  8: 15.507,
  9: 16.919,
};

const NDIM = 4;
const N = 2 * NDIM;

export class KalmanFilter {
  /** `std_weight_position`: position noise per pixel of box height. */
  static readonly stdWeightPosition = 1 / 20;
  /** `std_weight_velocity`: velocity noise per pixel of box height. */
  static readonly stdWeightVelocity = 1 / 160;

  /** Squared Mahalanobis distance above which {@link KalmanFilter.track} forbids a pair. */
  readonly gatingThreshold: number;

  /** @param centerOnly `center_only`: gate on the box centre only (2 degrees of freedom instead of 4). */
  constructor(readonly centerOnly = false) {
    this.gatingThreshold = chi2inv95[centerOnly ? 2 : 4]!;
  }

  /** `initiate(measurement)`: a new track at `[cx, cy, a, h]` with zero velocity. */
  initiate(measurement: ArrayLike<number>): KalmanState {
    const mean = new Float64Array(N);
    for (let i = 0; i < NDIM; i++) mean[i] = measurement[i]!;
    const h = measurement[3]!;
    const wp = KalmanFilter.stdWeightPosition;
    const wv = KalmanFilter.stdWeightVelocity;
    const std = [2 * wp * h, 2 * wp * h, 1e-2, 2 * wp * h, 10 * wv * h, 10 * wv * h, 1e-5, 10 * wv * h];
    const covariance = new Float64Array(N * N);
    for (let i = 0; i < N; i++) covariance[i * N + i] = std[i]! * std[i]!;
    return { mean, covariance };
  }

  /** `predict(mean, covariance)`: one frame ahead, `x = F x`, `P = F P Fᵀ + Q`. */
  predict(state: KalmanState): KalmanState {
    const { mean: m, covariance: p } = state;
    const h = m[3]!;
    const sp = KalmanFilter.stdWeightPosition * h;
    const sv = KalmanFilter.stdWeightVelocity * h;
    const q = [sp * sp, sp * sp, 1e-4, sp * sp, sv * sv, sv * sv, 1e-10, sv * sv];
    const mean = new Float64Array(N);
    for (let i = 0; i < N; i++) mean[i] = i < NDIM ? m[i]! + m[i + NDIM]! : m[i]!;
    // F = [[I, I], [0, I]]: (F P Fᵀ)_ij = P_ij + P_i(j+4) [j < 4] + P_(i+4)j [i < 4] + P_(i+4)(j+4) [i, j < 4].
    const covariance = new Float64Array(N * N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        let v = p[i * N + j]!;
        if (j < NDIM) v += p[i * N + j + NDIM]!;
        if (i < NDIM) {
          v += p[(i + NDIM) * N + j]!;
          if (j < NDIM) v += p[(i + NDIM) * N + j + NDIM]!;
        }
        covariance[i * N + j] = v;
      }
      covariance[i * N + i] = covariance[i * N + i]! + q[i]!;
    }
    return { mean, covariance };
  }

  /** `project(mean, covariance)`: the measurement distribution, `H x` and `H P Hᵀ + R` (`[4]`, `[4*4]`). */
  project(state: KalmanState): { mean: Float64Array; covariance: Float64Array } {
    const { mean: m, covariance: p } = state;
    const s = KalmanFilter.stdWeightPosition * m[3]!;
    const r = [s * s, s * s, 1e-2, s * s];
    const mean = m.slice(0, NDIM);
    const covariance = new Float64Array(NDIM * NDIM);
    for (let i = 0; i < NDIM; i++) {
      for (let j = 0; j < NDIM; j++) covariance[i * NDIM + j] = p[i * N + j]!;
      covariance[i * NDIM + i] = covariance[i * NDIM + i]! + r[i]!;
    }
    return { mean, covariance };
  }

  /** `update(mean, covariance, measurement)`: the correction step with a `[cx, cy, a, h]` measurement. */
  update(state: KalmanState, measurement: ArrayLike<number>): KalmanState {
    const { mean: m, covariance: p } = state;
    // S = H P Hᵀ + R (the projection), factored S = L Lᵀ.
    const r = KalmanFilter.stdWeightPosition * m[3]!;
    const noise = [r * r, r * r, 1e-2, r * r];
    const sMat = scratch.s;
    for (let i = 0; i < NDIM; i++) {
      for (let j = 0; j < NDIM; j++) sMat[i * NDIM + j] = p[i * N + j]!;
      sMat[i * NDIM + i] = sMat[i * NDIM + i]! + noise[i]!;
    }
    const chol = choleskyInto(sMat, NDIM, scratch.chol);
    // Kalman gain K = P Hᵀ S⁻¹ (8x4): each row k of P Hᵀ (= P[k, :4]) solved against S.
    const gain = scratch.gain;
    const row = scratch.row;
    for (let k = 0; k < N; k++) {
      for (let j = 0; j < NDIM; j++) row[j] = p[k * N + j]!;
      choleskySolve(chol, NDIM, row);
      gain.set(row, k * NDIM);
    }
    const mean = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let v = m[i]!;
      for (let j = 0; j < NDIM; j++) v += gain[i * NDIM + j]! * (measurement[j]! - m[j]!);
      mean[i] = v;
    }
    // P − K S Kᵀ = P − K (H P), and H P is P's first four rows.
    const covariance = new Float64Array(N * N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        let v = 0;
        for (let k = 0; k < NDIM; k++) v += gain[i * NDIM + k]! * p[k * N + j]!;
        covariance[i * N + j] = p[i * N + j]! - v;
      }
    }
    return { mean, covariance };
  }

  /**
   * `gating_distance(mean, covariance, measurements, only_position)`: squared Mahalanobis distance of each
   * measurement from the projected state.
   * @param measurements `[n*4]` rows `cx, cy, a, h`; @param onlyPosition use `cx, cy` only. @returns `[n]`.
   */
  gatingDistance(state: KalmanState, measurements: ArrayLike<number>, onlyPosition = false): Float64Array {
    const n = measurements.length / NDIM;
    const proj = this.project(state);
    const dim = onlyPosition ? 2 : NDIM;
    const s = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) s[i * dim + j] = proj.covariance[i * NDIM + j]!;
    const chol = cholesky(s, dim);
    const out = new Float64Array(n);
    const z = new Float64Array(dim);
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < dim; j++) z[j] = measurements[k * NDIM + j]! - proj.mean[j]!;
      forwardSubstitute(chol, dim, z);
      let d = 0;
      for (let j = 0; j < dim; j++) d += z[j]! * z[j]!;
      out[k] = d;
    }
    return out;
  }

  /**
   * `track(tracks, bboxes)`: predicts every state one frame ahead (in place) and returns the gating cost of each
   * (state, measurement) pair, `[states.length * n]` row-major, NaN where it exceeds {@link gatingThreshold}.
   * @param measurements `[n*4]` rows `cx, cy, a, h`.
   */
  track(states: KalmanState[], measurements: ArrayLike<number>): Float64Array {
    const n = measurements.length / NDIM;
    const costs = new Float64Array(states.length * n);
    for (const [i, state] of states.entries()) {
      const predicted = this.predict(state);
      state.mean = predicted.mean;
      state.covariance = predicted.covariance;
      const d = this.gatingDistance(state, measurements, this.centerOnly);
      for (let j = 0; j < n; j++) costs[i * n + j] = d[j]! > this.gatingThreshold ? NaN : d[j]!;
    }
    return costs;
  }

  /**
   * {@link track} returning only the pairs within the gate (`value` = squared Mahalanobis distance). Pairs whose
   * centre offset alone puts them beyond the gate (`|d_xy|² / trace(S_xy) > threshold`, a lower bound of the
   * distance) are skipped without computing it; the result equals `track`'s non-NaN entries.
   */
  trackSparse(states: KalmanState[], measurements: ArrayLike<number>): SparsePairs {
    const n = measurements.length / NDIM;
    const rows: number[] = [];
    const cols: number[] = [];
    const values: number[] = [];
    const dim = this.centerOnly ? 2 : NDIM;
    const s = new Float64Array(dim * dim);
    const chol = new Float64Array(dim * dim);
    const z = new Float64Array(dim);
    // Measurements by centre x, to visit only those within the bound's radius.
    const order = Array.from({ length: n }, (_, j) => j).sort((p, q) => measurements[p * NDIM]! - measurements[q * NDIM]!);
    const xs = Float64Array.from(order, (j) => measurements[j * NDIM]!);
    const found: number[] = [];
    for (const [i, state] of states.entries()) {
      const predicted = this.predict(state);
      state.mean = predicted.mean;
      state.covariance = predicted.covariance;
      const proj = this.project(state);
      for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) s[a * dim + b] = proj.covariance[a * NDIM + b]!;
      choleskyInto(s, dim, chol);
      const bound = this.gatingThreshold * (proj.covariance[0]! + proj.covariance[NDIM + 1]!);
      const mx = proj.mean[0]!;
      const my = proj.mean[1]!;
      const radius = Math.sqrt(bound);
      found.length = 0;
      for (let k = lowerBound(xs, mx - radius); k < n && xs[k]! <= mx + radius; k++) {
        const j = order[k]!;
        const dx = measurements[j * NDIM]! - mx;
        const dy = measurements[j * NDIM + 1]! - my;
        if (!(dx * dx + dy * dy > bound)) found.push(j);
      }
      found.sort((p, q) => p - q);
      for (const j of found) {
        for (let k = 0; k < dim; k++) z[k] = measurements[j * NDIM + k]! - proj.mean[k]!;
        forwardSubstitute(chol, dim, z);
        let d = 0;
        for (let k = 0; k < dim; k++) d += z[k]! * z[k]!;
        if (d > this.gatingThreshold) continue;
        rows.push(i);
        cols.push(j);
        values.push(d);
      }
    }
    return { rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float64Array.from(values) };
  }
}

/** First index `k` of the sorted `xs` with `xs[k] >= x`. */
function lowerBound(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Scratch matrices of {@link KalmanFilter.update} (single-threaded, not re-entrant). */
const scratch = {
  s: new Float64Array(NDIM * NDIM),
  chol: new Float64Array(NDIM * NDIM),
  gain: new Float64Array(N * NDIM),
  row: new Float64Array(NDIM),
};

/** Lower Cholesky factor `L` (`A = L Lᵀ`) of a symmetric positive-definite `[n*n]` matrix. */
export function cholesky(a: ArrayLike<number>, n: number): Float64Array {
  return choleskyInto(a, n, new Float64Array(n * n));
}

function choleskyInto(a: ArrayLike<number>, n: number, l: Float64Array): Float64Array {
  l.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error('KalmanFilter: covariance is not positive definite');
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j]!;
    }
  }
  return l;
}

/** Solves `L z = b` in place (`b` becomes `z`). */
function forwardSubstitute(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}

/** Solves `L Lᵀ x = b` in place (`b` becomes `x`). */
function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  forwardSubstitute(l, n, b);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}
