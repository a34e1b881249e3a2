import { describe, expect, it } from 'vitest';
import { embedAggregate } from '../core/ops/embed-aggregate.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import { embedAggregateGpu, MAX_AGGREGATED_FRAMES } from './embed-aggregate.ts';
import type { KernelContext } from './kernel-program.ts';
import { maxAbsDiff, PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

describe('embedding aggregation kernel vs CPU twin', () => {
  it('5 and 31 frames (MMTracking’s window), more feature than embedding channels, centre in the middle', async () => {
    for (const [n, c, ce, h, w] of [[5, 16, 16, 8, 10], [31, 24, 8, 5, 7]] as const) {
      const rand = seededRandom(n);
      const feats = { data: Float32Array.from({ length: n * c * h * w }, () => rand() * 2 - 1), shape: [n, c, h, w] as const };
      const embeds = { data: Float32Array.from({ length: n * ce * h * w }, () => rand() * 2 - 1), shape: [n, ce, h, w] as const };
      const center = (n - 1) / 2;
      const fb = uploadBuffer(ctx.device, feats.data, 'feats');
      const eb = uploadBuffer(ctx.device, embeds.data, 'embeds');
      const out = await embedAggregateGpu(ctx, { buffer: fb, shape: feats.shape }, { buffer: eb, shape: embeds.shape }, center);
      const cpu = embedAggregate(feats, embeds, center);
      expect(maxAbsDiff(await readBuffer(ctx.device, out.buffer, Float32Array, cpu.length), cpu), `${n} frames`).toBeLessThan(PARITY_TOLERANCE);
      for (const b of [fb, eb, out.buffer]) b.destroy();
    }
  });

  it('refuses a window larger than the kernel holds', async () => {
    const b = uploadBuffer(ctx.device, new Float32Array(4), 'x');
    const n = MAX_AGGREGATED_FRAMES + 1;
    await expect(embedAggregateGpu(ctx, { buffer: b, shape: [n, 1, 1, 1] }, { buffer: b, shape: [n, 1, 1, 1] }, 0)).rejects.toThrow(`${n} frames; the kernel aggregates at most ${MAX_AGGREGATED_FRAMES}`);
    b.destroy();
  });
});
