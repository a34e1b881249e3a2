import { describe, expect, it } from 'vitest';
import { preprocessImage, type PreprocessOptions } from '../core/ops/preprocess.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { readBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { maxAbsDiff, PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';
import { preprocessGpu, rgbaTexture } from './preprocess.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

function randomRgba(width: number, height: number, seed: number): Uint8Array {
  const rand = seededRandom(seed);
  return Uint8Array.from({ length: width * height * 4 }, () => Math.floor(rand() * 256));
}

async function parity(rgba: Uint8Array, width: number, height: number, options: PreprocessOptions): Promise<number> {
  const cpu = preprocessImage(rgba, width, height, options);
  const texture = rgbaTexture(ctx.device, rgba, width, height);
  const gpu = await preprocessGpu(ctx, texture, options);
  expect(gpu.geometry).toEqual(cpu.geometry);
  const data = await readBuffer(ctx.device, gpu.tensor, Float32Array, cpu.data.length);
  gpu.tensor.destroy();
  texture.destroy();
  return maxAbsDiff(data, cpu.data);
}

const mmdetNorm = { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] } as const;

describe('preprocess kernel vs CPU twin', () => {
  it('downscale keep_ratio, to_rgb, size_divisor 32', async () => {
    const err = await parity(randomRgba(97, 61, 1), 97, 61, { ...mmdetNorm, scale: [64, 40], toRgb: true, sizeDivisor: 32 });
    expect(err).toBeLessThan(PARITY_TOLERANCE);
  });

  it('upscale keep_ratio, BGR (to_rgb false), no padding', async () => {
    const err = await parity(randomRgba(13, 29, 2), 13, 29, { ...mmdetNorm, scale: [80, 50], toRgb: false });
    expect(err).toBeLessThan(PARITY_TOLERANCE);
  });

  it('fixed size (keep_ratio false), raw 0-255 values, 1x1 and 1-row frames', async () => {
    const raw = { mean: [0, 0, 0], std: [1, 1, 1], toRgb: true } as const;
    expect(await parity(randomRgba(50, 40, 3), 50, 40, { ...raw, scale: [33, 17], keepRatio: false, sizeDivisor: 8 })).toBeLessThan(PARITY_TOLERANCE);
    expect(await parity(randomRgba(1, 1, 4), 1, 1, { ...raw, scale: [5, 3], keepRatio: false })).toBeLessThan(PARITY_TOLERANCE);
    expect(await parity(randomRgba(9, 1, 5), 9, 1, { ...raw, scale: [4, 4], keepRatio: false })).toBeLessThan(PARITY_TOLERANCE);
  });

  it("YOLOX's pipeline: BGR 0-255, pad_to_square with pad_val 114 (the padded rows must hold 114, not 0)", async () => {
    const opts = { mean: [0, 0, 0], std: [1, 1, 1], toRgb: false, scale: [64, 64], padToSquare: true, padValue: [114, 114, 114] } as const;
    expect(await parity(randomRgba(60, 34, 6), 60, 34, opts)).toBeLessThan(PARITY_TOLERANCE);
    const cpu = preprocessImage(randomRgba(60, 34, 6), 60, 34, opts);
    expect([cpu.geometry.paddedWidth, cpu.geometry.paddedHeight, cpu.geometry.resizedHeight]).toEqual([64, 64, 36]);
    expect(cpu.data[2 * 64 * 64 + 63 * 64 + 10]).toBe(114);
  });
});
