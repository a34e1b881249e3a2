import { describe, expect, it } from 'vitest';
import { detectionCount, emptyDetections, makeDetections } from './detections.ts';

describe('makeDetections', () => {
  it('packs arrays and counts boxes', () => {
    const d = makeDetections({ boxes: [0, 0, 10, 10, 5, 5, 20, 30], scores: [0.9, 0.5], labels: [0, 2], ids: [7, 8] });
    expect(detectionCount(d)).toBe(2);
    expect(Array.from(d.boxes)).toEqual([0, 0, 10, 10, 5, 5, 20, 30]);
    expect(Array.from(d.ids ?? [])).toEqual([7, 8]);
    expect(detectionCount(emptyDetections())).toBe(0);
  });
  it('rejects arrays of different lengths', () => {
    expect(() => makeDetections({ boxes: [0, 0, 1], scores: [1], labels: [0] })).toThrow(/3 box coordinates for 1 scores/);
    expect(() => makeDetections({ boxes: [0, 0, 1, 1], scores: [1], labels: [] })).toThrow(/0 labels/);
  });
});
