import type { InferenceSession } from 'onnxruntime-web';
import { yoloxLevelSizes } from '../../core/models/det/yolox.ts';
import type { YoloxModel } from '../../core/models/det/yolox-config.ts';
import { type Detections, emptyDetections, makeDetections } from '../../core/structures/detections.ts';
import { readBuffer } from '../../gpu/device.ts';
import type { KernelContext } from '../../gpu/kernel-program.ts';
import { batchedNmsGpu, NMS_KEPT_COUNT_INDEX } from '../../gpu/nms.ts';
import { preprocessFrame } from '../../gpu/preprocess.ts';
import { yoloxCandidatesGpu } from '../../gpu/yolox-decode.ts';
import { type GpuOutput, type OrtGpuModule, runOnGpu } from './ort-gpu-run.ts';
import type { StageTimings } from './stage-timings.ts';

/** Runs the YOLOX graph on a pre-processed image in a GPU buffer; outputs stay on the GPU. */
export type YoloxGpuGraph = (image: GPUBuffer, dims: readonly number[]) => Promise<Record<string, GpuOutput>>;

/** A {@link YoloxGpuGraph} over an onnxruntime-web session on the WebGPU EP (see {@link runOnGpu}). */
export function ortYoloxGraph(ort: OrtGpuModule, session: InferenceSession, inputName: string): YoloxGpuGraph {
  return (image, dims) => runOnGpu(ort, session, { [inputName]: { buffer: image, dims } }, 'YOLOX');
}

/**
 * YOLOX on one GPUDevice shared with onnxruntime-web: frame → texture → pre-processing kernel → ORT → decode and
 * ordered-compaction kernels on the head's output buffers → NMS kernel → read back the kept boxes. One small
 * read-back in between (the candidate count, which sizes the NMS).
 */
export class YoloxGpuRunner {
  constructor(
    readonly model: YoloxModel,
    private readonly graph: YoloxGpuGraph,
    private readonly kernels: KernelContext,
  ) {}

  async detect(source: GPUCopyExternalImageSource, width: number, height: number): Promise<{ detections: Detections; timings: StageTimings }> {
    const t0 = performance.now();
    const pre = await preprocessFrame(this.kernels, source, width, height, this.model.preprocess);
    const geo = pre.geometry;
    const t1 = performance.now();
    try {
      const r = await this.detectTensor(pre.tensor, [1, 3, geo.paddedHeight, geo.paddedWidth], geo.scaleFactor);
      return { detections: r.detections, timings: { ...r.timings, preprocess: t1 - t0, total: r.timings.total + (t1 - t0) } };
    } finally {
      pre.tensor.destroy();
    }
  }

  /** From a pre-processed `[1, 3, H, W]` image in a GPU buffer; `scaleFactor` (w, h) = resized / source. */
  async detectTensor(image: GPUBuffer, dims: readonly number[], scaleFactor: readonly [number, number]): Promise<{ detections: Detections; timings: StageTimings }> {
    const { settings: s, graph: g } = this.model;
    const device = this.kernels.device;
    const t1 = performance.now();
    const out = await this.graph(image, dims);
    const t2 = performance.now();
    let readback = 0;
    const read = async <T extends Float32Array | Int32Array | Uint32Array>(b: GPUBuffer, ctor: { new (buffer: ArrayBuffer): T; readonly BYTES_PER_ELEMENT: number }, n: number): Promise<T> => {
      const r0 = performance.now();
      const data = await readBuffer(device, b, ctor, n);
      readback += performance.now() - r0;
      return data;
    };
    try {
      const pick = (name: string) => out[name] ?? (() => {
        throw new Error(`YOLOX: the graph returned ${Object.keys(out).join(', ')}, not '${name}'`);
      })();
      const [cls, reg, obj] = [g.clsScores.map(pick), g.bboxPreds.map(pick), g.objectnesses.map(pick)];
      const sizes = yoloxLevelSizes(cls.map((t) => t.dims), reg.map((t) => t.dims), obj.map((t) => t.dims), s);
      const cand = await yoloxCandidatesGpu(this.kernels, sizes.map(([h, w], l) => ({ cls: cls[l]!.buffer, reg: reg[l]!.buffer, obj: obj[l]!.buffer, height: h, width: w })), s, scaleFactor);
      const m = (await read(cand.count, Uint32Array, 1))[0]!;
      let detections = emptyDetections();
      if (m > 0) {
        const nms = await batchedNmsGpu(this.kernels, { boxes: cand.boxes, scores: cand.scores, classIds: cand.labels, count: m }, { iouThreshold: s.nms.iouThreshold, classAgnostic: s.nms.classAgnostic });
        const [state, dets, keep, labels] = await Promise.all([
          read(nms.state, Uint32Array, 3),
          read(nms.dets, Float32Array, nms.capacity * 5),
          read(nms.keep, Int32Array, nms.capacity),
          read(cand.labels, Int32Array, m),
        ]);
        for (const b of [nms.keep, nms.dets, nms.state]) b.destroy();
        const k = state[NMS_KEPT_COUNT_INDEX]!;
        const boxes = new Float32Array(k * 4);
        const scores = new Float32Array(k);
        for (let i = 0; i < k; i++) {
          boxes.set(dets.subarray(i * 5, i * 5 + 4), i * 4);
          scores[i] = dets[i * 5 + 4]!;
        }
        detections = makeDetections({ boxes, scores, labels: Array.from(keep.subarray(0, k), (j) => labels[j]!) });
      }
      for (const b of [cand.boxes, cand.scores, cand.labels, cand.count]) b.destroy();
      const t3 = performance.now();
      return { detections, timings: { preprocess: 0, ort: t2 - t1, kernels: t3 - t2 - readback, readback, total: t3 - t1 } };
    } finally {
      for (const t of Object.values(out)) t.dispose();
    }
  }
}
