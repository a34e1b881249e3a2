import { describe, expect, it } from 'vitest';
import { batchedNms, type BatchedNmsOptions } from '../core/ops/nms.ts';
import { randomNmsInput, type NmsTestInput } from '../core/ops/nms-test-data.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { batchedNmsGpu, NMS_KEPT_COUNT_INDEX } from './nms.ts';
import { testKernelContext } from './parity-testing.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

async function gpuNms(inp: NmsTestInput, o: BatchedNmsOptions): Promise<{ keep: Int32Array; dets: Float32Array; padding: Int32Array }> {
  const n = inp.scores.length;
  const boxes = uploadBuffer(ctx.device, inp.boxes, 'boxes');
  const scores = uploadBuffer(ctx.device, inp.scores, 'scores');
  const classIds = uploadBuffer(ctx.device, inp.classIds, 'classes');
  const r = await batchedNmsGpu(ctx, { boxes, scores, classIds, count: n }, o);
  const count = (await readBuffer(ctx.device, r.state, Uint32Array, 3))[NMS_KEPT_COUNT_INDEX]!;
  const keepAll = await readBuffer(ctx.device, r.keep, Int32Array, r.capacity);
  const dets = await readBuffer(ctx.device, r.dets, Float32Array, count * 5);
  for (const b of [boxes, scores, classIds, r.keep, r.dets, r.state]) b.destroy();
  return { keep: keepAll.slice(0, count), dets, padding: keepAll.slice(count) };
}

async function expectParity(inp: NmsTestInput, o: BatchedNmsOptions): Promise<number> {
  const cpu = batchedNms(inp.boxes, inp.scores, inp.classIds, o);
  const gpu = await gpuNms(inp, o);
  expect(Array.from(gpu.keep)).toEqual(Array.from(cpu.keep));
  expect(Array.from(gpu.dets)).toEqual(Array.from(cpu.dets));
  expect(gpu.padding.every((v) => v === -1)).toBe(true);
  return cpu.keep.length;
}

function input(boxes: number[][], scores: number[], classIds?: number[]): NmsTestInput {
  return { boxes: Float32Array.from(boxes.flat()), scores: Float32Array.from(scores), classIds: Int32Array.from(classIds ?? scores.map(() => 0)) };
}

describe('NMS kernel vs CPU twin', () => {
  it('adversarial small cases: IoU at the threshold, ties, zero-area, classes, empty sets', async () => {
    await expectParity(input([[0, 0, 10, 10], [0, 0, 10, 5]], [0.9, 0.8]), { iouThreshold: 0.5 });
    await expectParity(input([[0, 0, 10, 10], [1, 0, 11, 10], [100, 100, 110, 110], [0, 0, 10, 10]], [0.5, 0.5, 0.7, 0.5]), { iouThreshold: 0.5 });
    await expectParity(input([[5, 5, 5, 5], [5, 5, 5, 5], [5, 5, 5, 9], [0, 0, 0, 0]], [0.9, 0.8, 0.7, 0.7]), { iouThreshold: 0.1 });
    await expectParity(input([[0, 0, 10, 10], [0, 0, 10, 10]], [0.9, 0.8], [1, 2]), { iouThreshold: 0.5 });
    await expectParity(input([[0, 0, 10, 10], [0, 0, 10, 10]], [0.9, 0.8], [1, 2]), { iouThreshold: 0.5, classAgnostic: true });
    expect(await expectParity(input([], []), { iouThreshold: 0.5 })).toBe(0);
    expect(await expectParity(input([[0, 0, 1, 1]], [0.1]), { iouThreshold: 0.5, scoreThreshold: 0.5 })).toBe(0);
  });

  it('all-equal scores over several words (stable order), maxNum cut inside a block', async () => {
    const inp = randomNmsInput(333, { seed: 21, numClasses: 3, scoreLevels: 1 });
    await expectParity(inp, { iouThreshold: 0.45 });
    await expectParity(inp, { iouThreshold: 0.45, maxNum: 37 });
  });

  it('random 2 000 boxes, 80 classes, score filter', async () => {
    const kept = await expectParity(randomNmsInput(2000, { seed: 22, numClasses: 80 }), { iouThreshold: 0.5, scoreThreshold: 0.05 });
    expect(kept).toBeGreaterThan(0);
  });

  it('10 240 boxes (RPN-sized), class-agnostic and 20 classes with maxNum', async () => {
    const inp = randomNmsInput(10_240, { seed: 23, numClasses: 20, scoreLevels: 1000 });
    const kept = await expectParity(inp, { iouThreshold: 0.7, classAgnostic: true });
    expect(kept).toBeLessThan(10_240);
    await expectParity(inp, { iouThreshold: 0.5, scoreThreshold: 0.05, maxNum: 1000 });
  });
});
