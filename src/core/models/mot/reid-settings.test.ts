import { describe, expect, it } from 'vitest';
import type { ConfigValue } from '../../config/config-value.ts';
import { reidCrops, reidSettings } from './reid-settings.ts';

const onnx = { reid: { file: 'reid.onnx', inputs: { input: { dtype: 'float32', shape: [null, 3, 256, 128] } }, outputs: { output: { dtype: 'float32', rank: 2 } } } };
const tracker = (reid: ConfigValue) => ({ type: 'SortTracker', reid });

describe('BaseReID settings (a trained ReID model as ONNX)', () => {
  it("crops at the tracker's reid.img_scale, normalised by img_norm_cfg or else the detector's normalisation", () => {
    const detectorNorm = { mean: [1, 2, 3], std: [4, 5, 6], toRgb: false } as const;
    const withNorm = reidSettings({ model: { reid: { type: 'BaseReID', backbone: { type: 'ResNet', depth: 50 }, head: { type: 'LinearReIDHead' } }, tracker: tracker({ img_scale: [256, 128], img_norm_cfg: { mean: [10, 20, 30], std: [2, 2, 2], to_rgb: true } }) }, onnx }, detectorNorm);
    expect(withNorm).toMatchObject({ type: 'BaseReID', imgScale: [256, 128], norm: { mean: [10, 20, 30], std: [2, 2, 2], toRgb: true }, onnx: { file: 'reid.onnx' } });
    const detector = reidSettings({ model: { reid: { type: 'BaseReID' }, tracker: tracker({ img_scale: [128, 64], img_norm_cfg: null }) }, onnx }, detectorNorm);
    expect(detector).toMatchObject({ imgScale: [128, 64], norm: detectorNorm });
    expect(() => reidSettings({ model: { reid: { type: 'BaseReID' }, tracker: tracker(null) }, onnx })).toThrow(/model\.tracker\.reid\.img_scale: BaseReID crops need \(h, w\), got nothing/);
    expect(() => reidSettings({ model: { reid: { type: 'BaseReID' }, tracker: tracker({ img_scale: [256, 128] }) } })).toThrow(/model\.reid: BaseReID needs onnx\.reid/);
    expect(() => reidSettings({ model: { reid: { type: 'BaseReID' }, tracker: tracker({ img_scale: [256, 128], img_norm_cfg: { mean: [1, 2], std: [1, 1, 1] } }) }, onnx })).toThrow(/img_norm_cfg\.mean: expected 3 numbers/);
  });
});

describe('reidCrops (MMTracking crop_imgs + F.interpolate bilinear, align_corners=False)', () => {
  it('upsamples a 2x2 box as torch does and normalises per channel', () => {
    // A 4x4 RGBA frame; the box (1, 1)-(3, 3) holds red values 0, 10 / 20, 30.
    const frame = new Uint8Array(4 * 4 * 4);
    const set = (x: number, y: number, r: number) => frame.set([r, 100, 200, 255], (y * 4 + x) * 4);
    set(1, 1, 0);
    set(2, 1, 10);
    set(1, 2, 20);
    set(2, 2, 30);
    const out = reidCrops(frame, 4, 4, Float32Array.from([1.7, 1.2, 3.9, 3.4]), [4, 4], { mean: [0, 50, 0], std: [1, 2, 1], toRgb: true });
    // Red plane: torch's bilinear 2→4 gives taps at source -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    expect(Array.from(out.subarray(0, 4))).toEqual([0, 2.5, 7.5, 10]);
    expect(Array.from(out.subarray(12, 16))).toEqual([20, 22.5, 27.5, 30]);
    // Green (100 - 50) / 2 everywhere; blue 200.
    expect(new Set(out.subarray(16, 32))).toEqual(new Set([25]));
    expect(new Set(out.subarray(32, 48))).toEqual(new Set([200]));
    // BGR order when to_rgb is False; boxes outside the frame are clamped, empty ones widened to one pixel.
    const bgr = reidCrops(frame, 4, 4, Float32Array.from([-5, -5, 0.5, 0.5]), [2, 2], { mean: [0, 0, 0], std: [1, 1, 1], toRgb: false });
    expect(Array.from(bgr)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
