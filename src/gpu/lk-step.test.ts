import { describe, expect, it } from 'vitest';
import { grayPyramid, lkStep, lkStructure, pyramidalLucasKanade } from '../core/ops/lucas-kanade.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import { grayPyramidGpu } from './gray-pool.ts';
import type { KernelContext } from './kernel-program.ts';
import { lkStepGpu, pyramidalLucasKanadeGpu } from './lk-step.ts';
import { maxAbsDiff, testKernelContext } from './parity-testing.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

/** A smooth image pair, the second the first moved by (dx, dy), `[3, h, w]` 0-255. */
function pair(h: number, w: number, dx: number, dy: number): [Float32Array, Float32Array] {
  const img = (ox: number, oy: number) => {
    const out = new Float32Array(3 * h * w);
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) out[(c * h + y) * w + x] = 128 + 40 * Math.sin(0.21 * (x + ox) + 0.1 * c) + 40 * Math.cos(0.17 * (y + oy) - 0.05 * (x + ox));
      }
    }
    return out;
  };
  return [img(dx, dy), img(0, 0)];
}

describe('Lucas–Kanade update kernel vs CPU twin', () => {
  it('one update from a same-size prior, from a coarser prior (odd sizes), near and past the border', async () => {
    const rand = seededRandom(13);
    for (const [h, w, ph, pw, win, amp] of [[16, 20, 16, 20, 5, 1.5], [15, 21, 7, 10, 9, 3], [12, 12, 6, 6, 3, 30]] as const) {
      const cur = Float32Array.from({ length: h * w }, () => rand());
      const key = Float32Array.from({ length: h * w }, () => rand());
      const prior = Float32Array.from({ length: 2 * ph * pw }, () => (rand() * 2 - 1) * amp);
      const structure = lkStructure({ data: cur, height: h, width: w }, win);
      const opts = { windowSize: win, regularization: 1e-3 };
      const cpu = lkStep({ data: cur, height: h, width: w }, { data: key, height: h, width: w }, structure, { data: prior, shape: [1, 2, ph, pw] }, opts);
      const bufs = [cur, key, structure, prior].map((d, i) => uploadBuffer(ctx.device, d, `input ${i}`));
      const out = await lkStepGpu(ctx, { buffer: bufs[0]!, height: h, width: w }, { buffer: bufs[1]!, height: h, width: w }, bufs[2]!, { buffer: bufs[3]!, height: ph, width: pw }, opts);
      const gpu = await readBuffer(ctx.device, out.buffer, Float32Array, cpu.length);
      // The update divides by det(G + λ): relative to the flow's size.
      expect(maxAbsDiff(gpu, cpu), `${h}x${w} from ${ph}x${pw}`).toBeLessThan(1e-3);
      for (const b of [...bufs, out.buffer]) b.destroy();
    }
  });

  it('the whole pyramidal flow on a moving image pair, as the CPU path computes it', async () => {
    const [h, w] = [64, 72];
    const [cur, key] = pair(h, w, 5, -3);
    const options = { levels: 3, windowSize: 9, iterations: 3, regularization: 1e-4 };
    const cpu = pyramidalLucasKanade(grayPyramid(cur, 3, h, w, 2, 3), grayPyramid(key, 3, h, w, 2, 3), options);
    const cb = uploadBuffer(ctx.device, cur, 'cur');
    const kb = uploadBuffer(ctx.device, key, 'key');
    const gc = await grayPyramidGpu(ctx, cb, 3, h, w, 2, 3);
    const gk = await grayPyramidGpu(ctx, kb, 3, h, w, 2, 3);
    const flow = await pyramidalLucasKanadeGpu(ctx, gc, gk, options);
    expect([flow.height, flow.width]).toEqual([h / 2, w / 2]);
    const gpu = await readBuffer(ctx.device, flow.buffer, Float32Array, cpu.data.length);
    expect(maxAbsDiff(gpu, cpu.data)).toBeLessThan(1e-3);
    // And it is the motion, (2.5, -1.5) at level 0 (half resolution), on average inside the frame.
    const [fh, fw] = [h / 2, w / 2];
    let [u, v, n] = [0, 0, 0];
    for (let y = 8; y < fh - 8; y++) {
      for (let x = 8; x < fw - 8; x++) {
        u += gpu[y * fw + x]!;
        v += gpu[fh * fw + y * fw + x]!;
        n++;
      }
    }
    expect(Math.abs(u / n - 2.5)).toBeLessThan(0.2);
    expect(Math.abs(v / n + 1.5)).toBeLessThan(0.2);
    for (const b of [cb, kb, flow.buffer, ...gc.map((l) => l.buffer), ...gk.map((l) => l.buffer)]) b.destroy();
  });
});
