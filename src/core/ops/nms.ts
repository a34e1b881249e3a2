/**
 * Class-aware batched NMS with MMCV semantics (`mmcv.ops.batched_nms` → `nms` → `nms_cpu`), CPU twin of
 * `src/gpu/nms.ts`.
 * https://github.com/open-mmlab/mmcv/blob/v1.7.2/mmcv/ops/nms.py
 * https://github.com/open-mmlab/mmcv/blob/v1.7.2/mmcv/ops/csrc/pytorch/cpu/nms.cpp
 *
 * 1. Score filter: with `scoreThreshold > 0` keep boxes with `score > scoreThreshold` (as MMCV's `NMSop`
 *    and MMDetection's `multiclass_nms`); otherwise all boxes are candidates.
 * 2. Class awareness by MMCV's offset trick (unless `classAgnostic`): `max = max(candidate coordinates)`,
 *    each box is shifted by `class * (max + 1)` (float32), so boxes of different classes do not overlap.
 * 3. Candidates sorted by score, descending; equal scores by ascending index (stable: MMCV leaves ties to
 *    `torch.sort`, which is not stable).
 * 4. Greedy suppression with MMCV's `offset=0` IoU in float32: `w = max(0, min(x2) - max(x1))` (no +1),
 *    `inter = w * h`, `ovr = inter / (area_i + area_j - inter)`; suppress when `ovr > iouThreshold`
 *    (strict). A zero-area pair (0/0) never suppresses.
 * 5. `maxNum > 0` keeps the first `maxNum`.
 * Scores must be finite.
 */

export interface BatchedNmsOptions {
  /** IoU above which the lower-scored box is suppressed (`iou_threshold`). */
  iouThreshold: number;
  /** Candidates need `score > scoreThreshold` when it is > 0 (default 0: no filter). */
  scoreThreshold?: number;
  /** Keep at most this many boxes when > 0 (`max_num`, default -1: all). */
  maxNum?: number;
  /** Ignore classes (`class_agnostic`, default false). */
  classAgnostic?: boolean;
}

export interface NmsResult {
  /** `[k]` indices of the kept boxes into the input, by descending score. */
  keep: Int32Array;
  /** `[k*5]` kept boxes `x1, y1, x2, y2, score` (input coordinates, MMCV's `dets`). */
  dets: Float32Array;
}

const f = Math.fround;

/**
 * MMCV's IoU test in float32 between boxes `p` (higher score) and `q` of `boxes` (`[m*4]`, offset boxes)
 * with precomputed `areas`: true when `q` is suppressed by `p`.
 */
export function suppresses(boxes: Float32Array, areas: Float32Array, p: number, q: number, iouThreshold: number): boolean {
  const w = Math.max(0, f(Math.min(boxes[p * 4 + 2]!, boxes[q * 4 + 2]!) - Math.max(boxes[p * 4]!, boxes[q * 4]!)));
  const h = Math.max(0, f(Math.min(boxes[p * 4 + 3]!, boxes[q * 4 + 3]!) - Math.max(boxes[p * 4 + 1]!, boxes[q * 4 + 1]!)));
  const inter = f(w * h);
  // 0 / union is 0 (or NaN for 0 / 0): never above a threshold >= 0.
  if (inter === 0) return false;
  const union = f(f(areas[p]! + areas[q]!) - inter);
  return union === 0 || f(inter / union) > iouThreshold;
}

/** The IoU threshold must lie in [0, 1]. */
export function checkIouThreshold(iouThreshold: number): void {
  if (!(iouThreshold >= 0 && iouThreshold <= 1)) throw new Error(`NMS: iou_threshold must be in [0, 1], got ${iouThreshold}`);
}

/** The offset MMCV adds to every box: `class * (max + 1)` in float32 (0 when class-agnostic or empty). */
export function classOffsets(boxes: Float32Array, classIds: Int32Array, candidates: ArrayLike<number>, classAgnostic: boolean): Float32Array {
  const offsets = new Float32Array(classIds.length);
  if (classAgnostic || candidates.length === 0) return offsets;
  let max = -Infinity;
  for (let k = 0; k < candidates.length; k++) {
    const i = candidates[k]!;
    for (let c = 0; c < 4; c++) max = Math.max(max, boxes[i * 4 + c]!);
  }
  const step = f(max + 1);
  for (let k = 0; k < candidates.length; k++) {
    const i = candidates[k]!;
    offsets[i] = f(classIds[i]! * step);
  }
  return offsets;
}

/**
 * @param boxes `[n*4]` x1, y1, x2, y2
 * @param scores `[n]`
 * @param classIds `[n]` class index per box
 */
export function batchedNms(boxes: Float32Array, scores: Float32Array, classIds: Int32Array, options: BatchedNmsOptions): NmsResult {
  const n = scores.length;
  checkIouThreshold(options.iouThreshold);
  if (boxes.length !== n * 4 || classIds.length !== n) throw new Error(`batchedNms: ${boxes.length / 4} boxes, ${n} scores, ${classIds.length} class ids`);
  const scoreThr = options.scoreThreshold ?? 0;
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (!(scoreThr > 0) || scores[i]! > f(scoreThr)) candidates.push(i);
  const offsets = classOffsets(boxes, classIds, candidates, options.classAgnostic ?? false);
  candidates.sort((a, b) => scores[b]! - scores[a]! || a - b);

  const m = candidates.length;
  const shifted = new Float32Array(m * 4);
  const areas = new Float32Array(m);
  candidates.forEach((i, p) => {
    for (let c = 0; c < 4; c++) shifted[p * 4 + c] = f(boxes[i * 4 + c]! + offsets[i]!);
    areas[p] = f(f(shifted[p * 4 + 2]! - shifted[p * 4]!) * f(shifted[p * 4 + 3]! - shifted[p * 4 + 1]!));
  });
  const maxNum = options.maxNum !== undefined && options.maxNum > 0 ? options.maxNum : Infinity;
  const iouThreshold = f(options.iouThreshold);
  const removed = new Uint8Array(m);
  const keep: number[] = [];
  for (let p = 0; p < m && keep.length < maxNum; p++) {
    if (removed[p]) continue;
    keep.push(candidates[p]!);
    for (let q = p + 1; q < m; q++) {
      if (!removed[q] && suppresses(shifted, areas, p, q, iouThreshold)) removed[q] = 1;
    }
  }
  const dets = new Float32Array(keep.length * 5);
  keep.forEach((i, k) => {
    dets.set(boxes.subarray(i * 4, i * 4 + 4), k * 5);
    dets[k * 5 + 4] = scores[i]!;
  });
  return { keep: Int32Array.from(keep), dets };
}
