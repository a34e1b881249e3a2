import type { InferenceSession } from 'onnxruntime-web';
import { type ImageMeta, imageMeta, type Proposals } from '../../core/models/det/faster-rcnn.ts';
import type { DffModel } from '../../core/models/vid/vid-config.ts';
import type { DffGraphRole, DffTimings } from '../../core/models/vid/dff.ts';
import { flownetOptions, graphOutput, keyFrameOf } from '../../core/models/vid/vid-graph.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { createKernelBuffer } from '../../gpu/device.ts';
import { flowWarpFeatsGpu } from '../../gpu/flow-warp.ts';
import { flownetPrepareGpu } from '../../gpu/flownet-prepare.ts';
import type { KernelContext } from '../../gpu/kernel-program.ts';
import { preprocessFrame } from '../../gpu/preprocess.ts';
import { type GpuTwoStage, gpuTwoStageDetections } from '../detectors/faster-rcnn-gpu.ts';
import { asGpuMap, type GpuOutput, type GpuTensor, keepOutputs, type OrtGpuModule, runOnGpu } from '../detectors/ort-gpu-run.ts';

/** Runs one of DFF's four graphs on GPU inputs; outputs stay on the GPU. */
export type DffGpuRunGraph = (role: DffGraphRole, feeds: Record<string, GpuTensor>) => Promise<Record<string, GpuOutput>>;

/** A {@link DffGpuRunGraph} over onnxruntime-web sessions on the WebGPU EP. */
export function ortDffGpuRunGraph(ort: OrtGpuModule, sessions: Record<DffGraphRole, InferenceSession>): DffGpuRunGraph {
  return (role, feeds) => runOnGpu(ort, sessions[role], feeds, `DFF ${role}`);
}

type Map4 = ReturnType<typeof asGpuMap>;
const map4 = (t: GpuTensor, what: string): Map4 => asGpuMap(t, what, 'DFF');

/**
 * DFF on one GPUDevice shared with onnxruntime-web (steps as in `src/core/models/vid/dff.ts`). The key frame's image
 * and feature maps stay on the GPU as the memo; on the other frames the FlowNet input is prepared by our kernel, the
 * `motion` graph's `predict_flow` goes straight into the warp kernel (resize, scale and warp fused: no image-sized
 * flow), and the warped maps feed the `rpn_head` graph and the GPU two-stage tail of Faster R-CNN. Nothing of a frame
 * comes back to the CPU but the RPN maps, the kept proposals and the bbox head's outputs.
 */
export class DffGpuRunner {
  private memo: { frameId: number; img: Map4; feats: GpuOutput[] } | null = null;

  constructor(
    readonly model: DffModel,
    private readonly run: DffGpuRunGraph,
    private readonly kernels: KernelContext,
  ) {}

  keyFrameOf(frameId: number): number {
    return keyFrameOf(frameId, this.model.dff.keyFrameInterval);
  }

  /** From a frame: texture → pre-processing kernel → {@link detectTensor}. */
  async detect(source: GPUCopyExternalImageSource, width: number, height: number, frameId: number): Promise<{ detections: Detections; keyFrame: boolean; timings: DffTimings & { preprocess: number; total: number } }> {
    const t0 = performance.now();
    const pre = await preprocessFrame(this.kernels, source, width, height, this.model.preprocess);
    const g = pre.geometry;
    const t1 = performance.now();
    try {
      const r = await this.detectTensor({ buffer: pre.tensor, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, imageMeta(g), frameId);
      return { detections: r.detections, keyFrame: r.keyFrame, timings: { ...r.timings, preprocess: t1 - t0, total: performance.now() - t0 } };
    } finally {
      pre.tensor.destroy();
    }
  }

  /** From a pre-processed `[1, 3, H, W]` image in a GPU buffer (the runner keeps its own copy of key frames). */
  async detectTensor(image: GpuTensor, meta: ImageMeta, frameId: number): Promise<{ detections: Detections; proposals: Proposals; keyFrame: boolean; timings: DffTimings }> {
    if (!Number.isInteger(frameId) || frameId < 0) throw new Error(`DFF: frame_id must be an int >= 0, got ${frameId}`);
    const { graphs, dff, detector } = this.model;
    const timings: DffTimings = { head: 0 };
    const keyFrame = frameId % dff.keyFrameInterval === 0;
    const owned: GPUBuffer[] = [];
    const outputs: GpuOutput[] = [];
    try {
      let feats: Map4[];
      if (keyFrame) {
        const t0 = performance.now();
        const out = await this.run('backbone', { [graphs.backbone.input]: image });
        const kept = keepOutputs(out, graphs.backbone.features, 'backbone', 'DFF');
        this.release();
        const img = map4(image, 'the image');
        const copy = createKernelBuffer(this.kernels.device, img.buffer.size, 'dff key frame');
        await this.kernels.submit('dff key frame copy', (encoder) => encoder.copyBufferToBuffer(img.buffer, 0, copy, 0, img.buffer.size));
        this.memo = { frameId, img: { buffer: copy, shape: img.shape }, feats: kept };
        feats = kept.map((t, i) => map4(t, `feature map ${i}`));
        timings.backbone = performance.now() - t0;
      } else {
        const key = this.keyFrameOf(frameId);
        if (!this.memo || this.memo.frameId !== key) {
          throw new Error(`DFF: frame ${frameId} warps the features of key frame ${key}, which has not been run${this.memo ? ` (the last key frame run is ${this.memo.frameId})` : ''}`);
        }
        const t0 = performance.now();
        const m = dff.motion;
        const pair = await flownetPrepareGpu(this.kernels, map4(image, 'the image'), this.memo.img, flownetOptions(this.model.preprocess, m, meta.imgShape));
        owned.push(pair.buffer);
        const out = await this.run('motion', { [graphs.motion.input]: { buffer: pair.buffer, dims: pair.shape } });
        outputs.push(...Object.values(out));
        const predict = graphOutput(out, graphs.motion.output, 'motion', 'DFF');
        const t1 = performance.now();
        feats = [];
        for (const [i, f] of this.memo.feats.entries()) {
          const warped = await flowWarpFeatsGpu(this.kernels, map4(f, `feature map ${i}`), map4(predict, 'predict_flow'), { imgScaleFactor: m.imgScaleFactor, flowScaleFactor: m.flowScaleFactor });
          owned.push(warped.buffer);
          feats.push(warped);
        }
        timings.flow = t1 - t0;
        timings.warp = performance.now() - t1;
      }
      const t2 = performance.now();
      const rpnOut = await this.run('rpn_head', Object.fromEntries(graphs.rpnHead.inputs.map((n, i) => [n, { buffer: feats[i]!.buffer, dims: feats[i]!.shape }])));
      outputs.push(...Object.values(rpnOut));
      const pick = (n: string) => graphOutput(rpnOut, n, 'rpn_head', 'DFF');
      const twoStage: GpuTwoStage = { kernels: this.kernels, rpn: detector.rpn, rcnn: detector.rcnn, bboxHead: graphs.bboxHead, runBboxHead: (feeds) => this.run('bbox_head', feeds) };
      const time = { ort: 0, readback: 0 };
      const nFeat = detector.rcnn.roiExtractor.featmapStrides.length;
      const r = await gpuTwoStageDetections(twoStage, feats.slice(0, nFeat), graphs.rpnHead.cls.map(pick), graphs.rpnHead.reg.map(pick), meta, time);
      timings.head = performance.now() - t2;
      return { ...r, keyFrame, timings };
    } finally {
      for (const t of outputs) t.dispose();
      for (const b of owned) b.destroy();
    }
  }

  /** Gives back the key frame's buffers (call before dropping the runner, or for a new video). */
  release(): void {
    if (!this.memo) return;
    for (const t of this.memo.feats) t.dispose();
    this.memo.img.buffer.destroy();
    this.memo = null;
  }
}
