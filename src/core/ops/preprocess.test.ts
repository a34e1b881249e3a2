import { describe, expect, it } from 'vitest';
import { grayPool } from './lucas-kanade.ts';
import { linearTap, type PreprocessOptions, preprocessGeometry, preprocessGrayPool, preprocessImage, rescaleSize } from './preprocess.ts';

function gray(values: number[], width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  values.forEach((v, i) => rgba.fill(v, i * 4, i * 4 + 3));
  return rgba;
}

const identity = { mean: [0, 0, 0], std: [1, 1, 1], toRgb: true } as const;

describe('rescaleSize (mmcv.rescale_size)', () => {
  it('fits the long edge to max(scale) and the short edge to min(scale), int(x + 0.5)', () => {
    // min(1333/1920, 800/1080) = 0.694270..; 1080 * 0.694270 = 749.8 -> 750.
    expect(rescaleSize(1920, 1080, [1333, 800])).toEqual([1333, 750]);
    // min(1333/640, 800/480) = 5/3; 640 * 5/3 = 1066.67 -> 1067.
    expect(rescaleSize(640, 480, [1333, 800])).toEqual([1067, 800]);
    // Portrait frames: scale order does not matter.
    expect(rescaleSize(480, 640, [800, 1333])).toEqual([800, 1067]);
  });

  it('gives the pad shape and MMDetection scale_factor', () => {
    const g = preprocessGeometry(1920, 1080, { ...identity, scale: [1333, 800], sizeDivisor: 32 });
    expect(g).toMatchObject({ resizedWidth: 1333, resizedHeight: 750, paddedWidth: 1344, paddedHeight: 768 });
    expect(g.scaleFactor[0]).toBeCloseTo(1333 / 1920, 12);
    expect(g.scaleFactor[1]).toBeCloseTo(750 / 1080, 12);
    expect(preprocessGeometry(10, 10, { ...identity, scale: [7, 9], keepRatio: false })).toMatchObject({ resizedWidth: 7, resizedHeight: 9, paddedWidth: 7, paddedHeight: 9 });
  });

  it('rejects impossible sizes', () => {
    expect(() => preprocessGeometry(0, 10, { ...identity, scale: [7, 9] })).toThrow(/empty frame/);
    expect(() => preprocessGeometry(10, 10, { ...identity, scale: [7, 9], sizeDivisor: 0 })).toThrow(/size_divisor/);
  });
});

describe('bilinear resize (cv2.resize INTER_LINEAR sampling)', () => {
  it('matches hand-computed OpenCV values: upscale 2 -> 4 clamps the edge taps', () => {
    // cv2.resize(np.uint8([[0, 100]]), (4, 1)) == [[0, 25, 75, 100]]
    const { data } = preprocessImage(gray([0, 100], 2, 1), 2, 1, { ...identity, scale: [4, 1], keepRatio: false });
    expect(Array.from(data.subarray(0, 4))).toEqual([0, 25, 75, 100]);
  });

  it('downscale 4 -> 2 averages pixel pairs (half-pixel centres)', () => {
    const { data } = preprocessImage(gray([0, 10, 20, 40], 4, 1), 4, 1, { ...identity, scale: [2, 1], keepRatio: false });
    expect(Array.from(data.subarray(0, 2))).toEqual([5, 30]);
  });

  it('interpolates rows then columns: 2x2 -> 3x3 centre is the mean', () => {
    // scale 2/3: dst 1 -> (1.5 * 2/3) - 0.5 = 0.5 in both axes.
    const { data } = preprocessImage(gray([0, 40, 80, 120], 2, 2), 2, 2, { ...identity, scale: [3, 3], keepRatio: false });
    expect(data[4]).toBeCloseTo(60, 4);
    expect(data[0]).toBe(0);
    expect(data[8]).toBe(120);
  });

  it('linearTap follows fx = (dx + 0.5) * src/dst - 0.5 with edge clamping', () => {
    expect(linearTap(0, 10, 5)).toEqual({ index: 0, frac: 0.5 });
    expect(linearTap(4, 10, 5)).toEqual({ index: 8, frac: 0.5 });
    expect(linearTap(0, 5, 10)).toEqual({ index: 0, frac: 0 }); // -0.25 -> clamped
    expect(linearTap(9, 5, 10)).toEqual({ index: 4, frac: 0 }); // 4.25 -> last column
  });
});

describe('normalise, channel order and padding', () => {
  it('subtracts mean, divides by std per output channel, swaps to BGR unless to_rgb, pads with 0', () => {
    const rgba = new Uint8Array([10, 20, 30, 255]);
    const opts = { scale: [1, 1] as const, mean: [1, 2, 3] as const, std: [2, 4, 8] as const, sizeDivisor: 2 };
    const rgb = preprocessImage(rgba, 1, 1, { ...opts, toRgb: true });
    expect(rgb.geometry).toMatchObject({ paddedWidth: 2, paddedHeight: 2 });
    expect(Array.from(rgb.data)).toEqual([4.5, 0, 0, 0, 4.5, 0, 0, 0, 3.375, 0, 0, 0]);
    const bgr = preprocessImage(rgba, 1, 1, { ...opts, toRgb: false });
    expect(Array.from(bgr.data)).toEqual([14.5, 0, 0, 0, 4.5, 0, 0, 0, 0.875, 0, 0, 0]);
  });
});

describe('preprocessGrayPool (the default VID flow pyramid straight from the frame)', () => {
  it("equals pooling the pre-processed tensor's channel mean: normalisation, channel order, padding with its fill", () => {
    const [width, height] = [45, 26];
    const rgba = Uint8Array.from({ length: width * height * 4 }, (_, i) => (i * 37 + (i >> 5)) % 256);
    const cases: PreprocessOptions[] = [
      { scale: [64, 64], mean: [0, 0, 0], std: [1, 1, 1], toRgb: true, padToSquare: true },
      { scale: [40, 30], mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], toRgb: false, sizeDivisor: 16, padValue: [0.5, -1, 2] },
    ];
    for (const options of cases) {
      const { data, geometry: g } = preprocessImage(rgba, width, height, options);
      for (const factor of [2, 4]) {
        const ours = preprocessGrayPool(rgba, width, height, options, factor, 1 / 255);
        const ref = grayPool(data, 3, g.paddedHeight, g.paddedWidth, factor, 1 / 255);
        expect([ours.height, ours.width]).toEqual([ref.height, ref.width]);
        let max = 0;
        for (let i = 0; i < ref.data.length; i++) max = Math.max(max, Math.abs(ours.data[i]! - ref.data[i]!));
        expect(max, `factor ${factor}`).toBeLessThan(1e-6);
      }
    }
  });
});
