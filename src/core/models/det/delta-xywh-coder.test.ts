import { describe, expect, it } from 'vitest';
import { BBOX_CODERS, DeltaXYWHBBoxCoder } from './delta-xywh-coder.ts';

describe('DeltaXYWHBBoxCoder.decode (MMDetection delta2bbox)', () => {
  it("reproduces delta2bbox's docstring example (max_shape=(32, 32, 3))", () => {
    // mmdet/core/bbox/coder/delta_xywh_bbox_coder.py, delta2bbox Example (printed to 4 decimals).
    const rois = Float32Array.from([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 5, 5, 5, 5]);
    const deltas = Float32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 2, -1, 0.7, -1.9, -0.5, 0.3]);
    const out = new DeltaXYWHBBoxCoder().decode(rois, deltas, [32, 32]);
    const expected = [0, 0, 1, 1, 0.1409, 0.1409, 2.8591, 2.8591, 0, 0.3161, 4.1945, 0.6839, 5, 5, 5, 5];
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 4));
  });

  it('applies means and stds, one group of 4 deltas per class, and clips to (h, w) only with clip_border', () => {
    const coder = BBOX_CODERS.build({ type: 'DeltaXYWHBBoxCoder', target_means: [0, 0, 0, 0], target_stds: [0.1, 0.1, 0.2, 0.2] });
    const rois = Float32Array.from([10, 20, 30, 60]); // centre (20, 40), size 20 x 40
    const deltas = Float32Array.from([0, 0, 0, 0, 10, -5, 5, 0]); // class 0: identity; class 1: dx = 1, dy = -0.5, dw = 1
    const out = coder.decode(rois, deltas, [50, 45]);
    expect(Array.from(out.subarray(0, 4))).toEqual([10, 20, 30, 50]); // y2 clipped to h = 50
    const gw = Math.fround(20 * Math.fround(Math.exp(Math.fround(Math.fround(5) * Math.fround(0.2)))));
    expect(out[4]).toBeCloseTo(40 - gw / 2, 4);
    expect(out[6]).toBe(45); // clipped to w = 45
    expect(out[5]).toBeCloseTo(0, 6); // 40 - 20 - 20
    const unclipped = new DeltaXYWHBBoxCoder({ targetStds: [0.1, 0.1, 0.2, 0.2], clipBorder: false }).decode(rois, deltas, [50, 45]);
    expect(unclipped[3]).toBe(60);
    expect(unclipped[6]).toBeCloseTo(40 + gw / 2, 4);
  });

  it('clamps dw, dh to ±|log(wh_ratio_clip)| on both sides', () => {
    const rois = Float32Array.from([0, 0, 100, 100]);
    const big = new DeltaXYWHBBoxCoder().decode(rois, Float32Array.from([0, 0, 10, -10]));
    const r = Math.abs(Math.log(16 / 1000));
    expect(big[2]! - big[0]!).toBeCloseTo(100 * Math.exp(r), 2);
    expect(big[3]! - big[1]!).toBeCloseTo(100 * Math.exp(-r), 4);
  });

  it('checks the shapes', () => {
    expect(() => new DeltaXYWHBBoxCoder().decode(Float32Array.from([0, 0, 1, 1]), new Float32Array(6))).toThrow(/6 delta values for 1 boxes/);
    expect(new DeltaXYWHBBoxCoder().decode(new Float32Array(0), new Float32Array(0))).toHaveLength(0);
  });
});
