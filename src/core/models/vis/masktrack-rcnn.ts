/**
 * MaskTrack R-CNN at test time, as MMTracking's `MaskTrackRCNN.simple_test` (rescale=True) runs it, around four ONNX
 * graphs (src/core/models/vis/masktrack-rcnn-config.ts):
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/vis/masktrack_rcnn.py
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/roi_heads/test_mixins.py (`simple_test_mask`)
 * 1. Mask R-CNN's boxes: Faster R-CNN's steps 1-7 (src/core/models/det/faster-rcnn.ts), boxes in frame pixels.
 * 2. MMDetection's `bbox2result` / MMTracking's `results2outs`: the detections class-major (label ascending, each
 *    class's boxes in score order).
 * 3. Masks: the boxes times `scale_factor` are the mask RoIs (`mask_roi_extractor`, 14x14), the `mask_head` graph
 *    gives 28x28 logits per class, and the paste (src/core/ops/paste-mask.ts) puts the label's channel at frame size,
 *    at the boxes divided by `scale_factor` again, as MMDetection does.
 * 4. Track: the same RoIs through the track head's extractor (7x7) and the `track_head` graph give embeddings; the
 *    tracker (src/core/trackers/masktrack-rcnn-tracker.ts) gives each detection an id, -1 if it drops it.
 * The graphs run through an injected {@link RunVisGraph}, as Faster R-CNN's do.
 */
import { pasteMasks } from '../../ops/paste-mask.ts';
import { preprocessImageFast } from '../../ops/preprocess-fast.ts';
import { type BitMasks, emptyBitMasks } from '../../structures/bit-masks.ts';
import { type Detections, makeDetections } from '../../structures/detections.ts';
import { MaskTrackRcnnTracker } from '../../trackers/masktrack-rcnn-tracker.ts';
import { extractRoiFeatures, frameBoxesToProposals, type ImageMeta, imageMeta, type TensorData, twoStageDetections } from '../det/faster-rcnn.ts';
import type { MaskTrackRcnnModel } from './masktrack-rcnn-config.ts';

const f = Math.fround;

export type VisGraphRole = 'backbone' | 'bbox_head' | 'mask_head' | 'track_head';

/** Runs one of the four graphs on named inputs and returns its outputs by name. */
export type RunVisGraph = (role: VisGraphRole, feeds: Record<string, TensorData>) => Promise<Record<string, TensorData>>;

/** One frame: the detections (class-major) with their track `ids` (-1: dropped by the tracker) and their masks. */
export interface VisFrameResult {
  detections: Detections & { ids: Int32Array };
  /** One mask per detection, at frame size. */
  masks: BitMasks;
}

/** Step 2: the order that makes detections class-major (stable: each class keeps its score order). */
export function classMajorOrder(labels: Int32Array): number[] {
  return Array.from(labels.keys()).sort((a, b) => labels[a]! - labels[b]! || a - b);
}

function output(outputs: Record<string, TensorData>, name: string, role: VisGraphRole): TensorData {
  const t = outputs[name];
  if (!t) throw new Error(`MaskTrack R-CNN: the ${role} graph returned ${Object.keys(outputs).join(', ') || 'nothing'}, not '${name}'`);
  return t;
}

/** Step 2: the detections class-major. */
export function classMajor(d: Detections): Detections {
  return reorder(d, classMajorOrder(d.labels));
}

function reorder(d: Detections, order: readonly number[]): Detections {
  return makeDetections({
    boxes: order.flatMap((i) => [...d.boxes.subarray(i * 4, i * 4 + 4)]),
    scores: order.map((i) => d.scores[i]!),
    labels: order.map((i) => d.labels[i]!),
  });
}

/** Step 3's paste boxes: MMDetection divides the RoIs (boxes x scale_factor) by scale_factor again. */
export function pasteBoxes(rois: Float32Array, meta: ImageMeta): Float32Array {
  const [sx, sy] = [f(meta.scaleFactor[0]), f(meta.scaleFactor[1])];
  return Float32Array.from(rois, (v, i) => f(v / (i % 2 === 0 ? sx : sy)));
}

/** A frame without detections: the tracker's early return, no masks. */
export function noDetections(tracker: MaskTrackRcnnTracker, frameId: number, width: number, height: number): VisFrameResult {
  const none = { boxes: new Float32Array(0), scores: new Float32Array(0), labels: new Int32Array(0) };
  return { detections: { ...none, ids: tracker.track(frameId, { ...none, embeddings: new Float32Array(0), dim: 1 }) }, masks: emptyBitMasks(0, width, height) };
}

export function checkMaskPred(dims: readonly number[], n: number, mask: MaskTrackRcnnModel['mask']): void {
  const s = mask.maskSize;
  if (dims.length !== 4 || dims[0] !== n || dims[1] !== mask.channels || dims[2] !== s || dims[3] !== s) {
    throw new Error(`MaskTrack R-CNN: mask_pred is [${dims.join(', ')}], expected [${n}, ${mask.channels}, ${s}, ${s}]`);
  }
}

export function checkEmbeddings(dims: readonly number[], n: number): void {
  if (dims.length !== 2 || dims[0] !== n) throw new Error(`MaskTrack R-CNN: the track head's embeddings are [${dims.join(', ')}], expected [${n}, D]`);
}

export class MaskTrackRcnn {
  readonly tracker: MaskTrackRcnnTracker;

  constructor(
    readonly model: MaskTrackRcnnModel,
    private readonly run: RunVisGraph,
  ) {
    this.tracker = new MaskTrackRcnnTracker(model.tracker);
  }

  /** Steps 1-4 on an RGBA frame (row-major, 4 bytes per pixel) of a video, `frameId` from 0. */
  async track(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, frameId: number): Promise<VisFrameResult> {
    const { data, geometry: g } = preprocessImageFast(rgba, width, height, this.model.detector.preprocess);
    return this.trackTensor({ data, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, imageMeta(g), width, height, frameId);
  }

  /** Steps 1-4 from an already pre-processed `[1, 3, H, W]` tensor of a `width` x `height` frame. */
  async trackTensor(image: TensorData, meta: ImageMeta, width: number, height: number, frameId: number): Promise<VisFrameResult> {
    const { detector, graphs, mask, trackHead } = this.model;
    const bb = detector.graphs.backbone;
    const out = await this.run('backbone', { [bb.input]: image });
    const features = bb.features.map((n) => output(out, n, 'backbone'));
    const head = detector.graphs.bboxHead;
    // 1.
    const { detections: scoreOrder } = await twoStageDetections(detector.settings, features, bb.rpnCls.map((n) => output(out, n, 'backbone')), bb.rpnReg.map((n) => output(out, n, 'backbone')), meta, async (roiFeats) => {
      const headOut = await this.run('bbox_head', { [head.input]: roiFeats });
      return { clsScore: output(headOut, head.clsScore, 'bbox_head'), bboxPred: output(headOut, head.bboxPred, 'bbox_head') };
    });
    // 2.
    const detections = classMajor(scoreOrder);
    const n = detections.scores.length;
    if (n === 0) return noDetections(this.tracker, frameId, width, height);
    // 3.
    const rois = frameBoxesToProposals(detections.boxes, meta);
    const maskOut = await this.run('mask_head', { [graphs.maskHead.input]: extractRoiFeatures(features, rois, mask.roiExtractor) });
    const maskPred = output(maskOut, graphs.maskHead.output, 'mask_head');
    checkMaskPred(maskPred.dims, n, mask);
    const masks = pasteMasks({ maskPred: maskPred.data, channels: mask.channels, size: mask.maskSize, labels: detections.labels, boxes: pasteBoxes(rois, meta), width, height, threshold: mask.threshold });
    // 4.
    const trackOut = await this.run('track_head', { [graphs.trackHead.input]: extractRoiFeatures(features, rois, trackHead.roiExtractor) });
    const embed = output(trackOut, graphs.trackHead.output, 'track_head');
    checkEmbeddings(embed.dims, n);
    const ids = this.tracker.track(frameId, { ...detections, embeddings: embed.data, dim: embed.dims[1]! });
    return { detections: { ...detections, ids }, masks };
  }
}
