import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { temporalAttentionAggregate } from '../core/ops/temporal-attention.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { maxAbsDiff, PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';
import { MAX_TEMPORAL_FRAMES, temporalAttentionGpu } from './temporal-attention.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

describe('temporal attention kernel vs CPU twin', () => {
  it('4 blocks over 3 frames, 16 frames (MMTracking: 14 references + 2), and the mean without blocks', async () => {
    for (const [frames, rois, channels, blocks] of [[3, 5, 16, 4], [16, 3, 24, 4], [4, 2, 6, 0]] as const) {
      const rand = seededRandom(frames * 10 + blocks);
      const shape = { frames, rois, channels, points: 49 };
      const size = frames * rois * channels * 49;
      const x = Float32Array.from({ length: size }, () => rand() * 2 - 1);
      const e = blocks > 0 ? Float32Array.from({ length: size }, () => rand() * 2 - 1) : null;
      const cpu = temporalAttentionAggregate(x, e, shape, blocks);
      const xb = uploadBuffer(ctx.device, x, 'x');
      const eb = e && uploadBuffer(ctx.device, e, 'embeds');
      const out = await temporalAttentionGpu(ctx, xb, eb, shape, blocks);
      expect(maxAbsDiff(await readBuffer(ctx.device, out, Float32Array, cpu.length), cpu), `${frames} frames, ${blocks} blocks`).toBeLessThan(PARITY_TOLERANCE);
      for (const b of [xb, eb, out]) b?.destroy();
    }
  });

  it('refuses more frames than the kernel holds and channels that do not split', async () => {
    const b = uploadBuffer(ctx.device, new Float32Array(4), 'x');
    await expect(temporalAttentionGpu(ctx, b, b, { frames: MAX_TEMPORAL_FRAMES + 1, rois: 1, channels: 1, points: 1 }, 1)).rejects.toThrow(`${MAX_TEMPORAL_FRAMES + 1} frames; the kernel attends over at most ${MAX_TEMPORAL_FRAMES}`);
    await expect(temporalAttentionGpu(ctx, b, b, { frames: 2, rois: 1, channels: 3, points: 1 }, 2)).rejects.toThrow('3 channels do not split into 2 blocks');
    b.destroy();
  });
});
