import type { InferenceSession } from 'onnxruntime-web';
import type { FasterRcnnModel } from '../../core/models/det/faster-rcnn-config.ts';
import { bboxDetections, frameBoxesToProposals, type GraphRole, type ImageMeta, imageMeta, proposalRois, type Proposals, regressedBoxes, rpnCandidates, type TensorData } from '../../core/models/det/faster-rcnn.ts';
import { outputHW } from '../../core/ops/roi-align.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { emptyDetections } from '../../core/structures/detections.ts';
import { readBuffer, uploadBuffer } from '../../gpu/device.ts';
import type { KernelContext } from '../../gpu/kernel-program.ts';
import { batchedNmsGpu, NMS_KEPT_COUNT_INDEX } from '../../gpu/nms.ts';
import { preprocessFrame } from '../../gpu/preprocess.ts';
import { singleRoiExtractorGpu } from '../../gpu/roi-align.ts';
import { asGpuMap, type GpuOutput, type GpuTensor, type OrtGpuModule, runOnGpu } from './ort-gpu-run.ts';
import type { StageTimings } from './stage-timings.ts';

/** Runs one of the two graphs on GPU inputs; outputs stay on the GPU. */
export type GpuRunGraph = (role: GraphRole, feeds: Record<string, GpuTensor>) => Promise<Record<string, GpuOutput>>;

/** A {@link GpuRunGraph} over onnxruntime-web sessions on the WebGPU EP (see {@link runOnGpu}). */
export function ortGpuRunGraph(ort: OrtGpuModule, sessions: Record<GraphRole, InferenceSession>): GpuRunGraph {
  return (role, feeds) => runOnGpu(ort, sessions[role], feeds, `Faster R-CNN ${role}`);
}

/**
 * Faster R-CNN on one GPUDevice shared with onnxruntime-web. The FPN features never leave the GPU: our RoIAlign
 * kernel reads them where ORT wrote them and its output is the bbox head's input; the proposals' level-wise NMS is
 * our NMS kernel. What still comes back to the CPU, for want of kernels: the RPN score/delta maps (per-level top-k
 * and anchor decoding), the kept proposals (to build the RoI list, ≤ `max_per_img` boxes) and the bbox head's
 * outputs (softmax, per-class decode and `multiclass_nms` by the CPU twins). Steps as in `faster-rcnn.ts`.
 */
export class FasterRcnnGpuRunner {
  /**
   * The last frame's RoI feature maps (ORT's output buffers, kept alive) and geometry, for {@link regress}
   * (Tracktor regresses its tracks on the current frame's features).
   */
  private last: { features: GpuOutput[]; meta: ImageMeta } | null = null;

  constructor(
    readonly model: FasterRcnnModel,
    private readonly run: GpuRunGraph,
    private readonly kernels: KernelContext,
  ) {}

  /** From a frame: texture → pre-processing kernel → {@link detectTensor}. */
  async detect(source: GPUCopyExternalImageSource, width: number, height: number): Promise<{ detections: Detections; timings: StageTimings }> {
    const t0 = performance.now();
    const pre = await preprocessFrame(this.kernels, source, width, height, this.model.preprocess);
    const g = pre.geometry;
    const t1 = performance.now();
    try {
      const r = await this.detectTensor({ buffer: pre.tensor, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, imageMeta(g));
      return { detections: r.detections, timings: { ...r.timings, preprocess: t1 - t0, total: r.timings.total + (t1 - t0) } };
    } finally {
      pre.tensor.destroy();
    }
  }

  /**
   * Tracktor's regression on the GPU: given boxes (`[k*4]`, frame pixels) as proposals of the last detected frame,
   * RoIAlign by our kernel on its kept feature buffers, the bbox head on ORT, then per box its class's decoded box
   * and score (see `regressedBoxes`).
   */
  async regress(boxes: Float32Array, labels?: ArrayLike<number>): Promise<{ boxes: Float32Array; scores: Float32Array; labels: Int32Array }> {
    if (!this.last) throw new Error('Faster R-CNN: regress() needs a frame: call detect() on it first');
    const { features, meta } = this.last;
    const k = boxes.length / 4;
    if (k === 0) return { boxes: new Float32Array(0), scores: new Float32Array(0), labels: new Int32Array(0) };
    const proposals = frameBoxesToProposals(boxes, meta);
    const feats = features.map((t) => gpuMap(t, 'feature map'));
    const head = await this.bboxHead(feats, proposals, { ort: 0, readback: 0 });
    return regressedBoxes(proposals, head.clsScore, head.bboxPred, this.model.settings.rcnn, meta, labels);
  }

  private get twoStage(): GpuTwoStage {
    const { settings, graphs } = this.model;
    return { kernels: this.kernels, rpn: settings.rpn, rcnn: settings.rcnn, bboxHead: graphs.bboxHead, runBboxHead: (feeds) => this.run('bbox_head', feeds) };
  }

  private bboxHead(feats: GpuMap[], proposals: Float32Array, time: { ort: number; readback: number }): Promise<{ clsScore: TensorData; bboxPred: TensorData }> {
    return gpuBboxHead(this.twoStage, feats, proposals, time);
  }

  /** Gives back the kept feature buffers (call before dropping the runner). */
  release(): void {
    for (const t of this.last?.features ?? []) t.dispose();
    this.last = null;
  }

  /** From a pre-processed `[1, 3, H, W]` image in a GPU buffer (e.g. `preprocessGpu`'s output). */
  async detectTensor(image: GpuTensor, meta: ImageMeta): Promise<{ detections: Detections; proposals: Proposals; timings: StageTimings }> {
    const bb = this.model.graphs.backbone;
    const t0 = performance.now();
    const out = await this.run('backbone', { [bb.input]: image });
    const t1 = performance.now();
    const ort = t1 - t0;
    const pick = (name: string) => out[name] ?? (() => {
      throw new Error(`Faster R-CNN: the backbone graph returned ${Object.keys(out).join(', ')}, not '${name}'`);
    })();
    try {
      const feats = bb.features.map((n) => gpuMap(pick(n), `feature map '${n}'`));
      const time = { ort, readback: 0 };
      const r = await gpuTwoStageDetections(this.twoStage, feats, bb.rpnCls.map(pick), bb.rpnReg.map(pick), meta, time);
      const total = performance.now() - t0;
      return { ...r, timings: { preprocess: 0, ort: time.ort, kernels: total - time.ort - time.readback, readback: time.readback, total } };
    } finally {
      // The RoI feature maps stay for regress() until the next frame; every other output goes back now.
      this.release();
      const keep = new Set(bb.features);
      for (const [name, t] of Object.entries(out)) if (!keep.has(name)) t.dispose();
      const features = bb.features.map((n) => out[n]).filter((t): t is GpuOutput => t !== undefined);
      if (features.length === bb.features.length) this.last = { features, meta };
      else for (const t of features) t.dispose();
    }
  }
}

type GpuMap = ReturnType<typeof asGpuMap>;
const gpuMap = (t: GpuTensor, what: string): GpuMap => asGpuMap(t, what, 'Faster R-CNN');

/** What the two-stage tail needs: kernels, RPN and RoI head settings, and the bbox-head graph. */
export interface GpuTwoStage {
  kernels: KernelContext;
  rpn: FasterRcnnModel['settings']['rpn'];
  rcnn: FasterRcnnModel['settings']['rcnn'];
  bboxHead: FasterRcnnModel['graphs']['bboxHead'];
  runBboxHead: (feeds: Record<string, GpuTensor>) => Promise<Record<string, GpuOutput>>;
}

/**
 * Steps 4-5 for `proposals` (`[k*4]`, resized-image pixels): RoIAlign by our kernel on the feature buffers, the bbox
 * head on ORT (RoI features stay on the GPU), its two outputs read back. Adds ORT and read-back milliseconds to `time`.
 */
export async function gpuBboxHead(t: GpuTwoStage, feats: GpuMap[], proposals: Float32Array, time: { ort: number; readback: number }): Promise<{ clsScore: TensorData; bboxPred: TensorData }> {
  const device = t.kernels.device;
  const k = proposals.length / 4;
  const rois = uploadBuffer(device, proposalRois(proposals), 'rois');
  const roiFeats = await singleRoiExtractorGpu(t.kernels, feats, rois, k, t.rcnn.roiExtractor);
  rois.destroy();
  const head = t.bboxHead;
  const [oh, ow] = outputHW(t.rcnn.roiExtractor.roiLayer.outputSize);
  const h0 = performance.now();
  const headOut = await t.runBboxHead({ [head.input]: { buffer: roiFeats, dims: [k, feats[0]!.shape[1], oh, ow] } });
  time.ort += performance.now() - h0;
  roiFeats.destroy();
  try {
    const clsScore = headOut[head.clsScore];
    const bboxPred = headOut[head.bboxPred];
    if (!clsScore || !bboxPred) throw new Error(`Faster R-CNN: the bbox_head graph returned ${Object.keys(headOut).join(', ')}, expected ${head.clsScore} and ${head.bboxPred}`);
    const r0 = performance.now();
    const [c, b] = await Promise.all([clsScore, bboxPred].map((o) => readBuffer(device, o.buffer, Float32Array, o.dims.reduce((x, y) => x * y, 1))));
    time.readback += performance.now() - r0;
    return { clsScore: { data: c!, dims: clsScore.dims }, bboxPred: { data: b!, dims: bboxPred.dims } };
  } finally {
    for (const o of Object.values(headOut)) o.dispose();
  }
}

/**
 * Steps 2-7 on the GPU from the RoI feature maps and the RPN maps of every level (all in GPU buffers): the proposals
 * ({@link gpuRpnProposals}), RoIAlign and the bbox head (`gpuBboxHead`), softmax, decode and multiclass NMS by the
 * CPU twins. Shared by Faster R-CNN and the VID methods.
 */
export async function gpuTwoStageDetections(
  t: GpuTwoStage,
  feats: GpuMap[],
  rpnCls: readonly GpuTensor[],
  rpnReg: readonly GpuTensor[],
  meta: ImageMeta,
  time: { ort: number; readback: number },
): Promise<{ detections: Detections; proposals: Proposals }> {
  const proposals = await gpuRpnProposals(t, rpnCls, rpnReg, meta, time);
  if (proposals.scores.length === 0) return { detections: emptyDetections(), proposals };
  // 4-5. RoIAlign on the GPU straight from the feature buffers, the bbox head on the RoI features.
  const head = await gpuBboxHead(t, feats, proposals.boxes, time);
  // 6-7. Softmax, decode and multiclass NMS on the CPU.
  return { detections: bboxDetections(proposals.boxes, head.clsScore, head.bboxPred, t.rcnn, meta), proposals };
}

/**
 * Steps 2-3 from the RPN maps of every level (GPU buffers): per-level top-k and decode on the CPU from the read-back
 * maps, level-wise NMS by our kernel; the kept proposals (resized-image pixels).
 */
export async function gpuRpnProposals(
  t: Pick<GpuTwoStage, 'kernels' | 'rpn'>,
  rpnCls: readonly GpuTensor[],
  rpnReg: readonly GpuTensor[],
  meta: ImageMeta,
  time: { ort: number; readback: number },
): Promise<Proposals> {
  const device = t.kernels.device;
  const toCpu = async (g: GpuTensor): Promise<TensorData> => {
    const r0 = performance.now();
    const data = await readBuffer(device, g.buffer, Float32Array, g.dims.reduce((a, b) => a * b, 1));
    time.readback += performance.now() - r0;
    return { data, dims: g.dims };
  };
  // 2. Per-level top-k and decode on the CPU, from the read-back RPN maps.
  const cls = await Promise.all(rpnCls.map(toCpu));
  const reg = await Promise.all(rpnReg.map(toCpu));
  const cand = rpnCandidates(cls, reg, t.rpn, meta.imgShape);
  if (cand.scores.length === 0) return { boxes: cand.boxes, scores: cand.scores };
  // 3. Level-wise NMS on the GPU.
  const inputs = { boxes: uploadBuffer(device, cand.boxes, 'rpn boxes'), scores: uploadBuffer(device, cand.scores, 'rpn scores'), classIds: uploadBuffer(device, cand.levels, 'rpn levels'), count: cand.scores.length };
  const nms = await batchedNmsGpu(t.kernels, inputs, { iouThreshold: t.rpn.nms.iouThreshold, classAgnostic: t.rpn.nms.classAgnostic, maxNum: Math.max(t.rpn.maxPerImg, 0) });
  for (const b of [inputs.boxes, inputs.scores, inputs.classIds]) b.destroy();
  const r0 = performance.now();
  const [state, dets] = await Promise.all([readBuffer(device, nms.state, Uint32Array, 3), readBuffer(device, nms.dets, Float32Array, nms.capacity * 5)]);
  time.readback += performance.now() - r0;
  for (const b of [nms.keep, nms.dets, nms.state]) b.destroy();
  const k = Math.min(state[NMS_KEPT_COUNT_INDEX]!, t.rpn.maxPerImg);
  const proposals: Proposals = { boxes: new Float32Array(k * 4), scores: new Float32Array(k) };
  for (let i = 0; i < k; i++) {
    proposals.boxes.set(dets.subarray(i * 5, i * 5 + 4), i * 4);
    proposals.scores[i] = dets[i * 5 + 4]!;
  }
  return proposals;
}
