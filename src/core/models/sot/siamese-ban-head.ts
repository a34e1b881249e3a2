/**
 * Anchor-free Siamese head outputs → candidate boxes (SiamBAN / NanoTrack): one point per score-map cell, a
 * two-class score and `l, t, r, b` distances from the point to the box sides, in search-crop pixels.
 * NanoTrack's tracker (`NanoTracker.generate_points/_convert_bbox/_convert_score`,
 * https://github.com/HonglinChu/SiamTrackers/blob/master/NanoTrack/nanotrack/tracker/nano_tracker.py) and
 * SiamBAN's (https://github.com/hqucv/siamban/blob/master/siamban/tracker/siamban_tracker.py).
 */
import { foregroundProbability, type SiameseCandidates } from './siamese-postprocess.ts';

/**
 * Points `[size*size*2]` (x, y), row-major: `ori + stride * j`, `ori + stride * i` with `ori = -(size // 2) * stride`
 * (for an even size the grid is not symmetric about the crop centre: NanoTrack's 16x16 map spans -128 … 112).
 */
export function siameseBanPoints(size: number, stride: number): Float64Array {
  const ori = -Math.floor(size / 2) * stride;
  const out = new Float64Array(size * size * 2);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      out[(i * size + j) * 2] = ori + stride * j;
      out[(i * size + j) * 2 + 1] = ori + stride * i;
    }
  }
  return out;
}

/**
 * @param cls `[1, 2, H, W]` logits (background, foreground); softmax over the two.
 * @param ltrb `[1, 4, H, W]` distances (the network already applied its `exp`).
 * @param points from {@link siameseBanPoints}.
 * @returns candidates in row-major cell order: `cx = x + (r - l) / 2`, `w = l + r` (corners `x - l`, `x + r`).
 */
export function decodeSiameseBan(cls: ArrayLike<number>, ltrb: ArrayLike<number>, points: Float64Array): SiameseCandidates {
  const n = points.length / 2;
  if (cls.length !== 2 * n || ltrb.length !== 4 * n) throw new Error(`anchor-free Siamese head: cls has ${cls.length} values and ltrb ${ltrb.length} for ${n} points (expected ${2 * n} and ${4 * n})`);
  const scores = new Float64Array(n);
  const boxes = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    scores[i] = foregroundProbability(cls[i]!, cls[n + i]!);
    const x = points[i * 2]!;
    const y = points[i * 2 + 1]!;
    const x1 = x - ltrb[i]!;
    const y1 = y - ltrb[n + i]!;
    const x2 = x + ltrb[2 * n + i]!;
    const y2 = y + ltrb[3 * n + i]!;
    boxes[i * 4] = (x1 + x2) * 0.5;
    boxes[i * 4 + 1] = (y1 + y2) * 0.5;
    boxes[i * 4 + 2] = x2 - x1;
    boxes[i * 4 + 3] = y2 - y1;
  }
  return { scores, boxes };
}
