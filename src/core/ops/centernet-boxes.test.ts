import { describe, expect, it } from 'vitest';
import { centerNetBoxes, sizeIndex } from './centernet-boxes.ts';

describe('centerNetBoxes', () => {
  it('decodes a hand-worked peak in both size layouts', () => {
    // 4x5 map, 3 classes; a peak of class 2 at (y=1, x=3): flat NHWC index (1*5+3)*3+2 = 26.
    const [h, w] = [4, 5];
    const ltrb = [6, 2, 10, 14];
    for (const layout of ['nhwc', 'nchw'] as const) {
      const size = new Float32Array(h * w * 4);
      ltrb.forEach((v, ch) => (size[sizeIndex(layout, h, w, 1, 3, ch)] = v));
      const out = centerNetBoxes({ scores: Float32Array.of(0.9), indices: Int32Array.of(26) }, size, { shape: [h, w, 3], sizeLayout: layout, stride: 4, scaleFactor: [2, 0.5] });
      expect(Array.from(out.labels)).toEqual([2]);
      // centre (12, 4) in input pixels; box (6, 2, 22, 18); frame = input / (2, 0.5).
      expect(Array.from(out.boxes)).toEqual([3, 4, 11, 36]); // exact: 1/2 and 1/0.5 are exact in float32
      expect(out.scores[0]).toBeCloseTo(0.9);
    }
  });
  it('rejects a size head of the wrong size', () => {
    expect(() => centerNetBoxes({ scores: new Float32Array(1), indices: new Int32Array(1) }, new Float32Array(7), { shape: [2, 2, 1], sizeLayout: 'nhwc', stride: 4, scaleFactor: [1, 1] })).toThrow(/expected 2x2x4/);
  });
});
