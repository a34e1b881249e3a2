import type { InferenceSession } from 'onnxruntime-web';
import { adaptiveStrideReferences, checkSelsaFrame, FixStrideKept, type SelsaFrameResult, type SelsaGraphRole, type SelsaTimings } from '../../core/models/vid/selsa.ts';
import type { SelsaModel } from '../../core/models/vid/vid-config.ts';
import { graphOutput } from '../../core/models/vid/vid-graph.ts';
import { outputHW } from '../../core/ops/roi-align.ts';
import { createKernelBuffer, uploadBuffer } from '../../gpu/device.ts';
import type { KernelContext } from '../../gpu/kernel-program.ts';
import { type GpuSimilarityMap, similarityMapGpu } from '../../gpu/most-similar-roi-align.ts';
import { singleRoiExtractorGpu } from '../../gpu/roi-align.ts';
import { type GpuTwoStage, gpuRpnProposals, gpuTwoStageDetections } from '../detectors/faster-rcnn-gpu.ts';
import { proposalRois } from '../../core/models/det/faster-rcnn.ts';
import { asGpuMap, type GpuOutput, type GpuTensor, keepOutputs, type OrtGpuModule, runOnGpu } from '../detectors/ort-gpu-run.ts';
import type { GpuPreparedFrame, GpuPreparedFrames } from './gpu-frames.ts';
import { temporalRoiAlignGpu } from './temporal-roi-align-gpu.ts';

/** Runs one of SELSA's graphs on GPU inputs; outputs stay on the GPU. */
export type SelsaGpuRunGraph = (role: SelsaGraphRole, feeds: Record<string, GpuTensor>) => Promise<Record<string, GpuOutput>>;

/** A {@link SelsaGpuRunGraph} over onnxruntime-web sessions on the WebGPU EP. */
export function ortSelsaGpuRunGraph(ort: OrtGpuModule, sessions: Partial<Record<SelsaGraphRole, InferenceSession>>): SelsaGpuRunGraph {
  return (role, feeds) => {
    const session = sessions[role];
    if (!session) throw new Error(`SELSA: no session for the ${role} graph`);
    return runOnGpu(ort, session, feeds, `SELSA ${role}`);
  };
}

type Map4 = ReturnType<typeof asGpuMap>;
const map4 = (t: GpuTensor, what: string): Map4 => asGpuMap(t, what, 'SELSA');

/** What a reference keeps: its bbox_head_ref outputs (ORT's buffers) and, for Temporal RoI Align, its searched map. */
interface KeptReference {
  keysValues: GpuOutput[];
  map: { feature: GpuOutput; search: GpuSimilarityMap } | null;
}

/** What a kept reference's GPU buffers are: disposed once no window reaches it (or at release). */
function disposeKept(r: KeptReference): void {
  for (const t of r.keysValues) t.dispose();
  r.map?.feature.dispose();
  r.map?.search.norms.destroy();
}

/**
 * SELSA (and Temporal RoI Align) on one GPUDevice shared with onnxruntime-web, steps as in
 * `src/core/models/vid/selsa.ts`. The references' keys and values stay in ORT's output buffers from the first frame
 * on (with their last-level maps and those maps' norms for Temporal RoI Align); each frame's bbox_head inputs are
 * assembled by GPU copies, its RoI features by our RoIAlign kernel (and the Temporal RoI Align kernels). What comes
 * back to the CPU is what the Faster R-CNN GPU runner reads back: the RPN maps, the kept proposals, the head's outputs.
 * With `test_with_fix_stride` each window frame's buffers are kept while a later window reaches it (a frame's own,
 * from when it was the current frame).
 */
export class SelsaGpuRunner {
  private memo: { numFrames: number; references: number[]; kept: KeptReference[] } | null = null;
  /** Fixed stride: each frame a window can still reach (its buffers given back once none does). */
  private readonly window: FixStrideKept<KeptReference> | null;

  constructor(
    readonly model: SelsaModel,
    private readonly run: SelsaGpuRunGraph,
    private readonly kernels: KernelContext,
  ) {
    this.window = model.selsa.sampler === 'test_with_fix_stride' ? new FixStrideKept(model.selsa, disposeKept) : null;
  }

  /** The backbone's feature maps of a frame (the frame's image is disposed); the other outputs go back. */
  private async features(frame: GpuPreparedFrame): Promise<GpuOutput[]> {
    const { backbone } = this.model.graphs;
    let out: Record<string, GpuOutput>;
    try {
      out = await this.run('backbone', { [backbone.input]: frame.image });
    } finally {
      frame.dispose();
    }
    return keepOutputs(out, backbone.features, 'backbone', 'SELSA');
  }

  private async rpn(feats: readonly GpuOutput[]): Promise<Record<string, GpuOutput>> {
    const { rpnHead } = this.model.graphs;
    return this.run('rpn_head', Object.fromEntries(rpnHead.inputs.map((n, i) => [n, feats[i]!])));
  }

  private twoStage(runBboxHead: GpuTwoStage['runBboxHead']): GpuTwoStage {
    const { detector, graphs } = this.model;
    return { kernels: this.kernels, rpn: detector.rpn, rcnn: detector.rcnn, bboxHead: graphs.bboxHead, runBboxHead };
  }

  /** Step 2 for one reference frame (its image is disposed): its keys and values and, for TRoI, its searched map. */
  private async referenceFrame(frame: GpuPreparedFrame): Promise<KeptReference> {
    const { detector, graphs } = this.model;
    const nFeat = detector.rcnn.roiExtractor.featmapStrides.length;
    const meta = frame.meta;
    const feats = await this.features(frame);
    const ref: KeptReference = { keysValues: [], map: null };
    try {
      // Step 4: every reference's map is searched, with or without proposals.
      if (detector.rcnn.roiExtractor.temporal) {
        const feature = feats[nFeat - 1]!;
        ref.map = { feature, search: await similarityMapGpu(this.kernels, map4(feature, `feature map ${nFeat - 1}`)) };
      }
      const rpnOut = await this.rpn(feats);
      const pick = (n: string) => graphOutput(rpnOut, n, 'rpn_head', 'SELSA');
      let proposals;
      try {
        proposals = await gpuRpnProposals({ kernels: this.kernels, rpn: detector.rpn }, graphs.rpnHead.cls.map(pick), graphs.rpnHead.reg.map(pick), meta, { ort: 0, readback: 0 });
      } finally {
        for (const t of Object.values(rpnOut)) t.dispose();
      }
      const k = proposals.scores.length;
      if (k === 0) return ref;
      const rois = uploadBuffer(this.kernels.device, proposalRois(proposals.boxes), 'reference rois');
      const roiFeats = await singleRoiExtractorGpu(this.kernels, feats.slice(0, nFeat).map((t, i) => map4(t, `feature map ${i}`)), rois, k, detector.rcnn.roiExtractor);
      rois.destroy();
      const [oh, ow] = outputHW(detector.rcnn.roiExtractor.roiLayer.outputSize);
      try {
        ref.keysValues = await this.keysValues({ buffer: roiFeats, dims: [k, feats[0]!.dims[1]!, oh, ow] });
      } finally {
        roiFeats.destroy();
      }
      return ref;
    } catch (err) {
      disposeKept(ref);
      throw err;
    } finally {
      for (const t of feats) if (t !== ref.map?.feature) t.dispose();
    }
  }

  /** Steps 1-2: the adaptive-stride references of a video of `numFrames` frames, kept until {@link release}. */
  private async references(numFrames: number, numRefImgs: number, frames: GpuPreparedFrames): Promise<void> {
    const references = adaptiveStrideReferences(numFrames, numRefImgs);
    const kept: KeptReference[] = [];
    this.memo = { numFrames, references, kept };
    for (const r of references) {
      const frame = await frames.get(r);
      if (!frame) throw new Error(`SELSA: reference frame ${r} of ${numFrames} could not be read (is the video's frame count right?)`);
      kept.push(await this.referenceFrame(frame));
    }
  }

  /** `bbox_head_ref` on RoI features: per shared fc, keys then values (`[rois, d]`), in the graph's output order. */
  private async keysValues(roiFeats: GpuTensor): Promise<GpuOutput[]> {
    const ref = this.model.graphs.bboxHeadRef;
    const out = await this.run('bbox_head_ref', { [ref.input]: roiFeats });
    const bad = ref.keysValues.find((n) => out[n]?.dims.length !== 2 || out[n].dims[0] !== roiFeats.dims[0]);
    if (bad) {
      for (const t of Object.values(out)) t.dispose();
      throw new Error(`SELSA: bbox_head_ref output ${bad} must be [${roiFeats.dims[0]}, d], got ${out[bad] ? `[${out[bad].dims.join(', ')}]` : 'nothing'}`);
    }
    for (const [n, t] of Object.entries(out)) if (!ref.keysValues.includes(n)) t.dispose();
    return ref.keysValues.map((n) => out[n]!);
  }

  /** Step 3: output `i` of the references (null: the frame itself), in order, with the frame's own, in one new buffer. */
  private async stacked(i: number, references: readonly (KeptReference | null)[], own: GpuOutput): Promise<GpuTensor> {
    const parts = references.map((r) => (r ? r.keysValues[i] : own)).filter((t): t is GpuOutput => t !== undefined);
    const d = own.dims[1]!;
    const bad = parts.find((p) => p.dims[1] !== d);
    if (bad) throw new Error(`SELSA: bbox_head_ref gave ${d} values per RoI for the frame and ${bad.dims[1]} for a reference`);
    const rows = parts.reduce((n, p) => n + p.dims[0]!, 0);
    const buffer = createKernelBuffer(this.kernels.device, rows * d * 4, 'selsa keys/values');
    await this.kernels.submit('selsa keys/values', (encoder) => {
      let at = 0;
      for (const p of parts) {
        const bytes = p.dims[0]! * d * 4;
        if (bytes > 0) encoder.copyBufferToBuffer(p.buffer, 0, buffer, at, bytes);
        at += bytes;
      }
    });
    return { buffer, dims: [rows, d] };
  }

  /**
   * Detections on frame `frameIndex` of a video of `numFrames` frames (boxes in frame pixels; `numFrames` may be
   * undefined with the fixed stride).
   */
  async detect(frameIndex: number, numFrames: number | undefined, frames: GpuPreparedFrames): Promise<SelsaFrameResult> {
    const { graphs, detector, selsa } = this.model;
    checkSelsaFrame(frameIndex, numFrames, selsa);
    const timings: SelsaTimings = { backbone: 0, head: 0 };
    const tr = performance.now();
    let references: number[];
    // The references in bbox_head's order; null: the frame itself (the last reference, or the window's centre).
    let kept: (KeptReference | null)[];
    if (selsa.sampler === 'test_with_adaptive_stride') {
      if (!this.memo || this.memo.numFrames !== numFrames) {
        this.release();
        try {
          await this.references(numFrames!, selsa.numRefImgs, frames);
        } catch (err) {
          this.release();
          throw err;
        }
        timings.references = performance.now() - tr;
      }
      references = this.memo!.references;
      kept = [...this.memo!.kept, null];
    } else {
      const w = await this.window!.window(
        frameIndex,
        numFrames,
        async (i) => {
          const f = await frames.get(i);
          f?.dispose();
          return f !== null;
        },
        async (i) => {
          const f = await frames.get(i);
          return f && this.referenceFrame(f);
        },
      );
      references = w.ids;
      kept = w.kept;
      if (w.computed) timings.references = performance.now() - tr;
    }
    const frame = await frames.get(frameIndex);
    if (!frame) throw new Error(`SELSA: frame ${frameIndex} is past the end of the video`);
    const meta = frame.meta;
    const t0 = performance.now();
    const feats = await this.features(frame);
    const t1 = performance.now();
    const nFeat = detector.rcnn.roiExtractor.featmapStrides.length;
    const temporal = detector.rcnn.roiExtractor.temporal;
    // What this frame keeps for the windows after it (fixed stride): its own keys and values, its map.
    const own: KeptReference = { keysValues: [], map: null };
    let rpnOut: Record<string, GpuOutput> = {};
    try {
      if (temporal) {
        const feature = feats[nFeat - 1]!;
        own.map = { feature, search: await similarityMapGpu(this.kernels, map4(feature, `feature map ${nFeat - 1}`)) };
      }
      rpnOut = await this.rpn(feats);
      const pick = (n: string) => graphOutput(rpnOut, n, 'rpn_head', 'SELSA');
      const head = graphs.bboxHead;
      const runBboxHead: GpuTwoStage['runBboxHead'] = async (feeds) => {
        const roiFeats = feeds[head.input]!;
        own.keysValues = await this.keysValues(roiFeats);
        const owned: GPUBuffer[] = [];
        try {
          const inputs: Record<string, GpuTensor> = { [head.input]: roiFeats };
          if (temporal && own.map) {
            const ta = performance.now();
            const embed = graphs.embedNetwork;
            const maps = kept.map((r) => (r ?? own).map!.search);
            const runEmbed = embed ? async (x: GpuTensor) => graphOutput(await this.run('embed_network', { [embed.input]: x }), embed.output, 'embed_network', 'Temporal RoI Align') : null;
            const aggregated = await temporalRoiAlignGpu(this.kernels, roiFeats, maps, temporal, runEmbed);
            owned.push(aggregated);
            inputs[head.input] = { buffer: aggregated, dims: roiFeats.dims };
            timings.aggregate = performance.now() - ta;
          }
          for (const [i, n] of head.keysValues.entries()) {
            const t = await this.stacked(i, kept, own.keysValues[i]!);
            owned.push(t.buffer);
            inputs[n] = t;
          }
          return await this.run('bbox_head', inputs);
        } finally {
          for (const b of owned) b.destroy();
        }
      };
      const time = { ort: 0, readback: 0 };
      const r = await gpuTwoStageDetections(this.twoStage(runBboxHead), feats.slice(0, nFeat).map((t, i) => map4(t, `feature map ${i}`)), graphs.rpnHead.cls.map(pick), graphs.rpnHead.reg.map(pick), meta, time);
      timings.backbone = t1 - t0;
      timings.head = performance.now() - t1 - (timings.aggregate ?? 0);
      this.window?.keep(frameIndex, own);
      return { ...r, references, timings };
    } finally {
      for (const t of Object.values(rpnOut)) t.dispose();
      const kept = this.window?.holds(frameIndex, own) === true;
      for (const t of feats) if (!(kept && t === own.map?.feature)) t.dispose();
      if (!kept) {
        for (const t of own.keysValues) t.dispose();
        own.map?.search.norms.destroy();
      }
    }
  }

  /** Gives back the references' buffers (call before dropping the runner, or for a new video). */
  release(): void {
    for (const r of this.memo?.kept ?? []) disposeKept(r);
    this.memo = null;
    this.window?.clear();
  }
}
