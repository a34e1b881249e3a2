import { describe, expect, it } from 'vitest';
import { decimateMinMax, sliceXRange } from './decimate.ts';
import { smoothEma } from './smoothing.ts';

describe('smoothEma (TensorBoard)', () => {
  it('is the identity at weight 0', () => {
    expect(Array.from(smoothEma([3, 1, 2], 0))).toEqual([3, 1, 2]);
  });

  it('debiases the start and follows the EMA', () => {
    const w = 0.5;
    const out = smoothEma([4, 2, 0], w);
    // last: 2, 2, 1 → / (1 - 0.5^k): 4, 2/0.75, 1/0.875
    expect(out[0]).toBe(4);
    expect(out[1]).toBeCloseTo(2 / 0.75, 15);
    expect(out[2]).toBeCloseTo(1 / 0.875, 15);
  });

  it('passes NaN through without poisoning the average', () => {
    const out = smoothEma([1, Number.NaN, 1], 0.9);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 12);
  });

  it('rejects weights outside [0, 1)', () => {
    expect(() => smoothEma([1], 1)).toThrow(RangeError);
  });
});

describe('decimation', () => {
  it('keeps small series as they are', () => {
    expect(Array.from(decimateMinMax([1, 2], [3, 4], 10).y)).toEqual([3, 4]);
  });

  it('keeps spikes, the ends and x order', () => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 1000));
    y[54_321] = 50;
    y[77_777] = -50;
    const d = decimateMinMax(x, y, 400);
    expect(d.x.length).toBeLessThanOrEqual(400);
    expect(Math.max(...d.y)).toBe(50);
    expect(Math.min(...d.y)).toBe(-50);
    expect(d.x[0]).toBe(0);
    expect(d.x[d.x.length - 1]).toBe(n - 1);
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]!).toBeGreaterThan(d.x[i - 1]!);
  });

  it('slices an x range with one neighbour on each side', () => {
    const s = sliceXRange([0, 1, 2, 3, 4, 5], [0, 10, 20, 30, 40, 50], 2, 3.5);
    expect(Array.from(s.x)).toEqual([1, 2, 3, 4]);
    expect(Array.from(s.y)).toEqual([10, 20, 30, 40]);
  });
});
