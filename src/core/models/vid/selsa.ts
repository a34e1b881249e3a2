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
 *
 * With `test_with_fix_stride` (SELSA.extract_feats' fixed-stride branch) the references are a window that slides
 * with the frame, FGFA's (`fixStrideWindowIds`), the frame itself in the window's centre slot; with frame_range
 * [-K, 0] it is the causal mode: the last K frames at the stride, then the frame, and no frame read ahead. Each
 * window frame's keys and values (and map) are computed once, when first needed (a frame's own, as the current
 * frame, serve the windows after it), and kept while a later window can reach them. MMTracking writes the frame's
 * features into its memo's centre slot in place, which corrupts the memo when stride > 1; not copied (docs/vid.md).
 */
import { type FasterRcnnResult, type ImageMeta, roiFeatures, rpnProposals, type TensorData, twoStageDetections } from '../det/faster-rcnn.ts';
import type { SelsaModel, SelsaSettings } from './vid-config.ts';
import { asFeatureMap, graphOutput, now } from './vid-graph.ts';
import { fixStrideWindow, fixStrideWindowIds, type PreparedFrames } from './fgfa.ts';
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

/**
 * SELSA's adaptive-stride references need the video's length, and the frame must be inside it (CPU and GPU runners);
 * the fixed-stride window needs neither (undefined: not known).
 */
export function checkSelsaFrame(frameIndex: number, numFrames: number | undefined, selsa: SelsaSettings): void {
  if (selsa.sampler === 'test_with_adaptive_stride' && (numFrames === undefined || !Number.isInteger(numFrames) || numFrames < 1)) {
    throw new Error(`SELSA: the video's length must be known (got ${numFrames ?? 'no'} frames): test_with_adaptive_stride's references span the whole video (give a file or a folder of images; the causal configs, test_with_fix_stride, need no length)`);
  }
  if (!Number.isInteger(frameIndex) || frameIndex < 0 || (numFrames !== undefined && frameIndex >= numFrames)) throw new Error(`SELSA: frame ${frameIndex} is outside the video's ${numFrames} frames`);
}

/**
 * The fixed-stride window of frame t: FGFA's window (clamped to the video, its end found by asking for frames where
 * its length is not known) with t in the centre slot (`ref_x[num_left_ref_imgs] = x`). `last`: the video's last
 * frame when known.
 */
export async function selsaFixStrideWindow(
  t: number,
  s: FixStrideSettings,
  last: number | null,
  exists: (i: number) => Promise<boolean>,
): Promise<{ ids: number[]; last: number | null }> {
  // Nothing ahead (the causal mode): no end of the video to find.
  const w = s.frameRange[1] === 0 ? { ids: fixStrideWindowIds(t, s, last), last } : await fixStrideWindow(t, s, last, exists);
  w.ids[-s.frameRange[0]] = t;
  return w;
}

type FixStrideSettings = Extract<SelsaSettings, { sampler: 'test_with_fix_stride' }>;

/**
 * What a fixed-stride SELSA runner (CPU or GPU) keeps per frame, by frame index, while a later window can reach it:
 * the window's bookkeeping, whatever a frame's kept value is (`release` gives one back: GPU buffers).
 */
export class FixStrideKept<T> {
  private readonly kept = new Map<number, T>();
  /** The video's last frame, once known. */
  private last: number | null = null;

  constructor(
    private readonly settings: FixStrideSettings,
    private readonly release: (value: T) => void = () => {},
  ) {}

  /**
   * Frame t's window: its frame ids, and per slot the kept value (null: t itself). What no later window reaches is
   * released first; a window frame not kept is computed by `compute` (null: the frame cannot be read).
   */
  async window(
    t: number,
    numFrames: number | undefined,
    exists: (i: number) => Promise<boolean>,
    compute: (i: number) => Promise<T | null>,
  ): Promise<{ ids: number[]; kept: (T | null)[]; computed: boolean }> {
    if (numFrames !== undefined) this.last = numFrames - 1;
    const w = await selsaFixStrideWindow(t, this.settings, this.last, exists);
    this.last = w.last;
    const first = Math.min(...w.ids);
    for (const [k, v] of [...this.kept]) {
      if (k >= first) continue;
      this.release(v);
      this.kept.delete(k);
    }
    let computed = false;
    for (const i of new Set(w.ids)) {
      if (i === t || this.kept.has(i)) continue;
      const value = await compute(i);
      if (value === null) throw new Error(`SELSA: window frame ${i} of frame ${t} could not be read`);
      this.kept.set(i, value);
      computed = true;
    }
    return { ids: w.ids, kept: w.ids.map((i) => (i === t ? null : this.kept.get(i)!)), computed };
  }

  /** Keeps frame t's own value for the windows after it (one computed for an earlier window that read ahead goes). */
  keep(t: number, value: T): void {
    const before = this.kept.get(t);
    if (before !== undefined && before !== value) this.release(before);
    this.kept.set(t, value);
  }

  /** Whether `value` is what frame t keeps. */
  holds(t: number, value: T): boolean {
    return this.kept.get(t) === value;
  }

  /** Releases everything (a new video). */
  clear(): void {
    for (const v of this.kept.values()) this.release(v);
    this.kept.clear();
    this.last = null;
  }
}

/** What SELSA keeps of a reference frame: its bbox_head_ref outputs (none: no proposal) and its searched map (TRoI). */
interface KeptFrame {
  keysValues: TensorData[];
  map: SimilarityMap | null;
}

/** `[rows, d]` tensors stacked in order (the fixed-stride window's keys or values, its frames in window order). */
function stackRows(parts: readonly TensorData[], what: string): TensorData {
  const d = parts[0]!.dims[1]!;
  const bad = parts.find((t) => t.dims.length !== 2 || t.dims[1] !== d);
  if (bad) throw new Error(`SELSA: bbox_head_ref output ${what} must be [rois, ${d}] for every frame, got [${bad.dims.join(', ')}]`);
  const rows = parts.reduce((n, t) => n + t.dims[0]!, 0);
  const data = new Float32Array(rows * d);
  let at = 0;
  for (const t of parts) {
    data.set(t.data, at);
    at += t.data.length;
  }
  return { data, dims: [rows, d] };
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
  /** Adaptive stride: the references' kept keys and values, one per bbox_head_ref output. */
  private memo: { numFrames: number; references: number[]; keysValues: KeptRows[]; maps: SimilarityMap[] } | null = null;
  /** Fixed stride: what each frame a window can still reach keeps. */
  private readonly window: FixStrideKept<KeptFrame> | null;

  constructor(
    readonly model: SelsaModel,
    private readonly run: RunSelsaGraph,
  ) {
    this.window = model.selsa.sampler === 'test_with_fix_stride' ? new FixStrideKept(model.selsa) : null;
  }

  /** Forgets the references (a new video). */
  reset(): void {
    this.memo = null;
    this.window?.clear();
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

  /** Step 2 for one reference frame: its keys and values (none without a proposal) and, for TRoI, its searched map. */
  private async referenceFrame(image: TensorData, meta: ImageMeta): Promise<KeptFrame> {
    const { detector } = this.model;
    const nFeat = detector.rcnn.roiExtractor.featmapStrides.length;
    const feats = await this.features(image);
    feats.forEach((t, i) => asFeatureMap(t, `feature map ${i}`, 'SELSA'));
    // Step 4: every reference's map is searched, with or without proposals.
    const map = detector.rcnn.roiExtractor.temporal ? this.searchMap(feats) : null;
    const { cls, reg } = await this.rpnOutputs(feats);
    const proposals = rpnProposals(cls, reg, detector.rpn, meta.imgShape);
    if (proposals.scores.length === 0) return { keysValues: [], map };
    return { keysValues: await this.keysValues(roiFeatures(feats.slice(0, nFeat), proposals.boxes, detector.rcnn)), map };
  }

  /** Steps 1-2: the adaptive-stride references of a video of `numFrames` frames, kept until {@link reset}. */
  private async references(numFrames: number, numRefImgs: number, frames: PreparedFrames): Promise<void> {
    const references = adaptiveStrideReferences(numFrames, numRefImgs);
    const parts: TensorData[][] = this.model.graphs.bboxHeadRef.keysValues.map(() => []);
    const maps: SimilarityMap[] = [];
    for (const r of references) {
      const frame = await frames.get(r);
      if (!frame) throw new Error(`SELSA: reference frame ${r} of ${numFrames} could not be read (is the video's frame count right?)`);
      const kept = await this.referenceFrame(frame.image, frame.meta);
      if (kept.map) maps.push(kept.map);
      kept.keysValues.forEach((t, i) => parts[i]!.push(t));
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
  private async bboxFeats(roiFeats: TensorData, maps: SimilarityMap[] | null): Promise<TensorData> {
    const temporal = this.model.detector.rcnn.roiExtractor.temporal;
    if (!temporal || !maps) return roiFeats;
    const embed = this.model.graphs.embedNetwork;
    return temporalRoiAlign(
      roiFeats,
      maps,
      temporal,
      embed ? async (x) => graphOutput(await this.run('embed_network', { [embed.input]: x }), embed.output, 'embed_network', 'Temporal RoI Align') : null,
    );
  }

  /**
   * Detections on frame `frameIndex` of a video of `numFrames` frames (boxes in frame pixels; `numFrames` may be
   * undefined with the fixed stride).
   */
  async detect(frameIndex: number, numFrames: number | undefined, frames: PreparedFrames): Promise<SelsaFrameResult> {
    const { graphs, detector, selsa } = this.model;
    checkSelsaFrame(frameIndex, numFrames, selsa);
    const timings: SelsaTimings = { backbone: 0, head: 0 };
    const tr = now();
    let references: number[];
    // Fixed stride: what each window slot keeps (null: this frame).
    let window: (KeptFrame | null)[] | null = null;
    if (selsa.sampler === 'test_with_adaptive_stride') {
      if (!this.memo || this.memo.numFrames !== numFrames) {
        await this.references(numFrames!, selsa.numRefImgs, frames);
        timings.references = now() - tr;
      }
      references = this.memo!.references;
    } else {
      const w = await this.window!.window(
        frameIndex,
        numFrames,
        async (i) => (await frames.get(i)) !== null,
        async (i) => {
          const f = await frames.get(i);
          return f && this.referenceFrame(f.image, f.meta);
        },
      );
      references = w.ids;
      window = w.kept;
      if (w.computed) timings.references = now() - tr;
    }
    const frame = await frames.get(frameIndex);
    if (!frame) throw new Error(`SELSA: frame ${frameIndex} is past the end of the video`);
    const t0 = now();
    const feats = await this.features(frame.image);
    const t1 = now();
    const { cls, reg } = await this.rpnOutputs(feats);
    const nFeat = detector.rcnn.roiExtractor.featmapStrides.length;
    const frameMap = detector.rcnn.roiExtractor.temporal ? this.searchMap(feats) : null;
    let own: TensorData[] = [];
    const result = await twoStageDetections(detector, feats.slice(0, nFeat), cls, reg, frame.meta, async (roiFeats) => {
      // Step 3: the frame's own keys and values join the references' (the frame is the last reference, or the
      // window's centre).
      own = await this.keysValues(roiFeats);
      const head = graphs.bboxHead;
      const ta = now();
      const maps = frameMap && (window ? window.map((k) => k?.map ?? frameMap) : [...this.memo!.maps, frameMap]);
      const feeds: Record<string, TensorData> = { [head.input]: await this.bboxFeats(roiFeats, maps) };
      if (frameMap) timings.aggregate = now() - ta;
      head.keysValues.forEach((n, i) => {
        feeds[n] = window
          ? stackRows(window.map((k) => (k ? k.keysValues[i] : own[i])).filter((t): t is TensorData => t !== undefined), graphs.bboxHeadRef.keysValues[i]!)
          : this.memo!.keysValues[i]!.with(own[i]!);
      });
      const o = await this.run('bbox_head', feeds);
      return { clsScore: graphOutput(o, head.clsScore, 'bbox_head', 'SELSA'), bboxPred: graphOutput(o, head.bboxPred, 'bbox_head', 'SELSA') };
    });
    // Fixed stride: what this frame keeps serves the windows after it.
    if (window) this.window!.keep(frameIndex, { keysValues: own, map: frameMap });
    timings.backbone = t1 - t0;
    timings.head = now() - t1 - (timings.aggregate ?? 0);
    return { ...result, references, timings };
  }
}
