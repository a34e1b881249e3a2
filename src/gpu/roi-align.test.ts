import { describe, expect, it } from 'vitest';
import { roiAlign, singleRoiExtractor, type FeatureMap, type RoiAlignOptions } from '../core/ops/roi-align.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { maxAbsDiff, PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';
import { roiAlignGpu, singleRoiExtractorGpu } from './roi-align.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

function randomMap(shape: FeatureMap['shape'], seed: number): FeatureMap {
  const rand = seededRandom(seed);
  return { data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() * 2 - 1), shape };
}

/** Random RoIs over [-pad, size + pad], plus adversarial ones: image borders, zero-area, inverted, outside. */
function rois(count: number, batch: number, width: number, height: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const list: number[][] = [];
  for (let i = 0; i < count; i++) {
    const x = rand() * width * 1.2 - width * 0.1;
    const y = rand() * height * 1.2 - height * 0.1;
    list.push([Math.floor(rand() * batch), x, y, x + rand() * width * 0.6, y + rand() * height * 0.6]);
  }
  list.push([0, 0, 0, width, height], [batch - 1, width - 1, height - 1, width, height], [0, 5, 5, 5, 5], [0, 9, 9, 3, 4], [0, -40, -40, -20, -20], [0, 0, 0, 0.5, 200]);
  return Float32Array.from(list.flat());
}

describe('RoIAlign kernel vs CPU twin', () => {
  it('single level: output 7 and 14, adaptive and fixed sampling, aligned true and false, batch 2', async () => {
    const map = randomMap([2, 3, 17, 23], 31);
    const roiData = rois(24, 2, 23 * 8, 17 * 8, 32);
    const k = roiData.length / 5;
    const features = uploadBuffer(ctx.device, map.data, 'features');
    const roiBuffer = uploadBuffer(ctx.device, roiData, 'rois');
    let worst = 0;
    const variants: RoiAlignOptions[] = [
      { outputSize: 7, spatialScale: 1 / 8, samplingRatio: 0, aligned: true },
      { outputSize: 7, spatialScale: 1 / 8, samplingRatio: 2, aligned: false },
      { outputSize: 14, spatialScale: 1 / 8, samplingRatio: 0, aligned: false },
      { outputSize: 14, spatialScale: 1 / 8, samplingRatio: 3, aligned: true },
    ];
    for (const o of variants) {
      const cpu = roiAlign(map, roiData, o);
      const out = await roiAlignGpu(ctx, { buffer: features, shape: map.shape }, roiBuffer, k, o);
      worst = Math.max(worst, maxAbsDiff(await readBuffer(ctx.device, out, Float32Array, cpu.length), cpu));
      out.destroy();
    }
    expect(worst).toBeLessThan(PARITY_TOLERANCE);
    features.destroy();
    roiBuffer.destroy();
  });

  it('multi-level SingleRoIExtractor (strides 4..32, finest_scale 56) and zero RoIs', async () => {
    const strides = [4, 8, 16, 32];
    const maps = strides.map((s, i) => randomMap([1, 4, 320 / s, 256 / s], 40 + i));
    const roiData = rois(30, 1, 256, 320, 45);
    const k = roiData.length / 5;
    const buffers = maps.map((m) => ({ buffer: uploadBuffer(ctx.device, m.data, 'level'), shape: m.shape }));
    const roiBuffer = uploadBuffer(ctx.device, roiData, 'rois');
    const options = { roiLayer: { outputSize: 7, samplingRatio: 0, aligned: true }, featmapStrides: strides, finestScale: 56 };
    const cpu = singleRoiExtractor(maps, roiData, options);
    const out = await singleRoiExtractorGpu(ctx, buffers, roiBuffer, k, options);
    expect(maxAbsDiff(await readBuffer(ctx.device, out, Float32Array, cpu.length), cpu)).toBeLessThan(PARITY_TOLERANCE);
    out.destroy();
    const empty = await singleRoiExtractorGpu(ctx, buffers, roiBuffer, 0, options);
    expect(empty.size).toBeGreaterThan(0);
    empty.destroy();
    for (const b of buffers) b.buffer.destroy();
    roiBuffer.destroy();
  });
});
