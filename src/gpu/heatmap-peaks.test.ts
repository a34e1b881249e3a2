import { describe, expect, it } from 'vitest';
import { heatmapPeaks, nchwToNhwc, type HeatmapLayout, type HeatmapShape } from '../core/ops/heatmap-peaks.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import { heatmapPeaksGpu } from './heatmap-peaks.ts';
import type { KernelContext } from './kernel-program.ts';
import { testKernelContext } from './parity-testing.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

async function expectParity(heat: Float32Array, shape: HeatmapShape, k: number, layout: HeatmapLayout = 'nhwc'): Promise<void> {
  const cpu = heatmapPeaks(heat, shape, k, layout);
  const buffer = uploadBuffer(ctx.device, heat, 'heat');
  const gpu = await heatmapPeaksGpu(ctx, buffer, shape, k, layout);
  expect(Array.from(await readBuffer(ctx.device, gpu.indices, Int32Array, k))).toEqual(Array.from(cpu.indices));
  expect(Array.from(await readBuffer(ctx.device, gpu.scores, Float32Array, k))).toEqual(Array.from(cpu.scores));
  for (const b of [buffer, gpu.scores, gpu.indices]) b.destroy();
}

describe('heat-map peaks kernel vs CPU twin', () => {
  it('sigmoid-like map 64x48x20 (several rounds), k = 100', async () => {
    const rand = seededRandom(12);
    const shape: HeatmapShape = [48, 64, 20];
    await expectParity(Float32Array.from({ length: 48 * 64 * 20 }, () => rand() ** 4), shape, 100);
  });

  it('ties: quantised values, plateaus, an all-zero map (zeros by index), negatives', async () => {
    const rand = seededRandom(13);
    const shape: HeatmapShape = [9, 11, 7];
    const n = 9 * 11 * 7;
    await expectParity(Float32Array.from({ length: n }, () => Math.floor(rand() * 4) / 4), shape, 256);
    await expectParity(new Float32Array(n), shape, 50);
    await expectParity(Float32Array.from({ length: n }, () => rand() - 0.7), shape, 256);
    await expectParity(Float32Array.from({ length: 6 }, (_, i) => i / 10), [1, 2, 3], 6);
  });

  it('an NCHW map (as the converted CenterNet outputs) gives the peaks of its NHWC transpose', async () => {
    const rand = seededRandom(14);
    const shape: HeatmapShape = [24, 20, 5];
    const nchw = Float32Array.from({ length: 24 * 20 * 5 }, () => Math.floor(rand() * 8) / 8);
    await expectParity(nchw, shape, 60, 'nchw');
    const direct = heatmapPeaks(nchw, shape, 60, 'nchw');
    const transposed = heatmapPeaks(nchwToNhwc(nchw, shape), shape, 60);
    expect(Array.from(direct.indices)).toEqual(Array.from(transposed.indices));
  });
});
