import { describe, expect, it } from 'vitest';
import type { FeatureMap } from '../../ops/roi-align.ts';
import { seededRandom } from '../../ops/seeded-random.ts';
import { centerCropFeatures, cosineResponse, type FeatureBackend, SiamFcTracker, upsampleResponse } from './siamfc-tracker.ts';
import type { SotFrame } from './sot-tracker.ts';

const randomMap = (seed: number, shape: [number, number, number, number]): FeatureMap => {
  const rnd = seededRandom(seed);
  return { data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rnd() * 2 - 1), shape };
};

describe('SiamFC response helpers', () => {
  it('cosine response equals a brute-force cosine similarity of every window', () => {
    const x = randomMap(1, [1, 5, 9, 11]);
    const z = randomMap(2, [1, 5, 4, 3]);
    const r = cosineResponse(x, z);
    expect([r.height, r.width]).toEqual([6, 9]);
    for (let y = 0; y < 6; y++) {
      for (let xx = 0; xx < 9; xx++) {
        let dot = 0;
        let nx = 0;
        let nz = 0;
        for (let c = 0; c < 5; c++) {
          for (let i = 0; i < 4; i++) {
            for (let j = 0; j < 3; j++) {
              const a = x.data[(c * 9 + y + i) * 11 + xx + j]!;
              const b = z.data[(c * 4 + i) * 3 + j]!;
              dot += a * b;
              nx += a * a;
              nz += b * b;
            }
          }
        }
        expect(r.data[y * 9 + xx]).toBeCloseTo(dot / Math.sqrt(nx * nz), 5);
      }
    }
  });

  it('takes centre cells and upsamples with half-pixel bilinear taps', () => {
    const f = randomMap(3, [1, 2, 6, 6]);
    const c = centerCropFeatures(f, 2);
    expect(c.shape).toEqual([1, 2, 2, 2]);
    expect(Array.from(c.data)).toEqual([f.data[14], f.data[15], f.data[20], f.data[21], f.data[50], f.data[51], f.data[56], f.data[57]]);
    expect(() => centerCropFeatures(f, 3)).toThrow(/centre 3x3 cells of a 6x6/);
    const up = upsampleResponse(Float64Array.from([0, 4, 8, 12]), 2, 2, 2);
    // Row 0: taps at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped) → 0, 1, 3, 4.
    expect(Array.from(up.subarray(0, 4))).toEqual([0, 1, 3, 4]);
    expect(Array.from(upsampleResponse(Float64Array.from([1, 2, 3]), 1, 3, 1))).toEqual([1, 2, 3]);
  });
});

/** Colour features: 8x8 average pooling of the crop (stride 8), so the tracking loop can be checked without a network. */
class PooledColourBackend implements FeatureBackend {
  features(crop: Float32Array, size: number): Promise<FeatureMap> {
    const cells = Math.floor(size / 8);
    const out = new Float32Array(3 * cells * cells);
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < cells; y++) {
        for (let x = 0; x < cells; x++) {
          let s = 0;
          for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) s += crop[(c * size + y * 8 + i) * size + x * 8 + j]!;
          out[(c * cells + y) * cells + x] = s / 64 - 128;
        }
      }
    }
    return Promise.resolve({ data: out, shape: [1, 3, cells, cells] });
  }
}

/** A textured 48x36 object moving over a static textured background. */
function scene(t: number): { frame: SotFrame; box: [number, number, number, number] } {
  const [w, h] = [320, 240];
  const bg = seededRandom(11);
  const data = new Uint8Array(w * h * 4);
  for (let p = 0; p < w * h; p++) {
    const v = 90 + Math.floor(bg() * 40);
    data.set([v, v, v, 255], p * 4);
  }
  const box: [number, number, number, number] = [60 + 4 * t, 50 + 3 * t, 48, 36];
  const tex = seededRandom(12);
  for (let y = 0; y < box[3]; y++) {
    for (let x = 0; x < box[2]; x++) {
      const stripe = (Math.floor(x / 8) + Math.floor(y / 6)) % 2 === 0;
      data.set([stripe ? 230 : 30, 60 + Math.floor(tex() * 40), stripe ? 40 : 200, 255], ((box[1] + y) * w + box[0] + x) * 4);
    }
  }
  return { frame: { data, width: w, height: h }, box };
}

describe('SiamFcTracker', () => {
  it('follows a moving object (the displacement maps back to frame pixels with the right sign and scale)', async () => {
    const tracker = new SiamFcTracker(
      { exemplarSize: 127, searchSize: 255, contextAmount: 0.5, numScales: 3, scaleStep: 1.0375, scalePenalty: 0.9745, scaleLr: 0.59, windowInfluence: 0.176, responseUp: 16, totalStride: 8 },
      new PooledColourBackend(),
    );
    const first = scene(0);
    await tracker.init(first.frame, first.box);
    let last: { box: number[]; score: number } | undefined;
    for (let t = 1; t <= 12; t++) last = await tracker.track(scene(t).frame);
    const gt = scene(12).box;
    const [x, y, w, h] = last!.box as [number, number, number, number];
    // Centre within 4 px of the truth after 12 frames of 5 px/frame motion; size stays within 15%.
    expect(Math.hypot(x + w / 2 - (gt[0] + gt[2] / 2), y + h / 2 - (gt[1] + gt[3] / 2))).toBeLessThan(4);
    expect(w / gt[2]).toBeGreaterThan(0.85);
    expect(w / gt[2]).toBeLessThan(1.15);
    expect(last!.score).toBeGreaterThan(0.5);
  });
});
