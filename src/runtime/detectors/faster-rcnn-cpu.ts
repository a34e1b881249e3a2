import type { InferenceSession } from 'onnxruntime-web';
import type { FasterRcnnModel } from '../../core/models/det/faster-rcnn-config.ts';
import { FasterRcnn, type GraphRole, imageMeta, type TensorData } from '../../core/models/det/faster-rcnn.ts';
import { preprocessImageFast } from '../../core/ops/preprocess-fast.ts';
import type { Detections } from '../../core/structures/detections.ts';
import type { StageTimings } from './stage-timings.ts';
import type { OrtTensorModule } from '../model-session.ts';

/** The two sessions of a Faster R-CNN config, by `onnx` role. */
export type FasterRcnnSessions = Record<GraphRole, InferenceSession>;

/**
 * A {@link RunGraph} over onnxruntime sessions whose outputs come back to the CPU (the wasm EP, or WebGPU without
 * `gpu-buffer` outputs). `onRun` gets the milliseconds of each `session.run`.
 */
export function ortRunGraph<R extends string = GraphRole>(
  ort: OrtTensorModule,
  sessions: Record<R, InferenceSession>,
  onRun?: (ms: number) => void,
): (role: R, feeds: Record<string, TensorData>) => Promise<Record<string, TensorData>> {
  return async (role, feeds) => {
    const inputs = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor('float32', t.data, t.dims)]));
    const t0 = performance.now();
    const out = await sessions[role].run(inputs);
    onRun?.(performance.now() - t0);
    const result: Record<string, TensorData> = {};
    for (const [name, t] of Object.entries(out)) {
      if (t.type !== 'float32') throw new Error(`the ${role} graph's output '${name}' is ${t.type}, expected float32`);
      result[name] = { data: t.data as Float32Array, dims: t.dims };
    }
    for (const t of Object.values(inputs)) t.dispose();
    return result;
  };
}

/**
 * Faster R-CNN with the CPU twins for pre-processing, NMS and RoIAlign and the graphs on the given sessions:
 * prepare → run → post-process, with per-stage timings.
 */
export class FasterRcnnCpuRunner {
  private ortMs = 0;
  private readonly detector: FasterRcnn;

  constructor(
    ort: OrtTensorModule,
    sessions: FasterRcnnSessions,
    readonly model: FasterRcnnModel,
  ) {
    this.detector = new FasterRcnn(model, ortRunGraph(ort, sessions, (ms) => void (this.ortMs += ms)));
  }

  /** Tracktor's regression of last frame's boxes (frame pixels) on the frame of the last `detect`. */
  regress(boxes: Float32Array): Promise<{ boxes: Float32Array; scores: Float32Array }> {
    return this.detector.regress(boxes);
  }

  async detect(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<{ detections: Detections; timings: StageTimings }> {
    const t0 = performance.now();
    const { data, geometry: g } = preprocessImageFast(rgba, width, height, this.model.preprocess);
    const t1 = performance.now();
    this.ortMs = 0;
    const { detections } = await this.detector.detectTensor({ data, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, imageMeta(g));
    const t2 = performance.now();
    return { detections, timings: { preprocess: t1 - t0, ort: this.ortMs, kernels: t2 - t1 - this.ortMs, readback: 0, total: t2 - t0 } };
  }
}
