import { describe, expect, it } from 'vitest';
import { lkStructure } from '../core/ops/lucas-kanade.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { lkStructureGpu } from './lk-structure.ts';
import { maxAbsDiff, testKernelContext } from './parity-testing.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

describe('Lucas–Kanade structure kernel vs CPU twin', () => {
  it('windows 3, 9 and wider than the image, on random and flat images', async () => {
    const rand = seededRandom(8);
    for (const [h, w, win, flat] of [[12, 17, 3, false], [20, 16, 9, false], [5, 6, 15, false], [8, 8, 5, true]] as const) {
      const data = Float32Array.from({ length: h * w }, () => (flat ? 0.5 : rand()));
      const b = uploadBuffer(ctx.device, data, 'gray');
      const out = await lkStructureGpu(ctx, { buffer: b, height: h, width: w }, win);
      const cpu = lkStructure({ data, height: h, width: w }, win);
      const gpu = await readBuffer(ctx.device, out, Float32Array, cpu.length);
      // Sums of up to 81 squared gradients: float32 accumulation on the GPU, float64 on the CPU.
      expect(maxAbsDiff(gpu, cpu), `${h}x${w} window ${win}`).toBeLessThan(1e-5 * win * win);
      if (flat) expect(gpu.every((v) => v === 0)).toBe(true);
      b.destroy();
      out.destroy();
    }
  });
});
