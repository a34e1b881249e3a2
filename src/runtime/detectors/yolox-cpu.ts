import type { InferenceSession } from 'onnxruntime-web';
import { yoloxDetections } from '../../core/models/det/yolox.ts';
import type { YoloxModel } from '../../core/models/det/yolox-config.ts';
import type { TensorData } from '../../core/models/det/faster-rcnn.ts';
import { preprocessImageFast } from '../../core/ops/preprocess-fast.ts';
import type { Detections } from '../../core/structures/detections.ts';
import type { StageTimings } from './stage-timings.ts';
import type { OrtTensorModule } from '../model-session.ts';

/** YOLOX: pre-processing and decoding by the CPU twins, the graph on the given session. */
export class YoloxCpuRunner {
  constructor(
    private readonly ort: OrtTensorModule,
    private readonly session: InferenceSession,
    readonly model: YoloxModel,
  ) {}

  async detect(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<{ detections: Detections; timings: StageTimings }> {
    const { graph, settings, preprocess } = this.model;
    const t0 = performance.now();
    const { data, geometry: g } = preprocessImageFast(rgba, width, height, preprocess);
    const input = new this.ort.Tensor('float32', data, [1, 3, g.paddedHeight, g.paddedWidth]);
    const t1 = performance.now();
    const out = await this.session.run({ [graph.input]: input });
    const t2 = performance.now();
    try {
      const pick = (name: string): TensorData => {
        const t = out[name];
        if (!t) throw new Error(`YOLOX: the graph returned ${Object.keys(out).join(', ')}, not '${name}'`);
        if (t.type !== 'float32') throw new Error(`YOLOX: output '${name}' is ${t.type}, expected float32`);
        return { data: t.data as Float32Array, dims: t.dims };
      };
      const detections = yoloxDetections({ clsScores: graph.clsScores.map(pick), bboxPreds: graph.bboxPreds.map(pick), objectnesses: graph.objectnesses.map(pick) }, settings, g.scaleFactor);
      const t3 = performance.now();
      return { detections, timings: { preprocess: t1 - t0, ort: t2 - t1, kernels: t3 - t2, readback: 0, total: t3 - t0 } };
    } finally {
      input.dispose();
      for (const t of Object.values(out)) t.dispose();
    }
  }
}
