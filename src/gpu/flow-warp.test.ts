import { describe, expect, it } from 'vitest';
import { flowWarpFixture } from '../core/ops/flow-warp-fixture.node.ts';
import { flowWarpFeats } from '../core/ops/flow-warp.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import { flowWarpFeatsGpu } from './flow-warp.ts';
import type { KernelContext } from './kernel-program.ts';
import { maxAbsDiff, PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

async function warpOnGpu(x: { data: Float32Array; shape: readonly [number, number, number, number] }, flow: typeof x, exactGrid = false): Promise<Float32Array> {
  const xb = uploadBuffer(ctx.device, x.data, 'features');
  const fb = uploadBuffer(ctx.device, flow.data, 'flow');
  const out = await flowWarpFeatsGpu(ctx, { buffer: xb, shape: x.shape }, { buffer: fb, shape: flow.shape }, undefined, { exactGrid });
  const values = await readBuffer(ctx.device, out.buffer, Float32Array, x.data.length);
  for (const b of [xb, fb, out.buffer]) b.destroy();
  return values;
}

describe('flow warp kernel vs CPU twin and PyTorch', () => {
  it('every PyTorch fixture case (stride 16, equal sizes, a smaller flow, odd sizes, leaving the frame)', async () => {
    for (const c of flowWarpFixture()) {
      const gpu = await warpOnGpu(c.x, c.flow);
      expect(maxAbsDiff(gpu, flowWarpFeats(c.x, c.flow)), c.name).toBeLessThan(PARITY_TOLERANCE);
      expect(maxAbsDiff(gpu, c.out), c.name).toBeLessThan(PARITY_TOLERANCE);
    }
  });

  it('a DFF-sized case: 64 channels, 1/16 scale, large motion', async () => {
    const rand = seededRandom(77);
    const x = { data: Float32Array.from({ length: 64 * 19 * 25 }, () => rand() * 2 - 1), shape: [1, 64, 19, 25] as const };
    const flow = { data: Float32Array.from({ length: 2 * 304 * 400 }, () => (rand() - 0.5) * 200), shape: [1, 2, 304, 400] as const };
    expect(maxAbsDiff(await warpOnGpu(x, flow), flowWarpFeats(x, flow))).toBeLessThan(PARITY_TOLERANCE);
  });

  it('exactGrid (the default VID method): features and flow at one resolution, sub-pixel and leaving the frame', async () => {
    const rand = seededRandom(78);
    const x = { data: Float32Array.from({ length: 16 * 12 * 14 }, () => rand() * 2 - 1), shape: [1, 16, 12, 14] as const };
    const flow = { data: Float32Array.from({ length: 2 * 12 * 14 }, () => (rand() - 0.5) * 40), shape: [1, 2, 12, 14] as const };
    expect(maxAbsDiff(await warpOnGpu(x, flow, true), flowWarpFeats(x, flow, { exactGrid: true }))).toBeLessThan(PARITY_TOLERANCE);
  });

  it('refuses a buffer smaller than its shape', async () => {
    const xb = uploadBuffer(ctx.device, new Float32Array(10), 'small');
    await expect(flowWarpFeatsGpu(ctx, { buffer: xb, shape: [1, 2, 4, 4] }, { buffer: xb, shape: [1, 2, 4, 4] })).rejects.toThrow(/features buffer "small" has 40 bytes for shape 1x2x4x4/);
    xb.destroy();
  });
});
