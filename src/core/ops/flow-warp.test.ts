import { describe, expect, it } from 'vitest';
import { flowWarpFixture } from './flow-warp-fixture.node.ts';
import { flowWarpFeats, flowWarpScale, resizeFlow } from './flow-warp.ts';
import type { FeatureMap } from './roi-align.ts';

/** A feature map whose channel 0 is f(y, x) and channel 1 is g(y, x). */
function planes(h: number, w: number, fx: (y: number, x: number) => number, fy: (y: number, x: number) => number): FeatureMap {
  const data = new Float32Array(2 * h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      data[y * w + x] = fx(y, x);
      data[h * w + y * w + x] = fy(y, x);
    }
  }
  return { data, shape: [1, 2, h, w] };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

describe('flow_warp_feats (CPU twin)', () => {
  it("equals PyTorch running MMTracking's function on every fixture case", () => {
    const cases = flowWarpFixture();
    expect(cases.map((c) => c.name)).toEqual(['dff-stride16', 'same-size', 'flow-smaller', 'odd-quarter', 'leaving-frame']);
    for (const c of cases) {
      const ours = flowWarpFeats(c.x, c.flow);
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - c.out[i]!));
      expect(worst, c.name).toBeLessThan(2e-6);
    }
  });

  // On ramps (x = column, y = row) bilinear sampling is exact, so the output is the sampling point itself:
  // p = clamp((i + d) * (size - 1) / size, 0, size - 1).
  const H = 6;
  const W = 10;
  const ramp = planes(H, W, (_y, x) => x, (y) => y);
  const expectSampled = (flow: FeatureMap, du: (y: number, x: number) => number, dv: (y: number, x: number) => number) => {
    const out = flowWarpFeats(ramp, flow);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        expect(out[y * W + x]).toBeCloseTo(clamp(((x + du(y, x)) * (W - 1)) / W, 0, W - 1), 5);
        expect(out[H * W + y * W + x]).toBeCloseTo(clamp(((y + dv(y, x)) * (H - 1)) / H, 0, H - 1), 5);
      }
    }
  };

  it('zero flow samples at i * (size - 1) / size, not at i (MMTracking’s grid, kept)', () => {
    expectSampled(planes(H, W, () => 0, () => 0), () => 0, () => 0);
    const out = flowWarpFeats(ramp, planes(H, W, () => 0, () => 0));
    expect(out[W - 1]).toBeCloseTo(((W - 1) * (W - 1)) / W, 5);
  });

  it('integer and sub-pixel shifts', () => {
    expectSampled(planes(H, W, () => 2, () => -1), () => 2, () => -1);
    expectSampled(planes(H, W, () => 0.25, () => 1.75), () => 0.25, () => 1.75);
    expectSampled(planes(H, W, (y) => y * 0.3, (_y, x) => -x * 0.1), (y) => y * 0.3, (_y, x) => -x * 0.1);
  });

  it('exactGrid samples at i + d itself (integer shifts move the map by whole pixels)', () => {
    const flow = planes(H, W, () => 2, () => -1);
    const out = flowWarpFeats(ramp, flow, { exactGrid: true });
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        expect(out[y * W + x]).toBe(clamp(x + 2, 0, W - 1));
        expect(out[H * W + y * W + x]).toBe(clamp(y - 1, 0, H - 1));
      }
    }
    expect(flowWarpFeats(ramp, planes(H, W, () => 0, () => 0), { exactGrid: true })).toEqual(ramp.data);
  });

  it('flows leaving the frame read the border (padding_mode="border")', () => {
    expectSampled(planes(H, W, () => 50, () => -50), () => 50, () => -50);
    const out = flowWarpFeats(ramp, planes(H, W, () => -1e6, () => 1e6));
    expect(out.slice(0, W)).toEqual(new Float32Array(W).fill(0));
    expect(out.slice(H * W, H * W + W)).toEqual(new Float32Array(W).fill(H - 1));
  });

  it('a flow at 4x the resolution is resized to the features and its values scaled by 1/4', () => {
    const flow = planes(4 * H, 4 * W, () => 8, () => -4);
    expect(flowWarpScale(ramp.shape, flow.shape)).toBe(0.25);
    const resized = resizeFlow(flow, 0.25, H, W);
    expect([...new Set(resized.slice(0, H * W))]).toEqual([2]);
    expect([...new Set(resized.slice(H * W))]).toEqual([-1]);
    expectSampled(flow, () => 2, () => -1);
  });

  it('refuses shapes PyTorch would fail on, naming them', () => {
    expect(() => flowWarpFeats(ramp, planes(5 * H, 4 * W, () => 0, () => 0))).toThrow("flow_warp_feats: a 30x40 flow resized by 0.25 is 7x10, not the features' 6x10");
    expect(() => flowWarpScale([1, 3, 6, 10], [1, 3, 6, 10])).toThrow('the flow must have 2 channels (u, v), got 3');
    expect(() => flowWarpScale([2, 3, 6, 10], [1, 2, 6, 10])).toThrow('1 flows for 2 feature maps');
  });
});
