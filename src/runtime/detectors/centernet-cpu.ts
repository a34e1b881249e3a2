import type { InferenceSession } from 'onnxruntime-web';
import { type CenterNetSettings, decodeCenterNet } from '../../core/models/det/centernet.ts';
import { preprocessImageFast } from '../../core/ops/preprocess-fast.ts';
import type { Detections } from '../../core/structures/detections.ts';
import type { StageTimings } from './stage-timings.ts';
import type { OrtTensorModule } from '../model-session.ts';

/**
 * CenterNet on the CPU side of the runtime: pre-processing and decoding by the CPU twins, the graph on whatever
 * session it is given (the wasm EP in Node and in browsers without WebGPU). Prepare → run → post-process.
 */
export class CenterNetCpuRunner {
  constructor(
    private readonly ort: OrtTensorModule,
    private readonly session: InferenceSession,
    readonly settings: CenterNetSettings,
  ) {}

  async detect(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<{ detections: Detections; timings: StageTimings }> {
    const s = this.settings;
    const t0 = performance.now();
    const { data, geometry } = preprocessImageFast(rgba, width, height, s.preprocess);
    const input = new this.ort.Tensor('float32', data, [1, 3, geometry.paddedHeight, geometry.paddedWidth]);
    const t1 = performance.now();
    const out = await this.session.run({ [s.inputName]: input });
    const t2 = performance.now();
    const heat = out[s.heatmapName];
    const size = out[s.sizeName];
    if (!heat || !size) throw new Error(`CenterNet: the graph returned ${Object.keys(out).join(', ')}, expected ${s.heatmapName} and ${s.sizeName}`);
    const detections = decodeCenterNet(heat.data as Float32Array, size.data as Float32Array, heat.dims, s, width, height);
    const t3 = performance.now();
    input.dispose();
    heat.dispose();
    size.dispose();
    return { detections, timings: { preprocess: t1 - t0, ort: t2 - t1, kernels: t3 - t2, readback: 0, total: t3 - t0 } };
  }
}
