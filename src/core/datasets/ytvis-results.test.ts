import { describe, expect, it } from 'vitest';
import { emptyBitMasks, toRleMasks } from '../structures/bit-masks.ts';
import { rleFromString } from './rle.ts';
import { decodeColumnMajor } from './rle.ts';
import { YtvisResultsBuilder } from './ytvis-results.ts';

/** Masks of 4x3 frames, mask i setting pixel (x=i, y=1). */
function masks(n: number) {
  const m = emptyBitMasks(n, 4, 3);
  for (let i = 0; i < n; i++) m.data[(i * 3 + 1) * m.wordsPerRow] = 1 << i;
  return toRleMasks(m);
}

describe('YouTube-VIS results as MMTracking formats them', () => {
  it('one entry per id: mean score, majority label + 1 (ties to the smaller), a mask per frame or null; dropped detections skipped', () => {
    const b = new YtvisResultsBuilder(7);
    b.addFrame(0, [0, 1, -1], [2, 0, 1], [0.9, 0.5, 0.99], masks(3));
    b.addFrame(1, [1], [1], [0.7], masks(1));
    b.addFrame(3, [0], [1], [0.3], masks(1));
    const r = b.results();
    expect(r.map((e) => [e.video_id, e.category_id])).toEqual([[7, 2], [7, 1]]);
    expect(r[0]!.score).toBeCloseTo(0.6, 12);
    expect(r[1]!.score).toBeCloseTo(0.6, 12);
    expect(r[0]!.segmentations.map((s) => s !== null)).toEqual([true, false, false, true]);
    const first = r[0]!.segmentations[0]!;
    expect(first.size).toEqual([3, 4]);
    // Column-major: pixel (x=0, y=1) is index 1.
    expect(Array.from(decodeColumnMajor(rleFromString(first.counts, 3, 4)))).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(b.results(6)[0]!.segmentations.length).toBe(6);
  });

  it('duplicate ids on a frame: both scores and labels count, the later mask stands', () => {
    const b = new YtvisResultsBuilder(1);
    b.addFrame(0, [4, 4], [0, 1], [0.2, 0.4], masks(2));
    const [e] = b.results();
    expect(e!.score).toBeCloseTo(0.3, 12);
    expect(e!.category_id).toBe(1);
    expect(Array.from(decodeColumnMajor(rleFromString(e!.segmentations[0]!.counts, 3, 4))).indexOf(1)).toBe(4);
  });

  it('mismatched inputs are an error', () => {
    expect(() => new YtvisResultsBuilder(1).addFrame(0, [1, 2], [0], [0.5, 0.5], masks(2))).toThrow(/2 ids, 1 labels/);
  });
});
