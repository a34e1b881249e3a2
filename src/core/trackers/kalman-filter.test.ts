import { describe, expect, it } from 'vitest';
import { type KalmanState, KalmanFilter, chi2inv95 } from './kalman-filter.ts';

// Produced by scripts/fixtures/kalman_filter_reference.py (MMTracking's KalmanFilter formulas in plain numpy,
// numpy 2.4 and 1.24 give identical output): initiate(z0); predict; update(z1); predict; predict; update(z2);
// predict; then gating distances of three measurements, full and centre-only.
const NUMPY = {
  after_update1: {
    mean: [
      305.27272727272725, 198.73140495867767, 0.41039215705497883, 122.60330578512396,
      1.1363636363636365, -0.3615702479338843, 1.9607842945021166e-10, 0.6198347107438017,
    ],
    covariance: [
      31.239669421487605, 0, 0, 0, 7.4380165289256155, 0, 0, 0,
      0, 31.239669421487605, 0, 0, 0, 7.4380165289256155, 0, 0,
      0, 0, 0.00019607852748942622, 0, 0, 0, 9.803921472510575e-11, 0,
      0, 0, 0, 31.239669421487605, 0, 0, 0, 7.4380165289256155,
      7.438016528925623, 0, 0, 0, 45.19059917355372, 0, 0, 0,
      0, 7.438016528925623, 0, 0, 0, 45.19059917355372, 0, 0,
      0, 0, 9.803921472510575e-11, 0, 0, 0, 1.999999990196079e-10, 0,
      0, 0, 0, 7.438016528925623, 0, 0, 0, 45.19059917355372,
    ],
  },
  after_update2: {
    mean: [
      316.20543310355833, 196.21616330069008, 0.4107582062474091, 126.21400616801705,
      3.817239943698457, -0.9163524005269048, 7.487739354831775e-10, 1.3538366122197576,
    ],
    covariance: [
      34.215617384006066, 0, 0, 0, 10.592155323499952, 0, 0, 0,
      0, 34.215617384006066, 0, 0, 0, 10.592155323499952, 0, 0,
      0, 0, 0.00038098959080496705, 0, 0, 0, 5.752545412686811e-10, 0,
      0, 0, 0, 34.215617384006066, 0, 0, 0, 10.592155323499952,
      10.592155323499966, 0, 0, 0, 19.18617298358645, 0, 0, 0,
      0, 10.592155323499966, 0, 0, 0, 19.18617298358645, 0, 0,
      0, 0, 5.752545412686811e-10, 0, 0, 0, 3.9999996461713063e-10, 0,
      0, 0, 0, 10.592155323499966, 0, 0, 0, 19.18617298358645,
    ],
  },
  predicted3: {
    mean: [
      320.0226730472568, 195.29981090016318, 0.41075820699618304, 127.5678427802368,
      3.817239943698457, -0.9163524005269048, 7.487739354831775e-10, 1.3538366122197576,
    ],
    covariance: [
      114.41103939704306, 0, 0, 0, 29.7783283070864, 0, 0, 0,
      0, 114.41103939704306, 0, 0, 0, 29.7783283070864, 0, 0,
      0, 0, 0.0004809911413140142, 0, 0, 0, 9.752545058858118e-10, 0,
      0, 0, 0, 114.41103939704306, 0, 0, 0, 29.7783283070864,
      29.778328307086415, 0, 0, 0, 19.80843764581224, 0, 0, 0,
      0, 29.778328307086415, 0, 0, 0, 19.80843764581224, 0, 0,
      0, 0, 9.752545058858118e-10, 0, 0, 0, 4.999999646171306e-10, 0,
      0, 0, 0, 29.778328307086415, 0, 0, 0, 19.80843764581224,
    ],
  },
  gating_full: [0.08606879616947635, 3.5727458486690393, 3.0966839351725683],
  gating_center: [0.062070484151431946, 0.8229479342607118, 2.7273568860343755],};
const z0 = [300.5, 200.25, 0.41, 120.0];
const z1 = [306.0, 198.5, 0.43, 123.0];
const z2 = [317.25, 196.0, 0.42, 126.5];
const zs = [317.0, 196.0, 0.42, 126.0, 330.0, 190.0, 0.5, 110.0, 300.0, 200.0, 0.41, 120.0];

function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-10): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected[i]!)));
  }
}

describe('KalmanFilter (MMTracking)', () => {
  const kf = new KalmanFilter();
  // Hand-computed from the formulas for a box of height 80 at (100, 50), aspect 0.5:
  // initiate: std = [2·80/20, 2·80/20, 1e-2, 2·80/20, 10·80/160, ..., 1e-5, ...] = [8, 8, 0.01, 8, 5, 5, 1e-5, 5].
  const start = kf.initiate([100, 50, 0.5, 80]);

  it('initiate: zero velocity, diagonal covariance from the height', () => {
    expect(Array.from(start.mean)).toEqual([100, 50, 0.5, 80, 0, 0, 0, 0]);
    const diag = Array.from({ length: 8 }, (_, i) => start.covariance[i * 8 + i]!);
    expectClose(diag, [64, 64, 1e-4, 64, 25, 25, 1e-10, 25], 1e-15);
    expect(start.covariance.filter((v, k) => v !== 0 && k % 9 !== 0).length).toBe(0);
  });

  it('predict: P = F P Fᵀ + Q by hand (position var 64 + 25 + (80/20)² = 105, cross 25, velocity 25 + (80/160)²)', () => {
    const moving: KalmanState = { mean: Float64Array.of(100, 50, 0.5, 80, 2, -1, 0, 0.5), covariance: start.covariance.slice() };
    const p = kf.predict(moving);
    expectClose(p.mean, [102, 49, 0.5, 80.5, 2, -1, 0, 0.5]);
    const pred = kf.predict(start);
    const c = (i: number, j: number) => pred.covariance[i * 8 + j]!;
    expectClose([c(0, 0), c(1, 1), c(3, 3), c(0, 4), c(4, 0), c(4, 4)], [105, 105, 105, 25, 25, 25.25]);
    expectClose([c(2, 2), c(2, 6), c(6, 6)], [2e-4 + 1e-10, 1e-10, 2e-10]);
    expect(c(0, 1)).toBe(0);
  });

  it('update: gain 105/121 on the position, 25/121 on the velocity; gating distance 1 + 4 = 5', () => {
    const pred = kf.predict(start);
    // Projected variance of cx, cy, h: 105 + (80/20)² = 121; of a: 2e-4 + 1e-10 + 0.1².
    const sa = Math.sqrt(1e-2 + 2e-4 + 1e-10);
    const u = kf.update(pred, [111, 28, 0.5 + sa, 80]);
    expectClose(u.mean, [100 + (105 / 121) * 11, 50 - (105 / 121) * 22, 0.5 + ((2e-4 + 1e-10) / (1e-2 + 2e-4 + 1e-10)) * sa, 80, (25 / 121) * 11, (-25 / 121) * 22, (1e-10 / (1e-2 + 2e-4 + 1e-10)) * sa, 0]);
    expectClose([u.covariance[0]!, u.covariance[4]!, u.covariance[4 * 8 + 4]!], [105 - 105 ** 2 / 121, 25 - (25 * 105) / 121, 25.25 - 25 ** 2 / 121]);
    const d = kf.gatingDistance(pred, [111, 28, 0.5, 80, 111, 28, 0.5 + 3 * sa, 91]);
    expectClose(d, [1 + 4, 1 + 4 + 9 + 1]);
    expectClose(kf.gatingDistance(pred, [111, 28, 0.5 + 3 * sa, 91], true), [5]);
  });

  it('track: predicts every state in place and gates at chi2inv95 (4 dof, or 2 with center_only)', () => {
    const sa = Math.sqrt(1e-2 + 2e-4 + 1e-10);
    const meas = [111, 28, 0.5, 80, 111, 28, 0.5 + 3 * sa, 91]; // distances 5 and 15
    const states = [kf.initiate([100, 50, 0.5, 80])];
    const costs = kf.track(states, meas);
    expectClose([costs[0]!], [5]);
    expect(costs[1]).toBeNaN(); // 15 > 9.4877
    expect(states[0]!.covariance[0]).toBeCloseTo(105, 12);
    expect(kf.gatingThreshold).toBe(chi2inv95[4]);
    const centre = new KalmanFilter(true);
    expect(centre.gatingThreshold).toBe(5.9915);
    const c = centre.track([centre.initiate([100, 50, 0.5, 80])], meas);
    expectClose(c, [5, 5]);
    expect(Array.from(kf.track([kf.initiate([100, 50, 0.5, 80])], [100, 84, 0.5, 80]))).toEqual([NaN]); // 34²/121 = 9.55 > 9.4877
    expectClose(kf.track([kf.initiate([100, 50, 0.5, 80])], [100, 83.5, 0.5, 80]), [33.5 ** 2 / 121]); // 9.27: kept
  });

  it('matches the numpy reference over a predict/update sequence', () => {
    let s = kf.initiate(z0);
    s = kf.update(kf.predict(s), z1);
    expectClose(s.mean, NUMPY.after_update1.mean);
    expectClose(s.covariance, NUMPY.after_update1.covariance);
    s = kf.update(kf.predict(kf.predict(s)), z2);
    expectClose(s.mean, NUMPY.after_update2.mean);
    expectClose(s.covariance, NUMPY.after_update2.covariance);
    s = kf.predict(s);
    expectClose(s.mean, NUMPY.predicted3.mean);
    expectClose(s.covariance, NUMPY.predicted3.covariance);
    expectClose(kf.gatingDistance(s, zs), NUMPY.gating_full);
    expectClose(kf.gatingDistance(s, zs, true), NUMPY.gating_center);
  });

  it('trackSparse keeps exactly the gated pairs of track, with the same distances', () => {
    for (const centerOnly of [false, true]) {
      const k = new KalmanFilter(centerOnly);
      const make = () => [kf.initiate(z0), kf.update(kf.predict(kf.initiate(z0)), z1), kf.initiate([120, 80, 0.5, 40])];
      const meas: number[] = [];
      // Around each track: offsets of -30..30 px, aspect and height near the track's.
      const centres = [[300.5, 200.25, 0.41, 120], [306, 198.5, 0.43, 123], [120, 80, 0.5, 40]];
      for (let i = 0; i < 60; i++) {
        const [x, y, a, h] = centres[i % 3]! as [number, number, number, number];
        meas.push(x + 15 * ((i % 5) - 2), y + 15 * (Math.floor(i / 5) % 5 - 2), a + 0.02 * ((i % 4) - 1.5), h + 4 * ((i % 3) - 1));
      }
      const dense = k.track(make(), meas);
      const statesSparse = make();
      const sparse = k.trackSparse(statesSparse, meas);
      const expected: number[][] = [];
      for (let r = 0; r < 3; r++) for (let c = 0; c < 60; c++) if (!Number.isNaN(dense[r * 60 + c]!)) expected.push([r, c, dense[r * 60 + c]!]);
      expect(Array.from(sparse.rows, (r, e) => [r, sparse.cols[e]!, sparse.values[e]!])).toEqual(expected);
      expect(expected.length).toBeGreaterThan(10);
      expect(expected.length).toBeLessThan(150);
      expect(statesSparse[1]!.mean[0]).toBeCloseTo(NUMPY.after_update1.mean[0]! + NUMPY.after_update1.mean[4]!, 9);
    }
  });

  it('keeps the covariance symmetric positive definite and does not mutate its inputs', () => {
    const s0 = kf.initiate(z0);
    const copy = s0.covariance.slice();
    const s1 = kf.update(kf.predict(s0), z1);
    expect(Array.from(s0.covariance)).toEqual(Array.from(copy));
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) expect(s1.covariance[i * 8 + j]).toBeCloseTo(s1.covariance[j * 8 + i]!, 12);
    for (let i = 0; i < 8; i++) expect(s1.covariance[i * 8 + i]).toBeGreaterThan(0);
  });
});
