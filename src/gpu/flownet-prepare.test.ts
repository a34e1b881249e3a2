import { describe, expect, it } from 'vitest';
import { flownetOutputFlow, flownetPrepare, type FlowNetPrepareOptions } from '../core/ops/flownet-prepare.ts';
import { flowWarpFeats } from '../core/ops/flow-warp.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import { flowWarpFeatsGpu } from './flow-warp.ts';
import { flownetPrepareGpu } from './flownet-prepare.ts';
import type { KernelContext } from './kernel-program.ts';
import { maxAbsDiff, PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

const random = (n: number, seed: number, scale = 2) => {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (rand() - 0.5) * scale);
};

describe('FlowNet kernels vs CPU twins', () => {
  it('prepare_imgs: img_shape inside the padded size, scale 0.5 and 0.25', async () => {
    const [h, w] = [48, 64];
    const cur = { data: random(3 * h * w, 1, 4), shape: [1, 3, h, w] as const };
    const ref = { data: random(3 * h * w, 2, 4), shape: [1, 3, h, w] as const };
    const cb = uploadBuffer(ctx.device, cur.data, 'current');
    const rb = uploadBuffer(ctx.device, ref.data, 'reference');
    for (const [imgShape, imgScaleFactor] of [[[45, 61], 0.5], [[48, 64], 0.5], [[30, 50], 0.25]] as const) {
      const o: FlowNetPrepareOptions = { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], flowMean: [0.411, 0.432, 0.45], flowStd: [255, 255, 255], imgShape, imgScaleFactor };
      const cpu = flownetPrepare(cur, ref, o);
      const gpu = await flownetPrepareGpu(ctx, { buffer: cb, shape: cur.shape }, { buffer: rb, shape: ref.shape }, o);
      expect(gpu.shape).toEqual(cpu.shape);
      expect(maxAbsDiff(await readBuffer(ctx.device, gpu.buffer, Float32Array, cpu.data.length), cpu.data)).toBeLessThan(PARITY_TOLERANCE);
      gpu.buffer.destroy();
    }
    cb.destroy();
    rb.destroy();
  });

  it('warp straight from predict_flow (x8 resize, x8 x5 scale fused) equals the image-sized flow path', async () => {
    const predict = { data: random(2 * 16 * 20, 3, 0.6), shape: [1, 2, 16, 20] as const };
    const pb = uploadBuffer(ctx.device, predict.data, 'predict_flow');
    const full = flownetOutputFlow(predict, 0.5, 5);
    for (const [c, h, w] of [[16, 32, 40], [8, 8, 10], [4, 4, 5]] as const) {
      const x = { data: random(c * h * w, 10 + h), shape: [1, c, h, w] as const };
      const xb = uploadBuffer(ctx.device, x.data, 'features');
      const gpu = await flowWarpFeatsGpu(ctx, { buffer: xb, shape: x.shape }, { buffer: pb, shape: predict.shape }, { imgScaleFactor: 0.5, flowScaleFactor: 5 });
      const cpu = flowWarpFeats(x, full);
      expect(maxAbsDiff(await readBuffer(ctx.device, gpu.buffer, Float32Array, cpu.length), cpu), `${h}x${w}`).toBeLessThan(PARITY_TOLERANCE);
      gpu.buffer.destroy();
      xb.destroy();
    }
    pb.destroy();
  });
});
