import { describe, expect, it } from 'vitest';
import { yoloxCandidates } from '../core/models/det/yolox.ts';
import type { YoloxSettings } from '../core/models/det/yolox-config.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';
import { yoloxCandidatesGpu } from './yolox-decode.ts';

const ctx: KernelContext = await testKernelContext();

describe('YOLOX decode + ordered compaction kernels vs CPU twin (yoloxCandidates)', () => {
  it('three levels (1 200 priors, several 256-blocks), 5 classes, tied class logits, a threshold away from every score', async () => {
    const rand = seededRandom(11);
    const sizes: Array<[number, number]> = [[24, 40], [12, 20], [6, 10]];
    const nc = 5;
    const level = ([h, w]: [number, number]) => {
      const cls = Float32Array.from({ length: nc * h * w }, () => (rand() - 0.5) * 8);
      // Cell 7: classes 1 and 3 tie at the best logit; the first wins, as torch.max.
      cls[1 * h * w + 7] = 5;
      cls[3 * h * w + 7] = 5;
      return { cls, reg: Float32Array.from({ length: 4 * h * w }, () => (rand() - 0.5) * 3), obj: Float32Array.from({ length: h * w }, () => (rand() - 0.5) * 6) };
    };
    const maps = sizes.map(level);
    const out = {
      clsScores: maps.map((m, l) => ({ data: m.cls, dims: [1, nc, ...sizes[l]!] })),
      bboxPreds: maps.map((m, l) => ({ data: m.reg, dims: [1, 4, ...sizes[l]!] })),
      objectnesses: maps.map((m, l) => ({ data: m.obj, dims: [1, 1, ...sizes[l]!] })),
    };
    const scaleFactor = [320 / 960, 192 / 540] as const;
    const base: YoloxSettings = { numClasses: nc, strides: [8, 16, 32], scoreThr: 0, nms: { iouThreshold: 0.65, classAgnostic: false } };
    // A threshold in the widest gap between the scores near the median: float noise cannot move a prior across it.
    const all = Array.from(yoloxCandidates(out, base, scaleFactor).scores).sort((a, b) => a - b);
    let thr = 0;
    let gap = 0;
    for (let i = Math.floor(all.length * 0.5); i < Math.floor(all.length * 0.6); i++) if (all[i + 1]! - all[i]! > gap) [gap, thr] = [all[i + 1]! - all[i]!, (all[i]! + all[i + 1]!) / 2];
    expect(gap).toBeGreaterThan(1e-5);
    const s = { ...base, scoreThr: thr };
    const cpu = yoloxCandidates(out, s, scaleFactor);
    expect(cpu.scores.length).toBeGreaterThan(256);

    const buffers = maps.map((m, l) => ({ cls: uploadBuffer(ctx.device, m.cls, 'cls'), reg: uploadBuffer(ctx.device, m.reg, 'reg'), obj: uploadBuffer(ctx.device, m.obj, 'obj'), height: sizes[l]![0], width: sizes[l]![1] }));
    const gpu = await yoloxCandidatesGpu(ctx, buffers, s, scaleFactor);
    const [count] = await readBuffer(ctx.device, gpu.count, Uint32Array, 1);
    expect(count).toBe(cpu.scores.length);
    const m = count!;
    const [boxes, scores, labels] = await Promise.all([readBuffer(ctx.device, gpu.boxes, Float32Array, m * 4), readBuffer(ctx.device, gpu.scores, Float32Array, m), readBuffer(ctx.device, gpu.labels, Int32Array, m)]);
    expect(Array.from(labels)).toEqual(Array.from(cpu.labels));
    for (let i = 0; i < m; i++) expect(Math.abs(scores[i]! - cpu.scores[i]!)).toBeLessThan(PARITY_TOLERANCE);
    // Boxes reach ~3 000 px: compare relative to their size (WGSL's exp and division are within a few ulps).
    for (let i = 0; i < m * 4; i++) expect(Math.abs(boxes[i]! - cpu.boxes[i]!)).toBeLessThan(PARITY_TOLERANCE * Math.max(1, Math.abs(cpu.boxes[i]!)));
    for (const b of [...buffers.flatMap((x) => [x.cls, x.reg, x.obj]), gpu.boxes, gpu.scores, gpu.labels, gpu.count]) b.destroy();
  });
});
