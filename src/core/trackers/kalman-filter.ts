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
    // F = [[I, I], [0, I]]: (F P)_il = P_il + P_(i+4)l for i < 4; (F P Fᵀ)_ij = (F P)_ij + (F P)_i(j+4) for j < 4.
    const fp = new Float64Array(N * N);
    for (let i = 0; i < N; i++) {
      for (let l = 0; l < N; l++) fp[i * N + l] = p[i * N + l]! + (i < NDIM ? p[(i + NDIM) * N + l]! : 0);
    }
    const covariance = new Float64Array(N * N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) covariance[i * N + j] = fp[i * N + j]! + (j < NDIM ? fp[i * N + j + NDIM]! : 0);
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
    const proj = this.project(state);
    const chol = cholesky(proj.covariance, NDIM);
    // Kalman gain K = P Hᵀ S⁻¹ (8x4): each row k of P Hᵀ (= P[k, :4]) solved against S.
    const gain = new Float64Array(N * NDIM);
    const row = new Float64Array(NDIM);
    for (let k = 0; k < N; k++) {
      for (let j = 0; j < NDIM; j++) row[j] = p[k * N + j]!;
      choleskySolve(chol, NDIM, row);
      gain.set(row, k * NDIM);
    }
    const innovation = new Float64Array(NDIM);
    for (let j = 0; j < NDIM; j++) innovation[j] = measurement[j]! - proj.mean[j]!;
    const mean = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let s = m[i]!;
      for (let j = 0; j < NDIM; j++) s += gain[i * NDIM + j]! * innovation[j]!;
      mean[i] = s;
    }
    // P - K S Kᵀ
    const ks = new Float64Array(N * NDIM);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < NDIM; j++) {
        let s = 0;
        for (let k = 0; k < NDIM; k++) s += gain[i * NDIM + k]! * proj.covariance[k * NDIM + j]!;
        ks[i * NDIM + j] = s;
      }
    }
    const covariance = new Float64Array(N * N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < NDIM; k++) s += ks[i * NDIM + k]! * gain[j * NDIM + k]!;
        covariance[i * N + j] = p[i * N + j]! - s;
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
}

/** Lower Cholesky factor `L` (`A = L Lᵀ`) of a symmetric positive-definite `[n*n]` matrix. */
export function cholesky(a: ArrayLike<number>, n: number): Float64Array {
  const l = new Float64Array(n * n);
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
