import { describe, expect, it } from 'vitest';
import { preprocessGeometry } from '../../ops/preprocess.ts';
import { type DetectorFeatureReidSettings, pooledEmbeddings } from './detector-feature-reid.ts';
import { reidSettings as detectorFeatureReidSettings } from './reid-settings.ts';

const onnx = { reid: { file: 'f.onnx', inputs: { crop: { dtype: 'float32', shape: [1, 3, null, null] } }, outputs: { features: { dtype: 'float32', rank: 4 } } } };

describe('DetectorFeatureReID settings', () => {
  it('reads model.reid with its defaults and the onnx.reid entry; no model.reid → null', () => {
    const s = detectorFeatureReidSettings({ model: { reid: { type: 'DetectorFeatureReID', roi_size: [2, 1] } }, onnx });
    expect(s).toMatchObject({ imgScale: [512, 512], sizeDivisor: 8, roiSize: [2, 1], stride: 8, onnx: { role: 'reid', file: 'f.onnx' } });
    expect(detectorFeatureReidSettings({ model: { type: 'DeepSORT' } })).toBeNull();
    expect(() => detectorFeatureReidSettings({ model: { reid: { type: 'DetectorFeatureReID' } } })).toThrow(/model\.reid: DetectorFeatureReID needs onnx\.reid/);
    expect(() => detectorFeatureReidSettings({ model: { reid: { type: 'DetectorFeatureReID', roi: [2, 1] } }, onnx })).toThrow(/does not accept key 'roi'; accepted keys: img_scale, size_divisor, roi_size, stride/);
    expect(() => detectorFeatureReidSettings({ model: { reid: { type: 'ReID' } }, onnx })).toThrow(/unknown type 'ReID' in registry 'reid'.*known types: BaseReID, DetectorFeatureReID/);
  });
});

describe('pooledEmbeddings', () => {
  // A 2-channel 8x8 feature map at stride 8 of a 64x64 input: channel 0 lit on the left half, channel 1 on the right.
  const features = { data: new Float32Array(2 * 64), shape: [1, 2, 8, 8] as const };
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) features.data[(x < 4 ? 0 : 64) + y * 8 + x] = 1 + y;
  const s: DetectorFeatureReidSettings = { type: 'DetectorFeatureReID', imgScale: [64, 64], sizeDivisor: 8, roiSize: [2, 1], stride: 8, onnx: { role: 'reid', file: 'f.onnx', inputs: [], outputs: [] } };
  // The frame is 128x128: boxes are in frame pixels, scaled by 0.5 onto the input.
  const geometry = preprocessGeometry(128, 128, { scale: [64, 64], keepRatio: true, mean: [0, 0, 0], std: [1, 1, 1], toRgb: true, sizeDivisor: 8 });

  it('pools each box into an L2-normalised C x h x w row, from the right place of the map', () => {
    const boxes = Float32Array.from([0, 0, 48, 128, 80, 0, 128, 128, 2, 4, 50, 124]);
    const e = pooledEmbeddings(features, boxes, geometry, s);
    expect(e.dim).toBe(4);
    expect(e.data.length).toBe(12);
    const row = (i: number) => Array.from(e.data.subarray(i * 4, i * 4 + 4));
    for (let i = 0; i < 3; i++) expect(Math.hypot(...row(i))).toBeCloseTo(1, 6);
    // Left box: only channel 0 (its two vertical bins, the lower one brighter); right box: only channel 1.
    const [a0, a1, a2, a3] = row(0);
    expect([a2, a3]).toEqual([0, 0]);
    expect(a1!).toBeGreaterThan(a0!);
    expect(row(1).slice(0, 2)).toEqual([0, 0]);
    // A slightly moved left box is near the left box and far from the right one.
    const dist = (p: number[], q: number[]) => Math.hypot(...p.map((v, k) => v - q[k]!));
    expect(dist(row(2), row(0))).toBeLessThan(0.05);
    expect(dist(row(2), row(1))).toBeCloseTo(Math.SQRT2, 1);
    expect(pooledEmbeddings(features, new Float32Array(0), geometry, s)).toEqual({ data: new Float32Array(0), dim: 4 });
  });
});
