import { describe, expect, it } from 'vitest';
import { mostSimilarRoiAlign, similarityMap } from './most-similar-roi-align.ts';

// A reference map of 1x2 channels over 2x2 locations, given location by location.
function refMap(locations: [number, number][]) {
  const data = new Float32Array(2 * locations.length);
  locations.forEach(([a, b], p) => {
    data[p] = a;
    data[locations.length + p] = b;
  });
  return similarityMap({ data, shape: [1, 2, 2, locations.length / 2] });
}

describe("Temporal RoI Align's most similar RoI align (CPU twin)", () => {
  it('normalises each location over the channels and keeps the raw features', () => {
    const m = refMap([[3, 4], [0, 2], [0, 0], [-1, 0]]);
    expect(Array.from(m.unit)).toEqual([0.6, 0.8, 0, 1, 0, 0, -1, 0].map(Math.fround));
    expect(Array.from(m.raw)).toEqual([3, 4, 0, 2, 0, 0, -1, 0]);
    expect([m.locations, m.channels]).toEqual([4, 2]);
  });

  it('sums the top-k locations by the softmax of their cosine similarities', () => {
    // One RoI of one sample point pointing along (1, 0): similarities 0.6, 0, 0 (zero vector), -1.
    const ref = refMap([[3, 4], [0, 2], [0, 0], [-1, 0]]);
    const roi = { data: Float32Array.of(5, 0), shape: [1, 2, 1, 1] as const };
    const top1 = mostSimilarRoiAlign(roi, [ref], 1);
    expect(Array.from(top1)).toEqual([3, 4]);
    // k = 2: locations 0 (0.6) and 1 (0; ties with the zero vector at 2, the lower index wins).
    const w0 = Math.exp(0.6) / (Math.exp(0.6) + 1);
    const top2 = mostSimilarRoiAlign(roi, [ref], 2);
    expect(top2[0]).toBeCloseTo(3 * w0, 5);
    expect(top2[1]).toBeCloseTo(4 * w0 + 2 * (1 - w0), 5);
  });

  it('searches each reference on its own; every sample point of every RoI on its own', () => {
    const a = refMap([[1, 0], [0, 1], [0, -1], [-1, 0]]);
    const b = refMap([[2, 0], [0, 7], [0, 0], [0, 0]]);
    // 2 RoIs x 2 points (1x2): along x, along y; along -y, along -x.
    const roi = { data: Float32Array.of(1, 0, 0, 1, 0, -1, -1, 0), shape: [2, 2, 1, 2] as const };
    const out = mostSimilarRoiAlign(roi, [a, b], 1);
    // [ref, roi, channel, point]
    expect(Array.from(out)).toEqual([
      ...[1, 0, 0, 1], // ref a, RoI 0: (1, 0) at point 0, (0, 1) at point 1
      ...[0, -1, -1, 0], // ref a, RoI 1: (0, -1), (-1, 0)
      ...[2, 0, 0, 7], // ref b, RoI 0: (2, 0), (0, 7)
      ...[2, 0, 0, 7], // ref b, RoI 1: (0, -1) is orthogonal to (2, 0), the first of the similarity-0 locations; (-1, 0) to (0, 7)
    ]);
  });

  it('refuses other channel counts and more points than locations', () => {
    const ref = refMap([[1, 0], [0, 1]]);
    expect(() => mostSimilarRoiAlign({ data: new Float32Array(3), shape: [1, 3, 1, 1] }, [ref], 1)).toThrow('RoI features have 3 channels, a reference map 2');
    expect(() => mostSimilarRoiAlign({ data: new Float32Array(2), shape: [1, 2, 1, 1] }, [ref], 3)).toThrow('3 most similar points asked of a reference map of 2 locations');
    expect(() => similarityMap({ data: new Float32Array(8), shape: [2, 2, 1, 2] })).toThrow('a reference map is one frame, got 2x2x1x2');
  });
});
