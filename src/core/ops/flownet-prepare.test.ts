import { describe, expect, it } from 'vitest';
import { flownetOutputFlow, flownetPrepare, type FlowNetPrepareOptions } from './flownet-prepare.ts';

const options: FlowNetPrepareOptions = {
  mean: [123.675, 116.28, 103.53],
  std: [58.395, 57.12, 57.375],
  flowMean: [0.411, 0.432, 0.45],
  flowStd: [255, 255, 255],
  imgShape: [5, 6],
  imgScaleFactor: 0.5,
};

/** A [1, 3, H, W] detector-normalised image whose pixels are `pixel(c, y, x)` (0-255). */
function image(h: number, w: number, pixel: (c: number, y: number, x: number) => number) {
  const data = new Float32Array(3 * h * w);
  for (let c = 0; c < 3; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(c * h + y) * w + x] = (pixel(c, y, x) - options.mean[c]!) / options.std[c]!;
  return { data, shape: [1, 3, h, w] as const };
}

describe('FlowNetSimple input preparation and output scaling (CPU twins)', () => {
  it('de-normalises, applies FlowNet’s /255 - mean, zeroes the Pad area and halves by 2x2 means', () => {
    const cur = image(8, 8, (c) => 100 + c);
    const ref = image(8, 8, (c, y) => 50 * c + y);
    const out = flownetPrepare(cur, ref, options);
    expect(out.shape).toEqual([1, 6, 4, 4]);
    const at = (c: number, y: number, x: number) => out.data[(c * 4 + y) * 4 + x]!;
    // Inside img_shape (rows 0-4, columns 0-5): the 2x2 cell (0, 0) of the current frame's channel 1.
    expect(at(1, 0, 0)).toBeCloseTo(101 / 255 - 0.432, 5);
    // The reference's channel 3+2, cell (1, 1): rows 2-3, mean of pixels 102, 103.
    expect(at(5, 1, 1)).toBeCloseTo(102.5 / 255 - 0.45, 5);
    // Cell (2, 2) straddles the last image row (4) and the Pad (5): half of its value.
    expect(at(0, 2, 2)).toBeCloseTo((100 / 255 - 0.411) / 2, 5);
    // Columns 6-7 are Pad only: zero.
    expect(at(0, 0, 3)).toBe(0);
    expect(at(4, 3, 3)).toBe(0);
  });

  it('refuses frames of different padded sizes', () => {
    expect(() => flownetPrepare(image(8, 8, () => 0), image(8, 16, () => 0), options)).toThrow('FlowNet input: the key frame is 1x3x8x16 and the current frame 1x3x8x8');
  });

  it('resizes predict_flow by 4/s and scales it by 4/s and flow_scale_factor', () => {
    const predict = { data: Float32Array.from({ length: 2 * 2 * 3 }, (_, i) => (i < 6 ? 0.5 : -0.25)), shape: [1, 2, 2, 3] as const };
    const flow = flownetOutputFlow(predict, 0.5, 5);
    expect(flow.shape).toEqual([1, 2, 16, 24]);
    expect([...new Set(flow.data.subarray(0, 16 * 24))]).toEqual([0.5 * 8 * 5]);
    expect([...new Set(flow.data.subarray(16 * 24))]).toEqual([-0.25 * 8 * 5]);
  });
});
