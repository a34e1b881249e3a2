import { describe, expect, it } from 'vitest';
import { grayPool, grayPyramid } from '../core/ops/lucas-kanade.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import { grayPoolGpu, grayPyramidGpu } from './gray-pool.ts';
import type { KernelContext } from './kernel-program.ts';
import { maxAbsDiff, PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

describe('gray pooling kernel vs CPU twin', () => {
  it('3-channel blocks of 4 with sizes that do not divide, 1-channel 2x2, and a whole pyramid', async () => {
    const rand = seededRandom(5);
    for (const [c, h, w, factor, scale] of [[3, 37, 50, 4, 1 / 255], [1, 17, 9, 2, 1], [3, 8, 8, 1, 2]] as const) {
      const img = Float32Array.from({ length: c * h * w }, () => rand() * 255);
      const b = uploadBuffer(ctx.device, img, 'image');
      const gpu = await grayPoolGpu(ctx, b, c, h, w, factor, scale);
      const cpu = grayPool(img, c, h, w, factor, scale);
      expect([gpu.height, gpu.width]).toEqual([cpu.height, cpu.width]);
      expect(maxAbsDiff(await readBuffer(ctx.device, gpu.buffer, Float32Array, cpu.data.length), cpu.data), `${c}x${h}x${w} by ${factor}`).toBeLessThan(PARITY_TOLERANCE);
      b.destroy();
      gpu.buffer.destroy();
    }
    const img = Float32Array.from({ length: 3 * 96 * 80 }, () => rand() * 255);
    const b = uploadBuffer(ctx.device, img, 'image');
    const gpu = await grayPyramidGpu(ctx, b, 3, 96, 80, 2, 4);
    const cpu = grayPyramid(img, 3, 96, 80, 2, 4);
    expect(gpu.map((l) => [l.height, l.width])).toEqual(cpu.map((l) => [l.height, l.width]));
    for (let i = 0; i < cpu.length; i++) {
      expect(maxAbsDiff(await readBuffer(ctx.device, gpu[i]!.buffer, Float32Array, cpu[i]!.data.length), cpu[i]!.data), `level ${i}`).toBeLessThan(PARITY_TOLERANCE);
      gpu[i]!.buffer.destroy();
    }
    b.destroy();
  });
});
