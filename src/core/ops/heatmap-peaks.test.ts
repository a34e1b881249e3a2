import { describe, expect, it } from 'vitest';
import { decodePeakIndex, heatmapPeaks, heatmapPeaksAbove, nchwToNhwc, suppressNonPeaks, type HeatmapShape } from './heatmap-peaks.ts';
import { seededRandom } from './seeded-random.ts';

/** Straightforward reference: peak test by 3x3 window, then a full sort by (value desc, index asc). */
function reference(heat: Float32Array, [h, w, c]: HeatmapShape, k: number): { scores: number[]; indices: number[] } {
  const kept = Array.from(heat, (v, i) => {
    const ch = i % c;
    const x = Math.floor(i / c) % w;
    const y = Math.floor(i / c / w);
    const neighbours: number[] = [];
    for (const dy of [-1, 0, 1]) for (const dx of [-1, 0, 1]) if (y + dy >= 0 && y + dy < h && x + dx >= 0 && x + dx < w) neighbours.push(heat[((y + dy) * w + x + dx) * c + ch]!);
    return v >= Math.max(...neighbours) ? v : 0;
  });
  const order = kept.map((_, i) => i).sort((a, b) => kept[b]! - kept[a]! || a - b).slice(0, k);
  return { scores: order.map((i) => kept[i]!), indices: order };
}

describe('heat-map peaks', () => {
  it('keeps 3x3 maxima per channel (plateaus included), zeroes the rest', () => {
    // 3x3 map, 2 channels: channel 0 has a single peak at the centre, channel 1 a plateau.
    const heat = Float32Array.from([0.1, 0.5, 0.2, 0.5, 0.3, 0.5, 0.2, 0.5, 0.9, 0.5, 0.1, 0.5, 0.3, 0.5, 0.2, 0.5, 0.1, 0.5]);
    const kept = suppressNonPeaks(heat, [3, 3, 2]);
    expect(Array.from(kept.filter((_, i) => i % 2 === 0))).toEqual([0, 0, 0, 0, f(0.9), 0, 0, 0, 0]);
    expect(Array.from(kept.filter((_, i) => i % 2 === 1))).toEqual(Array(9).fill(f(0.5)));
  });

  it('orders by score then lower index, fills with zeros in index order, decodes NHWC', () => {
    const heat = Float32Array.from([0.1, 0.5, 0.2, 0.5, 0.3, 0.5, 0.2, 0.5, 0.9, 0.5, 0.1, 0.5, 0.3, 0.5, 0.2, 0.5, 0.1, 0.5]);
    const { scores, indices } = heatmapPeaks(heat, [3, 3, 2], 12);
    expect(Array.from(indices)).toEqual([8, 1, 3, 5, 7, 9, 11, 13, 15, 17, 0, 2]);
    expect(scores[0]).toBe(f(0.9));
    expect(scores[11]).toBe(0);
    expect(decodePeakIndex(8, 3, 2)).toEqual({ classId: 0, x: 1, y: 1 });
    expect(decodePeakIndex(17, 3, 2)).toEqual({ classId: 1, x: 2, y: 2 });
  });

  it('matches the reference on random maps with ties, and rejects a bad k', () => {
    const rand = seededRandom(9);
    const shape: HeatmapShape = [13, 17, 5];
    // Quantised values: many equal neighbours and equal peaks.
    const heat = Float32Array.from({ length: 13 * 17 * 5 }, () => Math.floor(rand() * 8) / 8);
    for (const k of [1, 40, 300]) {
      const ours = heatmapPeaks(heat, shape, k);
      const ref = reference(heat, shape, k);
      expect(Array.from(ours.indices)).toEqual(ref.indices);
      expect(Array.from(ours.scores)).toEqual(ref.scores);
    }
    expect(() => heatmapPeaks(heat, shape, 0)).toThrow(/k = 0/);
  });

  it('heatmapPeaksAbove gives heatmapPeaks\' peaks at or above the threshold, in both layouts', () => {
    const rand = seededRandom(21);
    for (const [shape, k, thr] of [
      [[9, 7, 3], 20, 0.5],
      [[16, 16, 4], 100, 0.9],
      [[5, 5, 2], 50, 0.25],
      [[8, 8, 1], 3, 0.99],
    ] as const) {
      const [h, w, c] = shape;
      // Quantised values: plenty of ties and plateaus.
      const nhwc = Float32Array.from({ length: h * w * c }, () => Math.round(rand() * 20) / 20);
      const full = heatmapPeaks(nhwc, shape, k);
      const n = full.scores.findIndex((v) => v < thr);
      const expected = { scores: Array.from(full.scores.slice(0, n < 0 ? k : n)), indices: Array.from(full.indices.slice(0, n < 0 ? k : n)) };
      const above = heatmapPeaksAbove(nhwc, shape, k, thr);
      expect({ scores: Array.from(above.scores), indices: Array.from(above.indices) }).toEqual(expected);
      // The same map stored NCHW.
      const nchw = new Float32Array(nhwc.length);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) nchw[(ch * h + y) * w + x] = nhwc[(y * w + x) * c + ch]!;
      expect(nchwToNhwc(nchw, shape)).toEqual(nhwc);
      const fromNchw = heatmapPeaksAbove(nchw, shape, k, thr, 'nchw');
      expect({ scores: Array.from(fromNchw.scores), indices: Array.from(fromNchw.indices) }).toEqual(expected);
    }
    expect(() => heatmapPeaksAbove(new Float32Array(4), [2, 2, 1], 1, 0)).toThrow(/minScore/);
  });
});

function f(v: number): number {
  return Math.fround(v);
}
