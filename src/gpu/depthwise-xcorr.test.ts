import { describe, expect, it } from 'vitest';
import { depthwiseCorrelation } from '../core/ops/depthwise-xcorr.ts';
import type { FeatureMap } from '../core/ops/roi-align.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { depthwiseCorrelationGpu } from './depthwise-xcorr.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { maxAbsDiff, PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

function randomMap(shape: FeatureMap['shape'], rand: () => number): FeatureMap {
  return { data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() * 2 - 1), shape };
}

describe('depthwise cross-correlation kernel vs CPU twin', () => {
  it('SiamRPN++ level shapes (29x29 ⊛ 5x5, 32 channels), batch 2 non-square, template = search size', async () => {
    const rand = seededRandom(19);
    const cases: [FeatureMap['shape'], FeatureMap['shape']][] = [
      [[1, 32, 29, 29], [1, 32, 5, 5]],
      [[2, 3, 10, 7], [2, 3, 4, 2]],
      [[1, 2, 3, 3], [1, 2, 3, 3]],
    ];
    let worst = 0;
    for (const [ss, ts] of cases) {
      const search = randomMap(ss, rand);
      const template = randomMap(ts, rand);
      const cpu = depthwiseCorrelation(search, template);
      const sb = uploadBuffer(ctx.device, search.data, 'search');
      const tb = uploadBuffer(ctx.device, template.data, 'template');
      const out = await depthwiseCorrelationGpu(ctx, { buffer: sb, shape: ss }, { buffer: tb, shape: ts });
      expect(out.shape).toEqual(cpu.shape);
      worst = Math.max(worst, maxAbsDiff(await readBuffer(ctx.device, out.buffer, Float32Array, cpu.data.length), cpu.data));
      for (const b of [sb, tb, out.buffer]) b.destroy();
    }
    expect(worst).toBeLessThan(PARITY_TOLERANCE);
  });
});
