import { describe, expect, it } from 'vitest';
import { cxcyahToXyxy, xyxyToCxcyah } from './bbox-cxcyah.ts';
import { seededRandom } from '../ops/seeded-random.ts';
import { bboxOverlaps, cosineDistances, embeddingDistances, overlappingPairs } from './cost-matrices.ts';

describe('bboxOverlaps (MMDetection bbox_overlaps, mode iou)', () => {
  it('computes IoU without the +1 pixel offset, by hand', () => {
    const a = [0, 0, 10, 10, 5, 5, 15, 25];
    const b = [5, 0, 15, 10, 20, 20, 30, 30, 0, 0, 10, 10];
    const iou = bboxOverlaps(a, 2, b, 3);
    // (0,0,10,10) vs (5,0,15,10): 50 / 150; vs far box: 0; vs itself: 1.
    // (5,5,15,25) area 200 vs (5,0,15,10): 50 / (200 + 100 − 50); vs (20,20,30,30): 0; vs (0,0,10,10): 25 / 275.
    expect(Array.from(iou)).toEqual([50 / 150, 0, 1, 50 / 250, 0, 25 / 275]);
  });

  it('gives 0 for degenerate boxes (union floored at 1e-6) and shapes [na*nb]', () => {
    expect(Array.from(bboxOverlaps([3, 3, 3, 3], 1, [3, 3, 3, 3], 1))).toEqual([0]);
    expect(bboxOverlaps([], 0, [0, 0, 1, 1], 1).length).toBe(0);
  });
});

describe('overlappingPairs', () => {
  it('finds exactly the intersecting pairs of bboxOverlaps, on the grid path too', () => {
    const rand = seededRandom(21);
    for (const [na, nb, sizeMax] of [[300, 400, 60], [80, 70, 400], [5, 3, 50]] as const) {
      const boxes = (n: number) =>
        Array.from({ length: n }, () => {
          const x = 1900 * rand();
          const y = 1000 * rand();
          return [x, y, x + 2 + sizeMax * rand(), y + 2 + sizeMax * rand()];
        }).flat();
      const a = boxes(na);
      const b = [...boxes(nb - 1), 0, 0, 1920, 1080]; // one box covering everything
      const dense = bboxOverlaps(a, na, b, nb);
      const sparse = overlappingPairs(a, na, b, nb);
      const expected: [number, number, number][] = [];
      for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) if (dense[i * nb + j]! > 0) expected.push([i, j, dense[i * nb + j]!]);
      expect(Array.from(sparse.rows, (r, k) => [r, sparse.cols[k]!, sparse.values[k]!])).toEqual(expected);
      expect(expected.length).toBeGreaterThanOrEqual(na);
    }
  });
});

describe('embedding distances', () => {
  it('Euclidean like torch.cdist, cosine as 1 − cos', () => {
    const a = [1, 0, 0, 3, 4, 0];
    const b = [0, 1, 0, 3, 4, 0, 0, 0, 0];
    expect(Array.from(embeddingDistances(a, 2, b, 3, 3))).toEqual([Math.SQRT2, Math.sqrt(4 + 16), 1, Math.sqrt(9 + 9), 0, 5]);
    const cos = cosineDistances(a, 2, b, 3, 3);
    expect(Array.from(cos)).toEqual([1, 1 - 3 / 5, 1, 1 - 4 / 5, 0, 1]);
    expect(() => embeddingDistances([1, 2], 1, [1], 1, 2)).toThrow(/1 values for 1 embeddings of dimension 2/);
  });
});

describe('cxcyah boxes', () => {
  it('round-trips x1,y1,x2,y2 ↔ cx,cy,w/h,h', () => {
    const z = xyxyToCxcyah([10, 20, 50, 100]);
    expect(Array.from(z)).toEqual([30, 60, 0.5, 80]);
    expect(Array.from(cxcyahToXyxy(z))).toEqual([10, 20, 50, 100]);
  });
});
