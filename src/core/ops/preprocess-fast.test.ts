import { describe, expect, it } from 'vitest';
import { preprocessImage, type PreprocessOptions } from './preprocess.ts';
import { preprocessImageFast } from './preprocess-fast.ts';
import { seededRandom } from './seeded-random.ts';

/** A noisy RGBA frame with smooth gradients, so interpolation weights matter everywhere. */
function frame(width: number, height: number, seed: number): Uint8Array {
  const next = seededRandom(seed);
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      rgba[p] = (x * 7 + y * 3 + next() * 40) & 255;
      rgba[p + 1] = (y * 5 + next() * 255) & 255;
      rgba[p + 2] = (x * y + 11) & 255;
      rgba[p + 3] = 255;
    }
  }
  return rgba;
}

const COCO = { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] } as const;

describe('preprocessImageFast: the same float32 values as the twin, bit for bit', () => {
  it.each<[string, number, number, PreprocessOptions]>([
    ['CenterNet: 960x540 stretched to 512x512, RGB, 0-255', 960, 540, { scale: [512, 512], keepRatio: false, mean: [0, 0, 0], std: [1, 1, 1], toRgb: true }],
    ['Faster R-CNN: keep ratio, BGR, pad to 32', 97, 61, { scale: [1333, 800], mean: COCO.mean, std: COCO.std, toRgb: false, sizeDivisor: 32 }],
    ['YOLOX: pad to square with 114', 83, 47, { scale: [64, 64], mean: [0, 0, 0], std: [1, 1, 1], toRgb: false, padToSquare: true, padValue: [114, 114, 114] }],
    ['downscale by 3 (rows skipped)', 90, 60, { scale: [30, 20], keepRatio: false, mean: COCO.mean, std: COCO.std, toRgb: true }],
    ['upscale (rows shared by several output rows), one source row', 13, 1, { scale: [40, 5], keepRatio: false, mean: [10, 20, 30], std: [2, 3, 4], toRgb: true }],
    ['same size', 31, 17, { scale: [31, 17], keepRatio: false, mean: COCO.mean, std: COCO.std, toRgb: true }],
  ])('%s', (_, width, height, options) => {
    const rgba = frame(width, height, width * 1000 + height);
    const twin = preprocessImage(rgba, width, height, options);
    const fast = preprocessImageFast(rgba, width, height, options);
    expect(fast.geometry).toEqual(twin.geometry);
    expect(fast.data.length).toBe(twin.data.length);
    let differing = 0;
    for (let i = 0; i < twin.data.length; i++) if (!Object.is(fast.data[i], twin.data[i])) differing++;
    expect(differing).toBe(0);
  });

  it('rejects a buffer of the wrong size as the twin does', () => {
    expect(() => preprocessImageFast(new Uint8Array(10), 2, 2, { scale: [2, 2], mean: [0, 0, 0], std: [1, 1, 1], toRgb: true })).toThrow(/10 bytes for a 2x2 RGBA frame/);
  });
});
