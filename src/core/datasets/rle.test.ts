import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decodeColumnMajor,
  encodeColumnMajor,
  encodeRowMajor,
  rleArea,
  rleFromPolygon,
  rleFromString,
  rleIntersectionUnion,
  rleMerge,
  rleToBbox,
  rleToString,
  segmentationToRle,
} from './rle.ts';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const shared = (p: string): string => path.resolve(repoRoot, '../shared', p);

describe('COCO RLE', () => {
  it('encodes column-major runs starting with zeros', () => {
    // h=3, w=2: column 0 = [0,0,1], column 1 = [1,1,0]
    const rle = encodeColumnMajor([0, 0, 1, 1, 1, 0], 3, 2);
    expect(Array.from(rle.counts)).toEqual([2, 3, 1]);
    expect(rleArea(rle)).toBe(3);
    expect(Array.from(decodeColumnMajor(rle))).toEqual([0, 0, 1, 1, 1, 0]);
    // A first pixel that is set gives a leading 0-length run.
    expect(Array.from(encodeColumnMajor([1, 0], 2, 1).counts)).toEqual([0, 1, 1]);
    // Row-major input is transposed to COCO's order.
    expect(Array.from(encodeRowMajor([0, 1, 0, 1, 1, 0], 3, 2).counts)).toEqual([2, 3, 1]);
  });

  it('writes and reads the compressed string form', () => {
    expect(rleToString([2, 3, 1])).toBe('231');
    // Large and delta-coded (negative) counts survive the round trip.
    const counts = [0, 5000, 3, 70000, 2, 1, 123456];
    const s = rleToString(counts);
    expect(Array.from(rleFromString(s, 1, 198462).counts)).toEqual(counts);
    expect(() => rleFromString('2\u00ff', 1, 1)).toThrow(/invalid character/);
  });

  it("round-trips every RLE string of the shared YouTube-VIS data byte for byte (pycocotools' output)", () => {
    const ann = JSON.parse(readFileSync(shared('eval/vis/ann.json'), 'utf8')) as { annotations: { segmentations: ({ size: [number, number]; counts: string } | null)[] }[] };
    let n = 0;
    for (const a of ann.annotations) {
      for (const s of a.segmentations) {
        if (!s) continue;
        const rle = rleFromString(s.counts, s.size[0], s.size[1]);
        expect(rle.counts.reduce((x, y) => x + y, 0)).toBe(s.size[0] * s.size[1]);
        expect(rleToString(rle.counts)).toBe(s.counts);
        n++;
      }
    }
    expect(n).toBeGreaterThan(10);
  });

  it('rasterises polygons as frPyObjects (10x10 square → 100 px, bbox [10,10,10,10])', () => {
    const rle = rleFromPolygon([10, 10, 20, 10, 20, 20, 10, 20], 30, 30);
    expect(rleArea(rle)).toBe(100);
    expect(rleToBbox(rle)).toEqual([10, 10, 10, 10]);
    // Triangle: area of the half square, pixel-centre rule.
    const tri = rleFromPolygon([0, 0, 10, 0, 0, 10], 12, 12);
    expect(rleArea(tri)).toBeGreaterThan(40);
    expect(rleArea(tri)).toBeLessThan(60);
    // A polygon outside the image is empty.
    expect(rleArea(rleFromPolygon([50, 50, 60, 50, 60, 60], 20, 20))).toBe(0);
  });

  it('intersects, unions and merges', () => {
    const a = segmentationToRle([[0, 0, 4, 0, 4, 4, 0, 4]], 8, 8);
    const b = segmentationToRle([[2, 2, 6, 2, 6, 6, 2, 6]], 8, 8);
    const { intersection, union } = rleIntersectionUnion(a, b);
    expect(intersection).toBe(rleArea(rleMerge([a, b], true)));
    expect(union).toBe(rleArea(rleMerge([a, b], false)));
    expect(intersection).toBe(4);
    expect(union).toBe(28);
    expect(rleIntersectionUnion(a, { h: 4, w: 4, counts: Uint32Array.of(16) })).toEqual({ intersection: 0, union: 0 });
  });

  it('reads every segmentation form and rejects malformed ones', () => {
    expect(rleArea(segmentationToRle({ size: [3, 2], counts: [2, 3, 1] }, 0, 0))).toBe(3);
    expect(rleArea(segmentationToRle({ size: [3, 2], counts: '231' }, 0, 0))).toBe(3);
    expect(() => segmentationToRle({ size: [3, 2], counts: [2, 3] }, 0, 0)).toThrow(/sum to 5/);
    expect(() => segmentationToRle([[1, 2, 3]], 4, 4)).toThrow(/even number/);
    expect(() => segmentationToRle('x', 4, 4)).toThrow(/polygons or an RLE/);
  });
});
