/**
 * Faster R-CNN inference as MMDetection 2.x runs it (`TwoStageDetector.simple_test` with `rescale=True`), around two
 * ONNX graphs: prepare → backbone graph → proposals → RoI features → bbox-head graph → detections.
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/dense_heads/rpn_head.py (`_bbox_post_process`)
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/roi_heads/test_mixins.py (`simple_test_bboxes`)
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/roi_heads/bbox_heads/bbox_head.py (`get_bboxes`)
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/core/post_processing/bbox_nms.py (`multiclass_nms`)
 *
 * 1. Pre-process the frame (`test_pipeline`: Resize, Normalize, Pad) and run the `backbone` graph: FPN features,
 *    RPN objectness and deltas per level.
 * 2. Per RPN level: anchors (`AnchorGenerator`), scores (sigmoid, or softmax foreground), the `nms_pre` best
 *    (descending score, ties by anchor index), their deltas decoded (`DeltaXYWHBBoxCoder`, clipped to `img_shape`).
 * 3. All levels together: drop proposals not wider and taller than `min_bbox_size`, NMS per level (the level is the
 *    class of MMCV's `batched_nms`), keep the first `max_per_img`.
 * 4. RoIAlign of every proposal on the FPN level its size maps to (`SingleRoIExtractor`).
 * 5. Run the `bbox_head` graph: class logits (background last) and per-class deltas.
 * 6. Softmax; decode each class's deltas from the proposal (clipped to `img_shape`); divide by `scale_factor`.
 * 7. `multiclass_nms`: (box, class) pairs with score > `score_thr`, NMS per class, the first `max_per_img`.
 * The graphs run through an injected {@link RunGraph}: onnxruntime-web's wasm EP in Node today, the WebGPU EP with our
 * NMS/RoIAlign kernels in the browser.
 */
import { batchedNms } from '../../ops/nms.ts';
import { type PreprocessGeometry } from '../../ops/preprocess.ts';
import { preprocessImageFast } from '../../ops/preprocess-fast.ts';
import { type FeatureMap, outputHW, singleRoiExtractor, type SingleRoiExtractorOptions } from '../../ops/roi-align.ts';
import { type Detections, emptyDetections, makeDetections } from '../../structures/detections.ts';
import type { FasterRcnnModel, RcnnSettings, RpnSettings } from './faster-rcnn-config.ts';

const f = Math.fround;

/** A float32 tensor as the graphs exchange it (row-major, `dims` as ONNX gives them). */
export interface TensorData {
  data: Float32Array;
  dims: readonly number[];
}

export type GraphRole = 'backbone' | 'bbox_head';

/** Runs one of the two graphs on named inputs and returns its outputs by name. */
export type RunGraph = (role: GraphRole, feeds: Record<string, TensorData>) => Promise<Record<string, TensorData>>;

/** MMDetection's image meta for one pre-processed frame. */
export interface ImageMeta {
  /** `img_shape` [height, width]: the frame after Resize, before Pad (boxes are clipped to it). */
  imgShape: readonly [number, number];
  /** `scale_factor` (w, h) = resized / source: boxes are divided by it to return to frame pixels. */
  scaleFactor: readonly [number, number];
}

/** The meta of a frame pre-processed with geometry `g` (`preprocessImage`, `preprocessGpu`). */
export function imageMeta(g: PreprocessGeometry): ImageMeta {
  return { imgShape: [g.resizedHeight, g.resizedWidth], scaleFactor: g.scaleFactor };
}

/** RPN output: `[k*4]` boxes in resized-image pixels and `[k]` objectness scores, best first. */
export interface Proposals {
  boxes: Float32Array;
  scores: Float32Array;
}

export interface FasterRcnnResult {
  detections: Detections;
  proposals: Proposals;
}

function shape4(t: TensorData, what: string): [number, number, number, number] {
  if (t.dims.length !== 4 || t.dims[0] !== 1) throw new Error(`Faster R-CNN: ${what} must be [1, C, H, W], got [${t.dims.join(', ')}]`);
  if (t.data.length !== t.dims.reduce((a, b) => a * b, 1)) throw new Error(`Faster R-CNN: ${what} has ${t.data.length} values for [${t.dims.join(', ')}]`);
  return t.dims as [number, number, number, number];
}

/** Indices `0..n-1` by descending `scores`, equal scores by ascending index. */
function rankDescending(scores: Float32Array): Uint32Array {
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** RPN candidates before NMS: `[n*4]` boxes, `[n]` scores, `[n]` level index (the class of the level-wise NMS). */
export interface RpnCandidates extends Proposals {
  levels: Int32Array;
}

/**
 * Step 2 and the size filter of step 3: the NMS candidates from the RPN outputs of every level
 * (`cls[l]` `[1, A or 2A, h, w]`, `reg[l]` `[1, 4A, h, w]`).
 * @param imgShape `[height, width]` after Resize.
 */
export function rpnCandidates(cls: readonly TensorData[], reg: readonly TensorData[], rpn: RpnSettings, imgShape: readonly [number, number]): RpnCandidates {
  const gen = rpn.anchorGenerator;
  if (cls.length !== gen.numLevels || reg.length !== gen.numLevels) throw new Error(`Faster R-CNN: ${cls.length} RPN score maps and ${reg.length} delta maps for ${gen.numLevels} anchor levels`);
  const boxes: Float32Array[] = [];
  const scores: Float32Array[] = [];
  const levels: number[] = [];
  for (let l = 0; l < gen.numLevels; l++) {
    const a = gen.numBaseAnchors[l]!;
    const [, cc, h, w] = shape4(cls[l]!, `RPN score map ${l}`);
    const [, rc, rh, rw] = shape4(reg[l]!, `RPN delta map ${l}`);
    const perAnchor = rpn.useSigmoid ? 1 : 2;
    if (cc !== a * perAnchor || rc !== a * 4 || rh !== h || rw !== w) {
      throw new Error(`Faster R-CNN: RPN level ${l} has score map [1, ${cc}, ${h}, ${w}] and delta map [1, ${rc}, ${rh}, ${rw}]; ${a} anchors per cell need [1, ${a * perAnchor}, H, W] and [1, ${a * 4}, H, W]`);
    }
    const plane = h * w;
    const n = plane * a;
    const c = cls[l]!.data;
    const levelScores = new Float32Array(n);
    // Anchor order (y, x, a), as the (H, W, A) flattening of MMDetection's permute(0, 2, 3, 1).
    for (let p = 0; p < plane; p++) {
      for (let k = 0; k < a; k++) {
        if (rpn.useSigmoid) levelScores[p * a + k] = f(1 / f(1 + f(Math.exp(-c[k * plane + p]!))));
        else {
          // Softmax over (foreground, background) = channels (2k, 2k + 1); MMDetection >= 2.5 takes index 0.
          const v0 = c[2 * k * plane + p]!;
          const v1 = c[(2 * k + 1) * plane + p]!;
          const m = Math.max(v0, v1);
          const e0 = f(Math.exp(f(v0 - m)));
          const e1 = f(Math.exp(f(v1 - m)));
          levelScores[p * a + k] = f(e0 / f(e0 + e1));
        }
      }
    }
    const take = rpn.nmsPre > 0 && rpn.nmsPre < n ? rankDescending(levelScores).subarray(0, rpn.nmsPre) : Uint32Array.from({ length: n }, (_, i) => i);
    const anchors = gen.singleLevelGridPriors(h, w, l);
    const r = reg[l]!.data;
    const selAnchors = new Float32Array(take.length * 4);
    const selDeltas = new Float32Array(take.length * 4);
    const selScores = new Float32Array(take.length);
    take.forEach((idx, j) => {
      const p = Math.floor(idx / a);
      const k = idx % a;
      selScores[j] = levelScores[idx]!;
      selAnchors.set(anchors.subarray(idx * 4, idx * 4 + 4), j * 4);
      for (let d = 0; d < 4; d++) selDeltas[j * 4 + d] = r[(k * 4 + d) * plane + p]!;
    });
    boxes.push(rpn.bboxCoder.decode(selAnchors, selDeltas, imgShape));
    scores.push(selScores);
    for (let j = 0; j < take.length; j++) levels.push(l);
  }
  const all = concat(boxes);
  const allScores = concat(scores);
  let keep = Array.from({ length: allScores.length }, (_, i) => i);
  if (rpn.minBboxSize >= 0) {
    const min = rpn.minBboxSize;
    keep = keep.filter((i) => f(all[i * 4 + 2]! - all[i * 4]!) > min && f(all[i * 4 + 3]! - all[i * 4 + 1]!) > min);
  }
  return { boxes: gather(all, keep, 4), scores: gather(allScores, keep, 1), levels: Int32Array.from(keep, (i) => levels[i]!) };
}

/** Steps 2-3: the proposals, best first (NMS per level, then the first `max_per_img`). */
export function rpnProposals(cls: readonly TensorData[], reg: readonly TensorData[], rpn: RpnSettings, imgShape: readonly [number, number]): Proposals {
  const c = rpnCandidates(cls, reg, rpn, imgShape);
  if (c.scores.length === 0) return { boxes: c.boxes, scores: c.scores };
  const nms = batchedNms(c.boxes, c.scores, c.levels, { iouThreshold: rpn.nms.iouThreshold, classAgnostic: rpn.nms.classAgnostic });
  const kept = Array.from(nms.keep.subarray(0, Math.max(rpn.maxPerImg, 0)));
  return { boxes: gather(c.boxes, kept, 4), scores: gather(c.scores, kept, 1) };
}

/** Step 4: RoI features `[k, C, s, s]` of the proposals (`[k*4]`) from the FPN features (`[1, C, H/s, W/s]` each). */
export function roiFeatures(features: readonly TensorData[], proposals: Float32Array, rcnn: RcnnSettings): TensorData {
  return extractRoiFeatures(features, proposals, rcnn.roiExtractor);
}

/** `SingleRoIExtractor` of boxes (`[k*4]`, resized-image pixels) on the feature maps: `[k, C, oh, ow]`. */
export function extractRoiFeatures(features: readonly TensorData[], boxes: Float32Array, extractor: SingleRoiExtractorOptions): TensorData {
  const strides = extractor.featmapStrides;
  if (features.length !== strides.length) throw new Error(`Faster R-CNN: ${features.length} feature maps for featmap_strides [${strides.join(', ')}]`);
  const maps: FeatureMap[] = features.map((t, i) => ({ data: t.data, shape: shape4(t, `feature map ${i}`) }));
  const k = boxes.length / 4;
  const data = singleRoiExtractor(maps, proposalRois(boxes), extractor);
  const [oh, ow] = outputHW(extractor.roiLayer.outputSize);
  return { data, dims: [k, maps[0]!.shape[1], oh, ow] };
}

/** Boxes in frame pixels (`[k*4]`) as proposals in resized-image pixels (times `scale_factor`): Tracktor's regression input. */
export function frameBoxesToProposals(boxes: Float32Array, meta: ImageMeta): Float32Array {
  const [sx, sy] = [f(meta.scaleFactor[0]), f(meta.scaleFactor[1])];
  return Float32Array.from(boxes, (v, i) => f(v * (i % 2 === 0 ? sx : sy)));
}

/** MMDetection's `bbox2roi` for one image: `[k*4]` boxes → `[k*5]` (batch 0, x1, y1, x2, y2). */
export function proposalRois(proposals: Float32Array): Float32Array {
  const k = proposals.length / 4;
  const rois = new Float32Array(k * 5);
  for (let i = 0; i < k; i++) rois.set(proposals.subarray(i * 4, i * 4 + 4), i * 5 + 1);
  return rois;
}

/**
 * Checks the bbox head's outputs for `k` proposals and decodes `bbox_pred` against them: `[k*4C]` boxes (`[k*4]`
 * class-agnostic) in frame pixels (decoded in resized-image pixels, clipped to `img_shape`, divided by
 * `scale_factor`).
 */
function decodeHeadBoxes(proposals: Float32Array, clsScore: TensorData, bboxPred: TensorData, rcnn: RcnnSettings, meta: ImageMeta): Float32Array {
  const k = proposals.length / 4;
  const nc = rcnn.numClasses;
  const regWidth = rcnn.regClassAgnostic ? 4 : 4 * nc;
  if (clsScore.dims.length !== 2 || clsScore.dims[0] !== k || clsScore.dims[1] !== nc + 1 || clsScore.data.length !== k * (nc + 1)) {
    throw new Error(`Faster R-CNN: cls_score is [${clsScore.dims.join(', ')}], expected [${k}, ${nc + 1}] (num_classes + background)`);
  }
  if (bboxPred.dims.length !== 2 || bboxPred.dims[0] !== k || bboxPred.dims[1] !== regWidth || bboxPred.data.length !== k * regWidth) {
    throw new Error(`Faster R-CNN: bbox_pred is [${bboxPred.dims.join(', ')}], expected [${k}, ${regWidth}]${rcnn.regClassAgnostic ? ' (reg_class_agnostic)' : ''}`);
  }
  const boxes = rcnn.bboxCoder.decode(proposals, bboxPred.data, meta.imgShape);
  const [sx, sy] = [f(meta.scaleFactor[0]), f(meta.scaleFactor[1])];
  for (let i = 0; i < boxes.length; i += 4) {
    boxes[i] = f(boxes[i]! / sx);
    boxes[i + 1] = f(boxes[i + 1]! / sy);
    boxes[i + 2] = f(boxes[i + 2]! / sx);
    boxes[i + 3] = f(boxes[i + 3]! / sy);
  }
  return boxes;
}

/**
 * Steps 6-7: detections in frame pixels from the proposals (`[k*4]`, resized-image pixels) and the bbox head's
 * `cls_score` `[k, C+1]` and `bbox_pred` `[k, 4C]` (or `[k, 4]` when class-agnostic).
 */
export function bboxDetections(proposals: Float32Array, clsScore: TensorData, bboxPred: TensorData, rcnn: RcnnSettings, meta: ImageMeta): Detections {
  const k = proposals.length / 4;
  const nc = rcnn.numClasses;
  const boxes = decodeHeadBoxes(proposals, clsScore, bboxPred, rcnn, meta);
  const thr = f(rcnn.scoreThr);
  const candBoxes: number[] = [];
  const candScores: number[] = [];
  const candLabels: number[] = [];
  const logits = clsScore.data;
  const probs = new Float32Array(nc + 1);
  for (let i = 0; i < k; i++) {
    softmaxRow(logits, i * (nc + 1), nc + 1, probs);
    for (let c = 0; c < nc; c++) {
      if (!(probs[c]! > thr)) continue;
      const o = rcnn.regClassAgnostic ? i * 4 : (i * nc + c) * 4;
      candBoxes.push(boxes[o]!, boxes[o + 1]!, boxes[o + 2]!, boxes[o + 3]!);
      candScores.push(probs[c]!);
      candLabels.push(c);
    }
  }
  if (candScores.length === 0) return emptyDetections();
  const b = Float32Array.from(candBoxes);
  const s = Float32Array.from(candScores);
  const labels = Int32Array.from(candLabels);
  const nms = batchedNms(b, s, labels, { iouThreshold: rcnn.nms.iouThreshold, classAgnostic: rcnn.nms.classAgnostic });
  const kept = Array.from(rcnn.maxPerImg > 0 ? nms.keep.subarray(0, rcnn.maxPerImg) : nms.keep);
  return makeDetections({ boxes: gather(b, kept, 4), scores: gather(s, kept, 1), labels: kept.map((i) => labels[i]!) });
}

/**
 * Tracktor's regression (MMTracking's `TracktorTracker.regress_tracks` → `roi_head.simple_test_bboxes` without a
 * test config): the bbox head applied to given boxes as proposals. For each box (`[k*4]`, resized-image pixels), the
 * box decoded for class `labels[i]` (frame pixels) and that class's softmax score; no threshold, no NMS.
 * `labels` default: each box's best foreground class.
 */
export function regressedBoxes(proposals: Float32Array, clsScore: TensorData, bboxPred: TensorData, rcnn: RcnnSettings, meta: ImageMeta, labels?: ArrayLike<number>): { boxes: Float32Array; scores: Float32Array; labels: Int32Array } {
  const k = proposals.length / 4;
  const nc = rcnn.numClasses;
  const decoded = decodeHeadBoxes(proposals, clsScore, bboxPred, rcnn, meta);
  const boxes = new Float32Array(k * 4);
  const scores = new Float32Array(k);
  const chosen = new Int32Array(k);
  const probs = new Float32Array(nc + 1);
  for (let i = 0; i < k; i++) {
    softmaxRow(clsScore.data, i * (nc + 1), nc + 1, probs);
    let c = labels ? labels[i]! : 0;
    if (!labels) for (let j = 1; j < nc; j++) if (probs[j]! > probs[c]!) c = j;
    if (!(c >= 0 && c < nc)) throw new Error(`Faster R-CNN: label ${c} of box ${i} is not one of the ${nc} classes`);
    const o = rcnn.regClassAgnostic ? i * 4 : (i * nc + c) * 4;
    boxes.set(decoded.subarray(o, o + 4), i * 4);
    scores[i] = probs[c]!;
    chosen[i] = c;
  }
  return { boxes, scores, labels: chosen };
}

/** torch's float32 softmax of `n` values at `offset`: exp(x - max) / sum. */
function softmaxRow(data: Float32Array, offset: number, n: number, out: Float32Array): void {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, data[offset + j]!);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    out[j] = f(Math.exp(f(data[offset + j]! - max)));
    sum = f(sum + out[j]!);
  }
  for (let j = 0; j < n; j++) out[j] = f(out[j]! / sum);
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function gather(data: Float32Array, rows: readonly number[], width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, j) => out.set(data.subarray(r * width, r * width + width), j * width));
  return out;
}

function output(outputs: Record<string, TensorData>, name: string, role: GraphRole): TensorData {
  const t = outputs[name];
  if (!t) throw new Error(`Faster R-CNN: the ${role} graph returned ${Object.keys(outputs).join(', ') || 'nothing'}, not '${name}'`);
  return t;
}

/** The whole detector: a {@link FasterRcnnModel} (from the config) and the function that runs its graphs. */
export class FasterRcnn {
  /** The last frame's RoI feature maps and geometry, for {@link regress} (Tracktor regresses on the current frame). */
  private last: { features: TensorData[]; meta: ImageMeta } | null = null;

  constructor(
    readonly model: FasterRcnnModel,
    private readonly run: RunGraph,
  ) {}

  /**
   * Regresses boxes (`[k*4]`, frame pixels) through the bbox head on the features of the last detected frame:
   * one box and score per input box (see {@link regressedBoxes}).
   */
  async regress(boxes: Float32Array, labels?: ArrayLike<number>): Promise<{ boxes: Float32Array; scores: Float32Array; labels: Int32Array }> {
    if (!this.last) throw new Error('Faster R-CNN: regress() needs a frame: call detect() on it first');
    const { features, meta } = this.last;
    const k = boxes.length / 4;
    if (k === 0) return { boxes: new Float32Array(0), scores: new Float32Array(0), labels: new Int32Array(0) };
    const proposals = frameBoxesToProposals(boxes, meta);
    const head = this.model.graphs.bboxHead;
    const out = await this.run('bbox_head', { [head.input]: roiFeatures(features, proposals, this.model.settings.rcnn) });
    return regressedBoxes(proposals, output(out, head.clsScore, 'bbox_head'), output(out, head.bboxPred, 'bbox_head'), this.model.settings.rcnn, meta, labels);
  }

  /** Detections on an RGBA frame (row-major, 4 bytes per pixel), boxes in frame pixels. */
  async detect(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<FasterRcnnResult> {
    const { data, geometry: g } = preprocessImageFast(rgba, width, height, this.model.preprocess);
    return this.detectTensor({ data, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, imageMeta(g));
  }

  /** Steps 1-7 from an already pre-processed `[1, 3, H, W]` tensor. */
  async detectTensor(image: TensorData, meta: ImageMeta): Promise<FasterRcnnResult> {
    const { settings: s, graphs } = this.model;
    const bb = graphs.backbone;
    const out = await this.run('backbone', { [bb.input]: image });
    const features = bb.features.map((n) => output(out, n, 'backbone'));
    this.last = { features, meta };
    const head = graphs.bboxHead;
    return twoStageDetections(s, features, bb.rpnCls.map((n) => output(out, n, 'backbone')), bb.rpnReg.map((n) => output(out, n, 'backbone')), meta, async (roiFeats) => {
      const headOut = await this.run('bbox_head', { [head.input]: roiFeats });
      return { clsScore: output(headOut, head.clsScore, 'bbox_head'), bboxPred: output(headOut, head.bboxPred, 'bbox_head') };
    });
  }
}

/** Runs a bbox-head graph on RoI features `[k, C, s, s]`: `cls_score` and `bbox_pred`. */
export type BBoxHeadRun = (roiFeats: TensorData) => Promise<{ clsScore: TensorData; bboxPred: TensorData }>;

/**
 * Steps 2-7 from the RoI feature maps (`features`, one per `featmap_strides`) and the RPN outputs of every anchor
 * level: proposals, RoI features, the bbox head, detections. Shared by Faster R-CNN and the VID methods built on it.
 */
export async function twoStageDetections(
  s: Pick<FasterRcnnModel['settings'], 'rpn' | 'rcnn'>,
  features: readonly TensorData[],
  rpnCls: readonly TensorData[],
  rpnReg: readonly TensorData[],
  meta: ImageMeta,
  bboxHead: BBoxHeadRun,
): Promise<FasterRcnnResult> {
  const proposals = rpnProposals(rpnCls, rpnReg, s.rpn, meta.imgShape);
  if (proposals.scores.length === 0) return { detections: emptyDetections(), proposals };
  const { clsScore, bboxPred } = await bboxHead(roiFeatures(features, proposals.boxes, s.rcnn));
  return { detections: bboxDetections(proposals.boxes, clsScore, bboxPred, s.rcnn, meta), proposals };
}
