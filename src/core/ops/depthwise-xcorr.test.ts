import { describe, expect, it } from 'vitest';
import { depthwiseCorrelation } from './depthwise-xcorr.ts';
import type { FeatureMap } from './roi-align.ts';
import { seededRandom } from './seeded-random.ts';

const map = (values: number[], shape: FeatureMap['shape']): FeatureMap => ({ data: Float32Array.from(values), shape });

describe('depthwiseCorrelation (grouped conv2d, no flip)', () => {
  const search = map([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);

  it('does not flip the template: a top-left 1 picks search[y][x], a bottom-right 1 picks search[y+1][x+1]', () => {
    expect(Array.from(depthwiseCorrelation(search, map([1, 0, 0, 0], [1, 1, 2, 2])).data)).toEqual([1, 2, 4, 5]);
    expect(Array.from(depthwiseCorrelation(search, map([0, 0, 0, 1], [1, 1, 2, 2])).data)).toEqual([5, 6, 8, 9]);
  });

  it('sums products per channel: a 2x1 template on 2 channels', () => {
    const s = map([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90], [1, 2, 3, 3]);
    const out = depthwiseCorrelation(s, map([1, -1, 0.5, 0.5], [1, 2, 2, 1]));
    expect(out.shape).toEqual([1, 2, 2, 3]);
    // channel 0: s[y][x] - s[y+1][x] = -3; channel 1: mean of vertical pairs.
    expect(Array.from(out.data)).toEqual([-3, -3, -3, -3, -3, -3, 25, 35, 45, 55, 65, 75]);
  });

  it('matches a direct double-precision sum on random batched inputs; rejects mismatched shapes', () => {
    const rand = seededRandom(17);
    const s = map(Array.from({ length: 2 * 3 * 9 * 8 }, () => rand() * 2 - 1), [2, 3, 9, 8]);
    const t = map(Array.from({ length: 2 * 3 * 4 * 3 }, () => rand() * 2 - 1), [2, 3, 4, 3]);
    const out = depthwiseCorrelation(s, t);
    expect(out.shape).toEqual([2, 3, 6, 6]);
    let worst = 0;
    for (let p = 0; p < 6; p++)
      for (let y = 0; y < 6; y++)
        for (let x = 0; x < 6; x++) {
          let ref = 0;
          for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) ref += s.data[p * 72 + (y + i) * 8 + x + j]! * t.data[p * 12 + i * 3 + j]!;
          worst = Math.max(worst, Math.abs(ref - out.data[p * 36 + y * 6 + x]!));
        }
    expect(worst).toBeLessThan(1e-5);
    expect(() => depthwiseCorrelation(s, map([1], [1, 1, 1, 1]))).toThrow(/differ in batch or channels/);
    expect(() => depthwiseCorrelation(t, s)).toThrow(/does not fit/);
  });
});
