import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-web';
import { type CenterNetSettings, finishDetections } from '../../core/models/det/centernet.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { centerNetBoxesGpu } from '../../gpu/centernet-boxes.ts';
import { readBuffer } from '../../gpu/device.ts';
import { heatmapPeaksGpu, MAX_PEAKS } from '../../gpu/heatmap-peaks.ts';
import type { KernelContext } from '../../gpu/kernel-program.ts';
import { preprocessFrame } from '../../gpu/preprocess.ts';
import type { StageTimings } from './stage-timings.ts';

export interface OrtGpuTensorModule {
  Tensor: { fromGpuBuffer(buffer: GPUBuffer, options: { dataType: 'float32'; dims: readonly number[] }): OrtTensor };
}

/**
 * CenterNet entirely on one GPUDevice shared with onnxruntime-web: frame → texture → pre-processing kernel →
 * ORT (WebGPU EP, input and outputs as GPU buffers) → peak and box kernels → read back k boxes. The session must
 * have been created with `preferredOutputLocation: 'gpu-buffer'` on the device of `kernels`.
 */
export class CenterNetGpuRunner {
  constructor(
    private readonly ort: OrtGpuTensorModule,
    private readonly session: InferenceSession,
    readonly settings: CenterNetSettings,
    private readonly kernels: KernelContext,
  ) {}

  async detect(source: GPUCopyExternalImageSource, width: number, height: number): Promise<{ detections: Detections; timings: StageTimings }> {
    const s = this.settings;
    const t0 = performance.now();
    const pre = await preprocessFrame(this.kernels, source, width, height, s.preprocess);
    const g = pre.geometry;
    const input = this.ort.Tensor.fromGpuBuffer(pre.tensor, { dataType: 'float32', dims: [1, 3, g.paddedHeight, g.paddedWidth] });
    const t1 = performance.now();
    let out: InferenceSession.ReturnType;
    try {
      out = await this.session.run({ [s.inputName]: input });
    } finally {
      input.dispose();
      pre.tensor.destroy();
    }
    const t2 = performance.now();
    const heat = out[s.heatmapName];
    const size = out[s.sizeName];
    try {
      if (!heat || !size || heat.location !== 'gpu-buffer' || size.location !== 'gpu-buffer') {
        throw new Error(`CenterNet: expected ${s.heatmapName} and ${s.sizeName} as GPU buffers, got ${Object.entries(out).map(([k, v]) => `${k} (${v.location})`).join(', ')}`);
      }
      const time = { kernels: 0, readback: 0 };
      const detections = await decodeCenterNetGpu(this.kernels, { buffer: heat.gpuBuffer, dims: heat.dims }, size.gpuBuffer, s, g.scaleFactor, width, height, time);
      return { detections, timings: { preprocess: t1 - t0, ort: t2 - t1, kernels: time.kernels, readback: time.readback, total: performance.now() - t0 } };
    } finally {
      heat?.dispose();
      size?.dispose();
    }
  }
}

/**
 * CenterNet's decoding on the GPU from the graph's outputs (heat map `[1, C, H, W]`, size head `[1, 4, H, W]`, both
 * GPU buffers): peak and box kernels, then the k boxes read back and finished on the CPU. `time` gets the kernel and
 * read-back milliseconds.
 */
export async function decodeCenterNetGpu(
  kernels: KernelContext,
  heat: { buffer: GPUBuffer; dims: readonly number[] },
  size: GPUBuffer,
  s: CenterNetSettings,
  scaleFactor: readonly [number, number],
  width: number,
  height: number,
  time: { kernels: number; readback: number },
): Promise<Detections> {
  const t0 = performance.now();
  const [, c, h, w] = heat.dims as [number, number, number, number];
  if (c !== s.numClasses) throw new Error(`CenterNet: the heat map has ${c} classes, the config says num_classes=${s.numClasses}`);
  const k = Math.min(s.topk, c * h * w, MAX_PEAKS);
  const peaks = await heatmapPeaksGpu(kernels, heat.buffer, [h, w, c], k, 'nchw');
  const boxes = await centerNetBoxesGpu(kernels, peaks.indices, k, size, { shape: [h, w, c], sizeLayout: 'nchw', stride: s.stride, scaleFactor });
  const t1 = performance.now();
  try {
    const [scores, boxData, labels] = await Promise.all([
      readBuffer(kernels.device, peaks.scores, Float32Array, k),
      readBuffer(kernels.device, boxes.boxes, Float32Array, k * 4),
      readBuffer(kernels.device, boxes.labels, Int32Array, k),
    ]);
    const detections = finishDetections(boxData, scores, labels, s, width, height);
    time.kernels += t1 - t0;
    time.readback += performance.now() - t1;
    return detections;
  } finally {
    for (const b of [peaks.scores, peaks.indices, boxes.boxes, boxes.labels]) b.destroy();
  }
}
