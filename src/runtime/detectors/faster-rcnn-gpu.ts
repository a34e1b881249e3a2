import type { InferenceSession } from 'onnxruntime-web';
import type { FasterRcnnModel } from '../../core/models/det/faster-rcnn-config.ts';
import { bboxDetections, frameBoxesToProposals, type GraphRole, type ImageMeta, type Proposals, proposalRois, regressedBoxes, rpnCandidates, type TensorData } from '../../core/models/det/faster-rcnn.ts';
import { outputHW } from '../../core/ops/roi-align.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { emptyDetections } from '../../core/structures/detections.ts';
import { readBuffer, uploadBuffer } from '../../gpu/device.ts';
import type { KernelContext } from '../../gpu/kernel-program.ts';
import { batchedNmsGpu, NMS_KEPT_COUNT_INDEX } from '../../gpu/nms.ts';
import { preprocessFrame } from '../../gpu/preprocess.ts';
import { singleRoiExtractorGpu } from '../../gpu/roi-align.ts';
import { type GpuOutput, type GpuTensor, type OrtGpuModule, runOnGpu } from './ort-gpu-run.ts';
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
      const r = await this.detectTensor({ buffer: pre.tensor, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, { imgShape: [g.resizedHeight, g.resizedWidth], scaleFactor: g.scaleFactor });
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
    const feats = features.map((t) => ({ buffer: t.buffer, shape: t.dims as [number, number, number, number] }));
    const head = await this.bboxHead(feats, proposals, { ort: 0, readback: 0 });
    return regressedBoxes(proposals, head.clsScore, head.bboxPred, this.model.settings.rcnn, meta, labels);
  }

  /**
   * Steps 4-5 for `proposals` (`[k*4]`, resized-image pixels): RoIAlign by our kernel on the FPN feature buffers, the
   * bbox head on ORT (RoI features stay on the GPU), its two outputs read back. Adds the head's ORT and read-back
   * milliseconds to `time`.
   */
  private async bboxHead(feats: Array<{ buffer: GPUBuffer; shape: [number, number, number, number] }>, proposals: Float32Array, time: { ort: number; readback: number }): Promise<{ clsScore: TensorData; bboxPred: TensorData }> {
    const s = this.model.settings;
    const device = this.kernels.device;
    const k = proposals.length / 4;
    const rois = uploadBuffer(device, proposalRois(proposals), 'rois');
    const roiFeats = await singleRoiExtractorGpu(this.kernels, feats, rois, k, s.rcnn.roiExtractor);
    rois.destroy();
    const head = this.model.graphs.bboxHead;
    const [oh, ow] = outputHW(s.rcnn.roiExtractor.roiLayer.outputSize);
    const h0 = performance.now();
    const headOut = await this.run('bbox_head', { [head.input]: { buffer: roiFeats, dims: [k, feats[0]!.shape[1], oh, ow] } });
    time.ort += performance.now() - h0;
    roiFeats.destroy();
    try {
      const clsScore = headOut[head.clsScore];
      const bboxPred = headOut[head.bboxPred];
      if (!clsScore || !bboxPred) throw new Error(`Faster R-CNN: the bbox_head graph returned ${Object.keys(headOut).join(', ')}, expected ${head.clsScore} and ${head.bboxPred}`);
      const r0 = performance.now();
      const [c, b] = await Promise.all([clsScore, bboxPred].map((t) => readBuffer(device, t.buffer, Float32Array, t.dims.reduce((x, y) => x * y, 1))));
      time.readback += performance.now() - r0;
      return { clsScore: { data: c!, dims: clsScore.dims }, bboxPred: { data: b!, dims: bboxPred.dims } };
    } finally {
      for (const t of Object.values(headOut)) t.dispose();
    }
  }

  /** Gives back the kept feature buffers (call before dropping the runner). */
  release(): void {
    for (const t of this.last?.features ?? []) t.dispose();
    this.last = null;
  }

  /** From a pre-processed `[1, 3, H, W]` image in a GPU buffer (e.g. `preprocessGpu`'s output). */
  async detectTensor(image: GpuTensor, meta: ImageMeta): Promise<{ detections: Detections; proposals: Proposals; timings: StageTimings }> {
    const { settings: s, graphs } = this.model;
    const device = this.kernels.device;
    const bb = graphs.backbone;
    const t0 = performance.now();
    const out = await this.run('backbone', { [bb.input]: image });
    const t1 = performance.now();
    const ort = t1 - t0;
    let readback = 0;
    const pick = (name: string) => out[name] ?? (() => {
      throw new Error(`Faster R-CNN: the backbone graph returned ${Object.keys(out).join(', ')}, not '${name}'`);
    })();
    const toCpu = async (t: GpuTensor): Promise<TensorData> => {
      const r0 = performance.now();
      const data = await readBuffer(device, t.buffer, Float32Array, t.dims.reduce((a, b) => a * b, 1));
      readback += performance.now() - r0;
      return { data, dims: t.dims };
    };
    try {
      // 2. Per-level top-k and decode on the CPU, from the read-back RPN maps.
      const cls = await Promise.all(bb.rpnCls.map((n) => toCpu(pick(n))));
      const reg = await Promise.all(bb.rpnReg.map((n) => toCpu(pick(n))));
      const cand = rpnCandidates(cls, reg, s.rpn, meta.imgShape);
      if (cand.scores.length === 0) return this.empty(cand, t0, ort, readback);
      // 3. Level-wise NMS on the GPU.
      const inputs = { boxes: uploadBuffer(device, cand.boxes, 'rpn boxes'), scores: uploadBuffer(device, cand.scores, 'rpn scores'), classIds: uploadBuffer(device, cand.levels, 'rpn levels'), count: cand.scores.length };
      const nms = await batchedNmsGpu(this.kernels, inputs, { iouThreshold: s.rpn.nms.iouThreshold, classAgnostic: s.rpn.nms.classAgnostic, maxNum: Math.max(s.rpn.maxPerImg, 0) });
      for (const b of [inputs.boxes, inputs.scores, inputs.classIds]) b.destroy();
      const r0 = performance.now();
      const [state, dets] = await Promise.all([readBuffer(device, nms.state, Uint32Array, 3), readBuffer(device, nms.dets, Float32Array, nms.capacity * 5)]);
      readback += performance.now() - r0;
      for (const b of [nms.keep, nms.dets, nms.state]) b.destroy();
      const k = Math.min(state[NMS_KEPT_COUNT_INDEX]!, s.rpn.maxPerImg);
      const proposals: Proposals = { boxes: new Float32Array(k * 4), scores: new Float32Array(k) };
      for (let i = 0; i < k; i++) {
        proposals.boxes.set(dets.subarray(i * 5, i * 5 + 4), i * 4);
        proposals.scores[i] = dets[i * 5 + 4]!;
      }
      if (k === 0) return this.empty(proposals, t0, ort, readback);
      // 4-5. RoIAlign on the GPU straight from the backbone's feature buffers, the bbox head on the RoI features.
      const feats = bb.features.map((n) => {
        const t = pick(n);
        if (t.dims.length !== 4) throw new Error(`Faster R-CNN: feature map '${n}' is [${t.dims.join(', ')}], expected [1, C, H, W]`);
        return { buffer: t.buffer, shape: t.dims as [number, number, number, number] };
      });
      const time = { ort, readback };
      const head = await this.bboxHead(feats, proposals.boxes, time);
      // 6-7. Softmax, decode and multiclass NMS on the CPU.
      const detections = bboxDetections(proposals.boxes, head.clsScore, head.bboxPred, s.rcnn, meta);
      const total = performance.now() - t0;
      return { detections, proposals, timings: { preprocess: 0, ort: time.ort, kernels: total - time.ort - time.readback, readback: time.readback, total } };
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

  private empty(proposals: Proposals, t0: number, ort: number, readback: number) {
    const total = performance.now() - t0;
    return { detections: emptyDetections(), proposals: { boxes: proposals.boxes, scores: proposals.scores }, timings: { preprocess: 0, ort, kernels: total - ort - readback, readback, total } };
  }
}
