import type { ConfigDict } from '../core/config/config-value.ts';
import type { StageTimings } from '../runtime/detectors/stage-timings.ts';

/** Messages to the inference worker. */
export type InferenceRequest =
  /**
   * Loads the detector of a merged config from the ONNX bytes. `ep`: 'auto' uses WebGPU on a hardware adapter and
   * the wasm EP on a software one (SwiftShader runs CenterNet at about a frame a minute, wasm at a few per second).
   */
  | { type: 'load-detector'; loadId: number; config: ConfigDict; fileName: string; model: ArrayBuffer; ep: EpChoice; reid?: ReidModelBytes }
  /** Detects on one frame; the worker closes the frame. */
  | { type: 'detect'; reqId: number; frameIndex: number; frame: VideoFrame | ImageBitmap };

/** The ONNX file of the config's `onnx.reid` (DeepSORT's embeddings from the detector's features). */
export interface ReidModelBytes {
  fileName: string;
  model: ArrayBuffer;
}

/** Which execution provider to use. */
export type EpChoice = 'auto' | 'webgpu' | 'wasm';

/** Plain-array detections (structured-clone friendly). */
export interface DetectionsMessage {
  boxes: Float32Array;
  scores: Float32Array;
  labels: Int32Array;
  /** One row per box, when the config has `model.reid`. */
  embeddings?: { data: Float32Array; dim: number };
}

export type InferenceResponse =
  | { type: 'detector-ready'; loadId: number; ep: 'webgpu' | 'wasm'; adapter: string | null; fallbackReason: string | null; sha256: string; classNames: string[] }
  | { type: 'detector-failed'; loadId: number; message: string }
  | { type: 'detections'; reqId: number; frameIndex: number; detections: DetectionsMessage; timings: StageTimings }
  | { type: 'detect-failed'; reqId: number; frameIndex: number; message: string }
  /** The GPU device was lost: the client restarts the worker and reloads the model. */
  | { type: 'gpu-lost'; reason: string };
