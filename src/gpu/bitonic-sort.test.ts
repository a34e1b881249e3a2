import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { bitonicLength, bitonicSorter, floatKey } from './bitonic-sort.ts';
import { readBuffer, uploadBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { testKernelContext } from './parity-testing.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

describe('floatKey', () => {
  it('preserves the order of floats, negatives and zeros included, and stays above 0', () => {
    const values = [-Infinity, -1e30, -2.5, -1e-30, -0, 0, 1e-30, 0.5, 1, 3e38, Infinity];
    const keys = values.map(floatKey);
    for (let i = 1; i < keys.length; i++) expect(keys[i]!).toBeGreaterThanOrEqual(keys[i - 1]!);
    expect(keys[0]).toBeGreaterThan(0);
  });
});

describe('bitonic sort kernel', () => {
  it('sorts by key descending, index ascending, over several blocks with many equal keys', async () => {
    const sorter = await bitonicSorter(ctx);
    const rand = seededRandom(5);
    for (const n of [1, 512, 700, 4096]) {
      const length = bitonicLength(n);
      const keys = Uint32Array.from({ length }, (_, i) => (i < n ? 1 + Math.floor(rand() * 50) : 0));
      // Indices deliberately not in position order.
      const indices = Uint32Array.from({ length }, (_, i) => (i * 7919) % length);
      const keyBuffer = uploadBuffer(ctx.device, keys, 'keys');
      const indexBuffer = uploadBuffer(ctx.device, indices, 'indices');
      await ctx.submit('sort', (encoder) => sorter.encode(encoder, keyBuffer, indexBuffer, length));
      const sortedKeys = await readBuffer(ctx.device, keyBuffer, Uint32Array, length);
      const sortedIndices = await readBuffer(ctx.device, indexBuffer, Uint32Array, length);
      const expected = [...keys.keys()].sort((a, b) => keys[b]! - keys[a]! || indices[a]! - indices[b]!);
      expect(Array.from(sortedKeys)).toEqual(expected.map((p) => keys[p]!));
      expect(Array.from(sortedIndices)).toEqual(expected.map((p) => indices[p]!));
      keyBuffer.destroy();
      indexBuffer.destroy();
    }
  });
});
