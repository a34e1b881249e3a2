import { describe, expect, it } from 'vitest';
import { mapRoiLevels, roiAlign, singleRoiExtractor, type FeatureMap, type RoiAlignOptions } from './roi-align.ts';
import { seededRandom } from './seeded-random.ts';

/** 1x1x4x4 ramp v(y, x) = x + 4y: bilinear interpolation of it is exact inside the map. */
const ramp: FeatureMap = { data: Float32Array.from({ length: 16 }, (_, i) => i), shape: [1, 1, 4, 4] };
const opts = (o: Partial<RoiAlignOptions>): RoiAlignOptions => ({ outputSize: 1, spatialScale: 1, samplingRatio: 0, aligned: true, ...o });
const pool = (rois: number[], o: Partial<RoiAlignOptions>, map = ramp) => Array.from(roiAlign(map, Float32Array.from(rois), opts(o)));

/** MMCV's formulas in double precision, written out straight: the reference for random inputs. */
function referenceRoiAlign(map: FeatureMap, rois: Float32Array, o: RoiAlignOptions): Float64Array {
  const [, C, H, W] = map.shape;
  const out = typeof o.outputSize === 'number' ? o.outputSize : o.outputSize[0];
  const k = rois.length / 5;
  const result = new Float64Array(k * C * out * out);
  const at = (b: number, c: number, y: number, x: number) => map.data[((b * C + c) * H + y) * W + x]!;
  const sample = (b: number, c: number, y: number, x: number): number => {
    if (y < -1 || y > H || x < -1 || x > W) return 0;
    y = Math.max(y, 0);
    x = Math.max(x, 0);
    const y0 = Math.min(Math.floor(y), H - 1);
    const x0 = Math.min(Math.floor(x), W - 1);
    if (y0 === H - 1) y = y0;
    if (x0 === W - 1) x = x0;
    const y1 = Math.min(y0 + 1, H - 1);
    const x1 = Math.min(x0 + 1, W - 1);
    const ly = y - y0;
    const lx = x - x0;
    return (1 - ly) * (1 - lx) * at(b, c, y0, x0) + (1 - ly) * lx * at(b, c, y0, x1) + ly * (1 - lx) * at(b, c, y1, x0) + ly * lx * at(b, c, y1, x1);
  };
  for (let r = 0; r < k; r++) {
    const shift = o.aligned ? 0.5 : 0;
    const [b, x1, y1, x2, y2] = Array.from(rois.subarray(r * 5, r * 5 + 5));
    const sx = x1! * o.spatialScale - shift;
    const sy = y1! * o.spatialScale - shift;
    let w = x2! * o.spatialScale - shift - sx;
    let h = y2! * o.spatialScale - shift - sy;
    if (!o.aligned) [w, h] = [Math.max(w, 1), Math.max(h, 1)];
    const gh = o.samplingRatio || Math.ceil(h / out);
    const gw = o.samplingRatio || Math.ceil(w / out);
    for (let c = 0; c < C; c++)
      for (let ph = 0; ph < out; ph++)
        for (let pw = 0; pw < out; pw++) {
          let s = 0;
          for (let iy = 0; iy < gh; iy++) for (let ix = 0; ix < gw; ix++) s += sample(b!, c, sy + ((ph + (iy + 0.5) / gh) * h) / out, sx + ((pw + (ix + 0.5) / gw) * w) / out);
          result[((r * C + c) * out + ph) * out + pw] = s / Math.max(gh * gw, 1);
        }
  }
  return result;
}

function randomMap(shape: FeatureMap['shape'], seed: number): FeatureMap {
  const rand = seededRandom(seed);
  return { data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() * 2 - 1), shape };
}

describe('roiAlign (MMCV), hand-worked bilinear cases on a ramp', () => {
  it('aligned=True shifts by half a pixel: RoI [0.5, 0.5, 2.5, 2.5] covers feature pixels 0..2', () => {
    // 1 bin, 2x2 samples at 0.5 and 1.5: mean of x + 4y = 1 + 4 * 1.
    expect(pool([0, 0.5, 0.5, 2.5, 2.5], { samplingRatio: 2 })).toEqual([5]);
    // 2x2 bins, 1 sample each at 0.5 / 1.5.
    expect(pool([0, 0.5, 0.5, 2.5, 2.5], { outputSize: 2, samplingRatio: 1 })).toEqual([2.5, 3.5, 6.5, 7.5]);
    // Adaptive: ceil(2 / 2) = 1 sample per bin, same result.
    expect(pool([0, 0.5, 0.5, 2.5, 2.5], { outputSize: 2 })).toEqual([2.5, 3.5, 6.5, 7.5]);
  });

  it('aligned=False: no shift, RoI size forced to >= 1 (a point RoI samples (x + 0.5, y + 0.5))', () => {
    expect(pool([0, 0, 0, 0, 0], { aligned: false })).toEqual([2.5]);
    expect(pool([0, 1, 1, 3, 3], { aligned: false, samplingRatio: 2 })).toEqual([2 + 4 * 2]);
  });

  it('border rules: clamp in [-1, 0], last row/column beyond H-1, zero outside [-1, H]', () => {
    // Sample at (-0.5, -0.5) clamps to (0, 0) -> 0; at (3.5, 3.5) -> last pixel 15.
    expect(pool([0, 0, 0, 0, 0], { samplingRatio: 1 })).toEqual([0]);
    expect(pool([0, 4, 4, 4, 4], { samplingRatio: 1 })).toEqual([15]);
    // RoI [-2, -2, 2, 2] aligned: start -2.5, size 4, 2 samples per axis at -1.5 and 0.5. Samples with
    // a coordinate -1.5 < -1 are 0; (0.5, 0.5) is 2.5: mean 0.625.
    expect(pool([0, -2, -2, 2, 2], { samplingRatio: 2 })).toEqual([0.625]);
    // RoI [-1, -1, 1, 1]: samples at -1.0 (not < -1: clamped to 0) and 0.0: all v(0, 0) = 0.
    expect(pool([0, -1, -1, 1, 1], { samplingRatio: 2 })).toEqual([0]);
    // Zero-size aligned RoI: adaptive grid ceil(0) = 0 samples -> 0.
    expect(pool([0, 2, 2, 2, 2], {})).toEqual([0]);
  });

  it('uses the RoI batch index and spatial scale', () => {
    const two: FeatureMap = { data: Float32Array.from({ length: 32 }, (_, i) => (i < 16 ? 0 : i - 16)), shape: [2, 1, 4, 4] };
    expect(pool([1, 1, 1, 5, 5], { spatialScale: 0.5, samplingRatio: 2 }, two)).toEqual([5]);
    expect(() => pool([2, 1, 1, 5, 5], {}, two)).toThrow(/batch index/);
  });

  it('matches the double-precision reference on random maps and RoIs (7 and 14, adaptive and fixed)', () => {
    const map = randomMap([2, 3, 11, 13], 3);
    const rand = seededRandom(4);
    const rois = Float32Array.from({ length: 30 * 5 }, (_, i) => (i % 5 === 0 ? Math.floor(rand() * 2) : rand() * 70 - 10));
    for (const o of [opts({ outputSize: 7, spatialScale: 0.25 }), opts({ outputSize: 14, spatialScale: 0.125, samplingRatio: 2, aligned: false })]) {
      const out = roiAlign(map, rois, o);
      const ref = referenceRoiAlign(map, rois, o);
      let worst = 0;
      for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i]! - ref[i]!));
      expect(worst).toBeLessThan(1e-4);
    }
  });
});

describe('SingleRoIExtractor level mapping (finest_scale 56)', () => {
  it('maps floor(log2(sqrt(wh) / 56 + 1e-6)) clamped to the levels', () => {
    const sides = [10, 56, 111.9, 112, 224, 447, 448, 2000, 0];
    const rois = Float32Array.from(sides.flatMap((s) => [0, 5, 5, 5 + s, 5 + s]));
    expect(Array.from(mapRoiLevels(rois, 4))).toEqual([0, 0, 0, 1, 2, 2, 3, 3, 0]);
    // Inverted corners (negative area) go to level 0 rather than NaN.
    expect(Array.from(mapRoiLevels(Float32Array.from([0, 300, 0, 0, 300]), 4))).toEqual([0]);
  });

  it('pools each RoI from its level with spatial scale 1 / stride', () => {
    const strides = [4, 8, 16, 32];
    const feats = strides.map((s, i) => randomMap([1, 2, 512 / s, 384 / s], 10 + i));
    const rois = Float32Array.from([0, 10, 10, 40, 50, 0, 0, 0, 150, 120, 0, 10, 10, 300, 250, 0, -50, -50, 550, 450]);
    const out = singleRoiExtractor(feats, rois, { roiLayer: { outputSize: 7, samplingRatio: 0, aligned: true }, featmapStrides: strides });
    const levels = mapRoiLevels(rois, 4);
    expect(Array.from(levels)).toEqual([0, 1, 2, 3]);
    for (let r = 0; r < 4; r++) {
      const single = roiAlign(feats[levels[r]!]!, rois.subarray(r * 5, r * 5 + 5), opts({ outputSize: 7, spatialScale: 1 / strides[levels[r]!]! }));
      expect(Array.from(out.subarray(r * 98, (r + 1) * 98))).toEqual(Array.from(single));
    }
  });
});
