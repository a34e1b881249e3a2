import { describe, expect, it } from 'vitest';
import { centerNetBoxes } from '../core/ops/centernet-boxes.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { centerNetBoxesGpu } from './centernet-boxes.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { maxAbsDiff, PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';

const ctx: KernelContext = await testKernelContext();

describe('CenterNet box kernel vs CPU twin', () => {
  it('random peaks, both layouts, including the map borders', async () => {
    const rand = seededRandom(5);
    const [h, w, c] = [32, 40, 80];
    for (const layout of ['nhwc', 'nchw'] as const) {
      const size = Float32Array.from({ length: h * w * 4 }, () => rand() * 200);
      // Corners of the map plus random cells and classes.
      const indices = Int32Array.from([0, c - 1, (h * w - 1) * c, ((h - 1) * w) * c + 5, ...Array.from({ length: 96 }, () => Math.floor(rand() * h * w * c))]);
      const scores = Float32Array.from(indices, () => rand());
      const opts = { shape: [h, w, c] as const, sizeLayout: layout, stride: 4, scaleFactor: [512 / 960, 512 / 540] as const };
      const cpu = centerNetBoxes({ scores, indices }, size, opts);
      const ib = uploadBuffer(ctx.device, indices, 'peak indices');
      const sb = uploadBuffer(ctx.device, size, 'size map');
      const gpu = await centerNetBoxesGpu(ctx, ib, indices.length, sb, opts);
      const boxes = await readBuffer(ctx.device, gpu.boxes, Float32Array, indices.length * 4);
      const labels = await readBuffer(ctx.device, gpu.labels, Int32Array, indices.length);
      expect(maxAbsDiff(boxes, cpu.boxes)).toBeLessThan(PARITY_TOLERANCE);
      expect(Array.from(labels)).toEqual(Array.from(cpu.labels));
      for (const b of [ib, sb, gpu.boxes, gpu.labels]) b.destroy();
    }
  });
});
