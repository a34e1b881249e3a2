/**
 * SELSA ("Sequence Level Semantics Aggregation for Video Object Detection", Wu et al. 2019,
 * https://arxiv.org/abs/1907.06390) at test time, as MMTracking runs it (`SELSA.extract_feats`, adaptive-stride
 * branch, + `SelsaRoIHead.simple_test`), around four ONNX graphs.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/vid/selsa.py
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/roi_heads/selsa_roi_head.py
 *
 * 1. At the first frame, the references: `test_with_adaptive_stride` picks frames round(i (T − 1) / (n − 1)),
 *    i = 0..n−1, over the whole video of T frames (Python's round, halves to even); they never change.
 * 2. Each reference's backbone, RPN proposals and RoI features, then `bbox_head_ref`: per shared fc of
 *    SelsaBBoxHead, the aggregator's keys (ref_fc_embed) and values (ref_fc) of the reference branch. MMTracking
 *    recomputes all of it at every frame; it depends only on the reference frame, so it is computed once and kept.
 * 3. Each frame: backbone, RPN, proposals and RoI features as Faster R-CNN; the frame is the last reference too
 *    (`ref_x = cat(memo, x)`, the same RPN on the same features: its proposals), so its own keys and values come from
 *    `bbox_head_ref` on its RoI features and join the kept ones; `bbox_head` gives cls_score and bbox_pred of the
 *    frame's RoIs attending to all of them; then Faster R-CNN's post-processing.
 * 4. Temporal RoI Align (a `TemporalRoIAlign` RoI extractor): the frame's RoI features that `bbox_head` sees are
 *    aggregated with their most similar features in the references' and the frame's last RoI level
 *    (temporal-roi-align.ts); the references' maps are prepared once and kept with their keys and values. The keys
 *    and values stay those of the plain RoI features, as MMTracking's reference RoIs have no ref_feats.
 * Offline: the video's length must be known at the first frame (a file, or a folder of images).
 */
import { type FasterRcnnResult, roiFeatures, rpnProposals, type TensorData, twoStageDetections } from '../det/faster-rcnn.ts';
import type { SelsaModel } from './vid-config.ts';
import { asFeatureMap, graphOutput, now } from './vid-graph.ts';
import type { PreparedFrames } from './fgfa.ts';
import { temporalRoiAlign } from './temporal-roi-align.ts';
import { type SimilarityMap, similarityMap } from '../../ops/most-similar-roi-align.ts';

export type SelsaGraphRole = 'backbone' | 'rpn_head' | 'bbox_head' | 'bbox_head_ref' | 'embed_network';

export type RunSelsaGraph = (role: SelsaGraphRole, feeds: Record<string, TensorData>) => Promise<Record<string, TensorData>>;

/** Milliseconds per stage of one frame (`references`: only on the frame that computes them). */
export interface SelsaTimings {
  references?: number;
  backbone: number;
  /** Temporal RoI Align only: the most similar RoI align, the embed network and the temporal attention. */
  aggregate?: number;
  /** RPN, proposals, RoIAlign, both head graphs and post-processing (without `aggregate`). */
  head: number;
}

export interface SelsaFrameResult extends FasterRcnnResult {
  /** The reference frames (0-based), the same for every frame of the video. */
  references: number[];
  timings: SelsaTimings;
}

/** Step 1: `test_with_adaptive_stride`'s reference frames of a video of `numFrames` frames. */
export function adaptiveStrideReferences(numFrames: number, numRefImgs: number): number[] {
  const stride = (numFrames - 1) / (numRefImgs - 1);
  return Array.from({ length: numRefImgs }, (_, i) => roundHalfEven(i * stride));
}

/** SELSA's references need the video's length, and the frame must be inside it (CPU and GPU runners). */
export function checkSelsaFrame(frameIndex: number, numFrames: number): void {
  if (!Number.isInteger(numFrames) || numFrames < 1) throw new Error(`SELSA: the video's length must be known (got ${numFrames} frames): SELSA's references span the whole video`);
  if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= numFrames) throw new Error(`SELSA: frame ${frameIndex} is outside the video's ${numFrames} frames`);
}

/** Python 3's round(): halves to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * One `bbox_head_ref` output of the references, stacked in order (`[rows, d]`), with room after them for the current
 * frame's rows: each frame writes its own rows there, so the references' rows are never copied again.
 */
class KeptRows {
  private data: Float32Array;

  constructor(
    parts: readonly TensorData[],
    private d: number,
  ) {
    this.rows = parts.reduce((n, t) => n + t.dims[0]!, 0);
    this.data = new Float32Array(this.rows * d);
    let at = 0;
    for (const t of parts) {
      this.data.set(t.data, at);
      at += t.data.length;
    }
  }

  readonly rows: number;

  /** The kept rows followed by `own`'s, `[rows + n, d]`. */
  with(own: TensorData): TensorData {
    if (this.rows === 0) this.d = own.dims[1]!;
    if (own.dims[1] !== this.d) throw new Error(`SELSA: bbox_head_ref gave ${own.dims[1]} values per RoI for the frame and ${this.d} for the references`);
    const need = (this.rows + own.dims[0]!) * this.d;
    if (this.data.length < need) {
      const grown = new Float32Array(need);
      grown.set(this.data.subarray(0, this.rows * this.d));
      this.data = grown;
    }
    this.data.set(own.data, this.rows * this.d);
    return { data: this.data.subarray(0, need), dims: [this.rows + own.dims[0]!, this.d] };
  }
}

export class Selsa {
  /** The references' kept keys and values, one per bbox_head_ref output. */
  private memo: { numFrames: number; references: number[]; keysValues: KeptRows[]; maps: SimilarityMap[] } | null = null;

  constructor(
    readonly model: SelsaModel,
    private readonly run: RunSelsaGraph,
  ) {}

  /** Forgets the references (a new video). */
  reset(): void {
    this.memo = null;
  }

  private async features(image: TensorData): Promise<TensorData[]> {
    const { backbone } = this.model.graphs;
    const out = await this.run('backbone', { [backbone.input]: image });
    return backbone.features.map((n) => graphOutput(out, n, 'backbone', 'SELSA'));
  }

  /** The RPN head's objectness and deltas per level on a frame's features. */
  private async rpnOutputs(feats: readonly TensorData[]): Promise<{ cls: TensorData[]; reg: TensorData[] }> {
    const { rpnHead } = this.model.graphs;
    const out = await this.run('rpn_head', Object.fromEntries(rpnHead.inputs.map((n, i) => [n, feats[i]!])));
    return { cls: rpnHead.cls.map((n) => graphOutput(out, n, 'rpn_head', 'SELSA')), reg: rpnHead.reg.map((n) => graphOutput(out, n, 'rpn_head', 'SELSA')) };
  }

  /** `bbox_head_ref` on RoI features: the keys and values of each shared fc, in the graph's output order. */
  private async keysValues(roiFeats: TensorData): Promise<TensorData[]> {
    const ref = this.model.graphs.bboxHeadRef;
    const out = await this.run('bbox_head_ref', { [ref.input]: roiFeats });
    return ref.keysValues.map((n) => graphOutput(out, n, 'bbox_head_ref', 'SELSA'));
  }

  /** Steps 1-2: the references of a video of `numFrames` frames, kept until {@link reset}. */
  private async references(numFrames: number, frames: PreparedFrames): Promise<void> {
    const { detector, selsa } = this.model;
    const nFeat = detector.rcnn.roiExtractor.featmapStrides.length;
    const references = adaptiveStrideReferences(numFrames, selsa.numRefImgs);
    const parts: TensorData[][] = this.model.graphs.bboxHeadRef.keysValues.map(() => []);
    const maps: SimilarityMap[] = [];
    for (const r of references) {
      const frame = await frames.get(r);
      if (!frame) throw new Error(`SELSA: reference frame ${r} of ${numFrames} could not be read (is the video's frame count right?)`);
      const feats = await this.features(frame.image);
      feats.forEach((t, i) => asFeatureMap(t, `feature map ${i}`, 'SELSA'));
      // Step 4: every reference's map is searched, with or without proposals.
      if (detector.rcnn.roiExtractor.temporal) maps.push(this.searchMap(feats));
      const { cls, reg } = await this.rpnOutputs(feats);
      const proposals = rpnProposals(cls, reg, detector.rpn, frame.meta.imgShape);
      if (proposals.scores.length === 0) continue;
      const kv = await this.keysValues(roiFeatures(feats.slice(0, nFeat), proposals.boxes, detector.rcnn));
      kv.forEach((t, i) => parts[i]!.push(t));
    }
    const keysValues = parts.map((p, i) => {
      // No reference frame with a proposal: the frame attends to its own RoIs only.
      const d = p[0]?.dims[1] ?? 0;
      if (p.some((t) => t.dims.length !== 2 || t.dims[1] !== d)) throw new Error(`SELSA: bbox_head_ref output ${this.model.graphs.bboxHeadRef.keysValues[i]} must be [rois, d], got ${p.map((t) => `[${t.dims.join(', ')}]`).join(' ')}`);
      return new KeptRows(p, d);
    });
    this.memo = { numFrames, references, keysValues, maps };
  }

  /** Step 4: the last RoI level of a frame's maps, as the most similar RoI align searches it. */
  private searchMap(feats: readonly TensorData[]): SimilarityMap {
    const level = this.model.detector.rcnn.roiExtractor.featmapStrides.length - 1;
    return similarityMap(asFeatureMap(feats[level]!, `feature map ${level}`, 'Temporal RoI Align'));
  }

  /** Step 4: the RoI features the bbox head sees (the plain ones without a TemporalRoIAlign). */
  private async bboxFeats(roiFeats: TensorData, frameMap: SimilarityMap | null): Promise<TensorData> {
    const temporal = this.model.detector.rcnn.roiExtractor.temporal;
    if (!temporal || !frameMap) return roiFeats;
    const embed = this.model.graphs.embedNetwork;
    return temporalRoiAlign(
      roiFeats,
      [...this.memo!.maps, frameMap],
      temporal,
      embed ? async (x) => graphOutput(await this.run('embed_network', { [embed.input]: x }), embed.output, 'embed_network', 'Temporal RoI Align') : null,
    );
  }

  /** Detections on frame `frameIndex` of a video of `numFrames` frames (boxes in frame pixels). */
  async detect(frameIndex: number, numFrames: number, frames: PreparedFrames): Promise<SelsaFrameResult> {
    checkSelsaFrame(frameIndex, numFrames);
    const { graphs, detector } = this.model;
    const timings: SelsaTimings = { backbone: 0, head: 0 };
    if (!this.memo || this.memo.numFrames !== numFrames) {
      const t = now();
      await this.references(numFrames, frames);
      timings.references = now() - t;
    }
    const memo = this.memo!;
    const frame = await frames.get(frameIndex);
    if (!frame) throw new Error(`SELSA: frame ${frameIndex} is past the end of the video`);
    const t0 = now();
    const feats = await this.features(frame.image);
    const t1 = now();
    const { cls, reg } = await this.rpnOutputs(feats);
    const nFeat = detector.rcnn.roiExtractor.featmapStrides.length;
    const frameMap = detector.rcnn.roiExtractor.temporal ? this.searchMap(feats) : null;
    const result = await twoStageDetections(detector, feats.slice(0, nFeat), cls, reg, frame.meta, async (roiFeats) => {
      // Step 3: the frame's own keys and values join the references' (the frame is the last reference).
      const own = await this.keysValues(roiFeats);
      const head = graphs.bboxHead;
      const ta = now();
      const feeds: Record<string, TensorData> = { [head.input]: await this.bboxFeats(roiFeats, frameMap) };
      if (frameMap) timings.aggregate = now() - ta;
      head.keysValues.forEach((n, i) => (feeds[n] = memo.keysValues[i]!.with(own[i]!)));
      const o = await this.run('bbox_head', feeds);
      return { clsScore: graphOutput(o, head.clsScore, 'bbox_head', 'SELSA'), bboxPred: graphOutput(o, head.bboxPred, 'bbox_head', 'SELSA') };
    });
    timings.backbone = t1 - t0;
    timings.head = now() - t1 - (timings.aggregate ?? 0);
    return { ...result, references: memo.references, timings };
  }
}
