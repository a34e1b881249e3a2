/**
 * YOLOX post-processing as MMDetection 2.x runs it (`YOLOXHead.get_bboxes` with `rescale=True`, then
 * `_bboxes_nms`), on the head's raw outputs from the ONNX graph:
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/dense_heads/yolox_head.py
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/core/anchor/point_generator.py (`MlvlPointGenerator`)
 *
 * 1. Priors per level: cell (x, y) → centre (x·s, y·s) with stride s (offset 0), in (y, x) order; levels in order.
 * 2. Decode: centre = pred[0:2]·s + prior, size = exp(pred[2:4])·s, box = centre ∓ size/2 (no clipping).
 * 3. Rescale: divide by `scale_factor` (back to frame pixels), before NMS as MMDetection does.
 * 4. Score: sigmoid of every class logit, the best class and its score; kept when
 *    sigmoid(objectness) · score ≥ `score_thr`; the detection score is that product.
 * 5. `batched_nms` per class; every survivor is kept (MMDetection 2.x's YOLOX applies no `max_per_img`).
 */
import { batchedNms } from '../../ops/nms.ts';
import { type Detections, emptyDetections, makeDetections } from '../../structures/detections.ts';
import type { TensorData } from './faster-rcnn.ts';
import type { YoloxSettings } from './yolox-config.ts';

const f = Math.fround;

const sigmoid = (x: number) => f(1 / f(1 + f(Math.exp(-x))));

/** The head's outputs of one image, per level: `[1, C, h, w]`, `[1, 4, h, w]`, `[1, 1, h, w]`. */
export interface YoloxHeadOutputs {
  clsScores: readonly TensorData[];
  bboxPreds: readonly TensorData[];
  objectnesses: readonly TensorData[];
}

function checkDims(d: readonly number[], channels: number, h: number, w: number, what: string): void {
  if (d.length !== 4 || d[0] !== 1 || d[1] !== channels || (h >= 0 && (d[2] !== h || d[3] !== w))) {
    throw new Error(`YOLOX: ${what} is [${d.join(', ')}], expected [1, ${channels}, ${h >= 0 ? `${h}, ${w}` : 'H, W'}]`);
  }
}

/**
 * Checks the shapes of the head's maps (`[1, C, h, w]`, `[1, 4, h, w]`, `[1, 1, h, w]` per stride) and returns each
 * level's [h, w]: what the CPU decode and the kernel both need before touching the data.
 */
export function yoloxLevelSizes(cls: readonly (readonly number[])[], reg: readonly (readonly number[])[], obj: readonly (readonly number[])[], s: YoloxSettings): Array<[number, number]> {
  const n = s.strides.length;
  if (cls.length !== n || reg.length !== n || obj.length !== n) {
    throw new Error(`YOLOX: ${cls.length} class maps, ${reg.length} box maps and ${obj.length} objectness maps for ${n} strides`);
  }
  return cls.map((d, l) => {
    checkDims(d, s.numClasses, -1, -1, `class map ${l}`);
    const [h, w] = [d[2]!, d[3]!];
    checkDims(reg[l]!, 4, h, w, `box map ${l}`);
    checkDims(obj[l]!, 1, h, w, `objectness map ${l}`);
    return [h, w];
  });
}

/** The NMS candidates of steps 1-4, in prior order (level, y, x): `[m*4]` boxes (frame pixels), `[m]` scores, labels. */
export interface YoloxCandidates {
  boxes: Float32Array;
  scores: Float32Array;
  labels: Int32Array;
}

/**
 * Steps 1-4 (the CPU twin of the `yolox-decode` kernel and its ordered compaction): every prior whose score passes.
 * @param scaleFactor MMDetection's `scale_factor` (w, h) = resized / source.
 */
export function yoloxCandidates(out: YoloxHeadOutputs, s: YoloxSettings, scaleFactor: readonly [number, number]): YoloxCandidates {
  const sizes = yoloxLevelSizes(out.clsScores.map((t) => t.dims), out.bboxPreds.map((t) => t.dims), out.objectnesses.map((t) => t.dims), s);
  for (const [name, maps] of [['class', out.clsScores], ['box', out.bboxPreds], ['objectness', out.objectnesses]] as const) {
    maps.forEach((t, l) => {
      if (t.data.length !== t.dims.reduce((a, b) => a * b, 1)) throw new Error(`YOLOX: ${name} map ${l} has ${t.data.length} values for [${t.dims.join(', ')}]`);
    });
  }
  const nc = s.numClasses;
  const thr = f(s.scoreThr);
  const [sx, sy] = [f(scaleFactor[0]), f(scaleFactor[1])];
  const boxes: number[] = [];
  const scores: number[] = [];
  const labels: number[] = [];
  for (let l = 0; l < sizes.length; l++) {
    const cls = out.clsScores[l]!;
    const [h, w] = sizes[l]!;
    const plane = h * w;
    const stride = s.strides[l]!;
    const reg = out.bboxPreds[l]!.data;
    const obj = out.objectnesses[l]!.data;
    for (let p = 0; p < plane; p++) {
      // torch.max over sigmoid scores: the first class among equals.
      let best = 0;
      let bestScore = sigmoid(cls.data[p]!);
      for (let c = 1; c < nc; c++) {
        const v = sigmoid(cls.data[c * plane + p]!);
        if (v > bestScore) {
          best = c;
          bestScore = v;
        }
      }
      const score = f(sigmoid(obj[p]!) * bestScore);
      if (!(score >= thr)) continue;
      const px = f((p % w) * stride);
      const py = f(Math.floor(p / w) * stride);
      const cx = f(f(reg[p]! * stride) + px);
      const cy = f(f(reg[plane + p]! * stride) + py);
      const bw = f(f(Math.exp(reg[2 * plane + p]!)) * stride);
      const bh = f(f(Math.exp(reg[3 * plane + p]!)) * stride);
      boxes.push(f(f(cx - f(bw / 2)) / sx), f(f(cy - f(bh / 2)) / sy), f(f(cx + f(bw / 2)) / sx), f(f(cy + f(bh / 2)) / sy));
      scores.push(score);
      labels.push(best);
    }
  }
  return { boxes: Float32Array.from(boxes), scores: Float32Array.from(scores), labels: Int32Array.from(labels) };
}

/** Detections in frame pixels from the head's outputs (steps 1-5). */
export function yoloxDetections(out: YoloxHeadOutputs, s: YoloxSettings, scaleFactor: readonly [number, number]): Detections {
  const { boxes: b, scores: sc, labels: lb } = yoloxCandidates(out, s, scaleFactor);
  if (sc.length === 0) return emptyDetections();
  const { keep } = batchedNms(b, sc, lb, { iouThreshold: s.nms.iouThreshold, classAgnostic: s.nms.classAgnostic });
  const kept = Array.from(keep);
  return makeDetections({ boxes: kept.flatMap((i) => Array.from(b.subarray(i * 4, i * 4 + 4))), scores: kept.map((i) => sc[i]!), labels: kept.map((i) => lb[i]!) });
}
