import { describe, expect, it } from 'vitest';
import { decodeColumnMajor, encodeRowMajor } from '../datasets/rle.ts';
import { seededRandom } from '../ops/seeded-random.ts';
import { emptyBitMasks, fromRleMasks, maskArea, maskBit, maskRleCounts, rleMaskArea, selectMasks, toRleMasks } from './bit-masks.ts';

describe('bit masks', () => {
  it('run lengths agree with the COCO encoder, and round-trip (37x11: rows across word boundaries)', () => {
    const rand = seededRandom(5);
    const m = emptyBitMasks(3, 37, 11);
    const rows: Uint8Array[] = [];
    for (let i = 0; i < 3; i++) {
      const px = Uint8Array.from({ length: 37 * 11 }, () => (rand() < (i === 2 ? 0 : 0.4) ? 1 : 0));
      px.forEach((v, k) => {
        if (v) m.data[(i * 11 + Math.floor(k / 37)) * m.wordsPerRow + ((k % 37) >>> 5)]! |= 1 << (k % 37 & 31);
      });
      rows.push(px);
      expect(Array.from(maskRleCounts(m, i))).toEqual(Array.from(encodeRowMajor(px, 11, 37).counts));
      expect(maskArea(m, i)).toBe(px.reduce((a, b) => a + b, 0));
    }
    const rle = toRleMasks(m);
    expect(Array.from(fromRleMasks(rle).data)).toEqual(Array.from(m.data));
    expect(Array.from(fromRleMasks(rle, [1]).data)).toEqual(Array.from(selectMasks(m, [1]).data));
    expect(rle.counts.map(rleMaskArea)).toEqual([0, 1, 2].map((i) => maskArea(m, i)));
    expect(rleMaskArea(rle.counts[2]!)).toBe(0);
    // Column-major decode puts pixel (x, y) at x * h + y.
    expect(decodeColumnMajor({ h: 11, w: 37, counts: rle.counts[0]! })[5 * 11 + 3]).toBe(maskBit(m, 0, 3, 5));
    expect(rows[0]![3 * 37 + 5]).toBe(maskBit(m, 0, 3, 5));
  });
});
