import type { InferenceSession } from 'onnxruntime-web';
import { type DffCenterNetRole, type DffCenterNetTimings, featureStride } from '../../core/models/vid/dff-centernet.ts';
import type { DffCenterNetModel } from '../../core/models/vid/vid-config.ts';
import { graphOutput, keyFrameOf } from '../../core/models/vid/vid-graph.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { flowWarpFeatsGpu } from '../../gpu/flow-warp.ts';
import { type GpuGrayImage, grayPyramidGpu } from '../../gpu/gray-pool.ts';
import type { KernelContext } from '../../gpu/kernel-program.ts';
import { pyramidalLucasKanadeGpu } from '../../gpu/lk-step.ts';
import { preprocessFrame } from '../../gpu/preprocess.ts';
import type { PreprocessGeometry } from '../../core/ops/preprocess.ts';
import { decodeCenterNetGpu } from '../detectors/centernet-gpu.ts';
import { type GpuOutput, type GpuTensor, type OrtGpuModule, runOnGpu } from '../detectors/ort-gpu-run.ts';

/** Runs one of the two graphs on GPU inputs; outputs stay on the GPU. */
export type DffCenterNetGpuRunGraph = (role: DffCenterNetRole, feeds: Record<string, GpuTensor>) => Promise<Record<string, GpuOutput>>;

/** A {@link DffCenterNetGpuRunGraph} over onnxruntime-web sessions on the WebGPU EP. */
export function ortDffCenterNetGpuRunGraph(ort: OrtGpuModule, sessions: Record<DffCenterNetRole, InferenceSession>): DffCenterNetGpuRunGraph {
  return (role, feeds) => runOnGpu(ort, sessions[role], feeds, `DFF ${role}`);
}

export interface DffCenterNetGpuResult {
  detections: Detections;
  keyFrame: boolean;
  timings: DffCenterNetTimings & { total: number };
}

/**
 * DFF on CenterNet (steps as in `src/core/models/vid/dff-centernet.ts`) on one GPUDevice shared with onnxruntime-web.
 * The key frame's features and gray pyramid stay on the GPU as the memo; on the other frames the pyramid, the
 * Lucas–Kanade flow and the warp are our kernels, and the warped map goes straight into the head graph, whose heat
 * map is decoded by the peak and box kernels. Only the k decoded boxes come back to the CPU.
 */
export class DffCenterNetGpuRunner {
  private memo: { frameId: number; feat: GpuOutput; pyramid: GpuGrayImage[] } | null = null;

  constructor(
    readonly model: DffCenterNetModel,
    private readonly run: DffCenterNetGpuRunGraph,
    private readonly kernels: KernelContext,
  ) {}

  /** From a frame: texture → pre-processing kernel → {@link detectTensor}. */
  async detect(source: GPUCopyExternalImageSource, width: number, height: number, frameId: number): Promise<DffCenterNetGpuResult> {
    const t0 = performance.now();
    const pre = await preprocessFrame(this.kernels, source, width, height, this.model.detector.preprocess);
    const t1 = performance.now();
    try {
      const r = await this.detectTensor(pre.tensor, pre.geometry, width, height, frameId);
      return { ...r, timings: { ...r.timings, preprocess: t1 - t0, total: performance.now() - t0 } };
    } finally {
      pre.tensor.destroy();
    }
  }

  /** From the pre-processed `[1, 3, H, W]` frame in a GPU buffer (`geometry`: of that pre-processing). */
  async detectTensor(image: GPUBuffer, g: PreprocessGeometry, width: number, height: number, frameId: number): Promise<DffCenterNetGpuResult> {
    if (!Number.isInteger(frameId) || frameId < 0) throw new Error(`DFF: frame_id must be an int >= 0, got ${frameId}`);
    const { detector, dff, backbone } = this.model;
    const t0 = performance.now();
    const timings: DffCenterNetGpuResult['timings'] = { preprocess: 0, head: 0, postprocess: 0, total: 0 };
    const keyFrame = keyFrameOf(frameId, dff.keyFrameInterval) === frameId;
    const owned: GPUBuffer[] = [];
    const outputs: GpuOutput[] = [];
    const pyramidOf = (stride: number) => grayPyramidGpu(this.kernels, image, 3, g.paddedHeight, g.paddedWidth, stride, dff.motion.levels);
    try {
      let feat: GpuTensor;
      if (keyFrame) {
        // 1. The backbone on the key frame; its features and pyramid are kept on the GPU.
        const t1 = performance.now();
        const out = await this.run('backbone', { [backbone.input]: { buffer: image, dims: [1, 3, g.paddedHeight, g.paddedWidth] } });
        for (const [n, t] of Object.entries(out)) if (n !== backbone.output) outputs.push(t);
        const kept = graphOutput(out, backbone.output, 'backbone', 'DFF');
        const [, , fh, fw] = kept.dims as [number, number, number, number];
        let pyramid: GpuGrayImage[];
        try {
          pyramid = await pyramidOf(featureStride([g.paddedHeight, g.paddedWidth], [fh, fw]));
        } catch (err) {
          kept.dispose();
          throw err;
        }
        this.release();
        this.memo = { frameId, feat: kept, pyramid };
        feat = kept;
        timings.backbone = performance.now() - t1;
      } else {
        // 2. Flow to the key frame at the features' resolution, then the key frame's features warped by it.
        const key = keyFrameOf(frameId, dff.keyFrameInterval);
        if (!this.memo || this.memo.frameId !== key) {
          throw new Error(`DFF: frame ${frameId} warps the features of key frame ${key}, which has not been run${this.memo ? ` (the last key frame run is ${this.memo.frameId})` : ''}`);
        }
        const t1 = performance.now();
        const dims = this.memo.feat.dims as [number, number, number, number];
        const pyramid = await pyramidOf(featureStride([g.paddedHeight, g.paddedWidth], [dims[2], dims[3]]));
        owned.push(...pyramid.map((l) => l.buffer));
        const flow = await pyramidalLucasKanadeGpu(this.kernels, pyramid, this.memo.pyramid, dff.motion);
        owned.push(flow.buffer);
        const t2 = performance.now();
        const warped = await flowWarpFeatsGpu(this.kernels, { buffer: this.memo.feat.buffer, shape: dims }, { buffer: flow.buffer, shape: [1, 2, flow.height, flow.width] }, undefined, { exactGrid: true });
        owned.push(warped.buffer);
        feat = { buffer: warped.buffer, dims };
        timings.flow = t2 - t1;
        timings.warp = performance.now() - t2;
      }
      // 3. The head graph, then CenterNet's decoding by the peak and box kernels.
      const t3 = performance.now();
      const out = await this.run('head', { [detector.inputName]: feat });
      outputs.push(...Object.values(out));
      const heat = graphOutput(out, detector.heatmapName, 'head', 'DFF');
      const size = graphOutput(out, detector.sizeName, 'head', 'DFF');
      const t4 = performance.now();
      const time = { kernels: 0, readback: 0 };
      const detections = await decodeCenterNetGpu(this.kernels, heat, size.buffer, detector, g.scaleFactor, width, height, time);
      timings.head = t4 - t3;
      timings.postprocess = performance.now() - t4;
      timings.total = performance.now() - t0;
      return { detections, keyFrame, timings };
    } finally {
      for (const t of outputs) t.dispose();
      for (const b of owned) b.destroy();
    }
  }

  /** Gives back the key frame's buffers (call before dropping the runner, or for a new video). */
  release(): void {
    if (!this.memo) return;
    this.memo.feat.dispose();
    for (const l of this.memo.pyramid) l.buffer.destroy();
    this.memo = null;
  }
}
