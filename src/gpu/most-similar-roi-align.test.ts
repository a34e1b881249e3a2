import { describe, expect, it } from 'vitest';
import { mostSimilarRoiAlign, similarityMap } from '../core/ops/most-similar-roi-align.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { createKernelBuffer, readBuffer, uploadBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { MAX_MOST_SIMILAR_POINTS, mostSimilarRoiAlignGpu, similarityMapGpu } from './most-similar-roi-align.ts';
import { maxAbsDiff, PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

const random = (rand: () => number, n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);

describe('most similar RoI align kernel vs CPU twin', () => {
  it('top 2 and top 5 over 3 maps: channels and locations off the tile sizes, a zero location, the output frames after the first', async () => {
    for (const [n, c, k, refHW] of [[5, 20, 2, [7, 9]], [3, 33, 5, [11, 6]]] as const) {
      const rand = seededRandom(n * 100 + c);
      const roi = { data: random(rand, n * c * 49), shape: [n, c, 7, 7] as const };
      const maps = [0, 1, 2].map(() => ({ data: random(rand, c * refHW[0] * refHW[1]), shape: [1, c, refHW[0], refHW[1]] as const }));
      for (let ch = 0; ch < c; ch++) maps[1]!.data[ch * refHW[0] * refHW[1] + 4] = 0; // no direction: similar to nothing
      const cpu = mostSimilarRoiAlign(roi, maps.map(similarityMap), k);
      const roiBuffer = uploadBuffer(ctx.device, roi.data, 'roi feats');
      const mapBuffers = maps.map((m) => uploadBuffer(ctx.device, m.data, 'map'));
      const refs = await Promise.all(mapBuffers.map((buffer, i) => similarityMapGpu(ctx, { buffer, shape: maps[i]!.shape })));
      // Frame 0 of the output is the RoI features' slot (as the runner lays it out); the maps fill frames 1..3.
      const out = createKernelBuffer(ctx.device, 4 * n * c * 49 * 4, 'output');
      await mostSimilarRoiAlignGpu(ctx, { buffer: roiBuffer, shape: roi.shape }, refs, k, out, 1);
      const gpu = await readBuffer(ctx.device, out, Float32Array, 4 * n * c * 49);
      expect(maxAbsDiff(gpu.subarray(n * c * 49), cpu), `${n} RoIs, ${c} channels, top ${k}`).toBeLessThan(PARITY_TOLERANCE);
      for (const b of [roiBuffer, out, ...mapBuffers, ...refs.map((r) => r.norms)]) b.destroy();
    }
  });

  it('refuses k outside the kernel, other channel counts and a short output', async () => {
    const b = uploadBuffer(ctx.device, new Float32Array(8), 'x');
    const ref = await similarityMapGpu(ctx, { buffer: b, shape: [1, 2, 2, 2] });
    const roi = { buffer: b, shape: [1, 2, 1, 1] as const };
    await expect(mostSimilarRoiAlignGpu(ctx, roi, [ref], MAX_MOST_SIMILAR_POINTS + 1, b, 0)).rejects.toThrow(`the kernel keeps 1 to ${MAX_MOST_SIMILAR_POINTS}`);
    await expect(mostSimilarRoiAlignGpu(ctx, { buffer: b, shape: [1, 3, 1, 1] }, [ref], 1, b, 0)).rejects.toThrow('RoI features have 3 channels, a reference map 2');
    await expect(mostSimilarRoiAlignGpu(ctx, roi, [ref], 1, b, 4)).rejects.toThrow('output of 32 bytes, 40 needed');
    b.destroy();
    ref.norms.destroy();
  });
});
