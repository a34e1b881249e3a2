import { describe, expect, it } from 'vitest';
import { type PasteMaskInput, pasteMasks, pasteMaskValues } from '../core/ops/paste-mask.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { maskArea, maskBit } from '../core/structures/bit-masks.ts';
import { uploadBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { testKernelContext } from './parity-testing.node.ts';
import { pasteMasksGpu, readBitMasks } from './paste-mask.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

/** Seeded boxes over and past a 97x61 frame, and adversarial ones. */
function boxes(width: number, height: number, seed: number): number[][] {
  const rand = seededRandom(seed);
  const list: number[][] = [];
  for (let i = 0; i < 20; i++) {
    const x = rand() * width * 1.2 - width * 0.1;
    const y = rand() * height * 1.2 - height * 0.1;
    list.push([x, y, x + 2 + rand() * width * 0.7, y + 2 + rand() * height * 0.7]);
  }
  list.push(
    [-15.3, -9.7, width + 12.2, height + 8.9], // past every edge
    [40.2, 20.1, 40.5, 20.35], // sub-pixel
    [30.25, 10, 30.25, 40], // empty (zero width): MMDetection samples the mask's centre column
    [12.5, 12.5, 12.5, 12.5], // empty, on a pixel centre (0/0)
    [50, 30, 44, 20], // inverted
    [width + 5, 3, width + 30, 20], // right of the frame
    [-40, -30, -2, -1], // above and left of it
    [0, 0, width, height], // the frame
    [31.5, 0.5, 64.5, 33.5], // edges on word boundaries
  );
  return list;
}

function input(width: number, height: number, channels: number, seed: number): PasteMaskInput {
  const list = boxes(width, height, seed);
  const rand = seededRandom(seed + 1);
  const n = list.length;
  const size = 28;
  return {
    // Smooth logits with edges (a mask is a blob, not noise) plus a little noise.
    maskPred: Float32Array.from({ length: n * channels * size * size }, (_, k) => {
      const x = k % size;
      const y = Math.floor(k / size) % size;
      const plane = Math.floor(k / (size * size));
      return 4 * Math.sin((x + plane) / 4) * Math.cos((y - plane) / 5) + (rand() - 0.5);
    }),
    channels,
    size,
    labels: Int32Array.from(list, (_, i) => i % channels),
    boxes: Float32Array.from(list.flat()),
    width,
    height,
    threshold: 0.5,
  };
}

async function gpuMasks(inp: PasteMaskInput) {
  const n = inp.boxes.length / 4;
  const bufs = [uploadBuffer(ctx.device, inp.maskPred, 'mask_pred'), uploadBuffer(ctx.device, Int32Array.from(inp.labels), 'labels'), uploadBuffer(ctx.device, inp.boxes, 'boxes')] as const;
  const out = await pasteMasksGpu(ctx, { ...inp, maskPred: bufs[0], labels: bufs[1], boxes: bufs[2], hostBoxes: inp.boxes, count: n });
  const masks = await readBitMasks(ctx, out, n, inp.width, inp.height);
  for (const b of [...bufs, out]) b.destroy();
  return masks;
}

describe('mask paste kernel vs CPU twin', () => {
  for (const [width, height, channels] of [
    [97, 61, 3],
    [64, 40, 1],
  ] as const) {
    it(`${width}x${height}, ${channels} channel(s): identical bits but for values within 1e-5 of the threshold`, async () => {
      const inp = input(width, height, channels, width);
      const cpu = pasteMasks(inp);
      const gpu = await gpuMasks(inp);
      expect(gpu.data.length).toBe(cpu.data.length);
      const bad: string[] = [];
      for (let i = 0; i < cpu.count; i++) {
        const values = pasteMaskValues(inp, i);
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            if (maskBit(cpu, i, y, x) !== maskBit(gpu, i, y, x) && Math.abs(values[y * width + x]! - 0.5) > 1e-5) bad.push(`mask ${i} (${x}, ${y}) value ${values[y * width + x]}`);
          }
        }
      }
      expect(bad).toEqual([]);
      // Bits past the frame's width in the last word of a row stay 0.
      for (let i = 0; i < cpu.count; i++) for (let y = 0; y < height; y++) for (let x = width; x < gpu.wordsPerRow * 32; x++) expect(maskBit(gpu, i, y, x)).toBe(0);
      // The adversarial boxes: past the edges → set pixels; inverted or outside the frame → none; an empty box on a
      // pixel centre: that pixel is 0/0 and samples nothing (its neighbours, x/0, sample the mask's centre).
      const n = cpu.count;
      const area = (k: number) => maskArea(cpu, k);
      expect(area(n - 9)).toBeGreaterThan(0);
      expect([area(n - 5), area(n - 4), area(n - 3)]).toEqual([0, 0, 0]);
      expect(maskBit(cpu, n - 6, 12, 12)).toBe(0);
      expect(cpu.data.some((v) => v !== 0)).toBe(true);
    });
  }

  it('no detections: an empty buffer, nothing dispatched', async () => {
    const inp = { ...input(16, 16, 3, 1), maskPred: new Float32Array(0), labels: new Int32Array(0), boxes: new Float32Array(0) };
    const masks = await gpuMasks(inp);
    expect(masks.count).toBe(0);
    expect(masks.data.length).toBe(0);
  });
});
