import type { ConfigDict } from '../core/config/config-value.ts';
import type { GrayImage } from '../core/trackers/ecc.ts';
import type { StageTimings } from '../runtime/detectors/stage-timings.ts';

/** Messages to the inference worker. */
export type InferenceRequest =
  /**
   * Loads the detector of a merged config: `graphs` holds the bytes of each of its `onnx` entries by role
   * (`detector` for CenterNet and YOLOX; `backbone` and `bbox_head` for Faster R-CNN). `ep`: 'auto' uses WebGPU on a
   * hardware adapter and the wasm EP on a software one (SwiftShader runs CenterNet at about a frame a minute, wasm at
   * a few per second).
   */
  | { type: 'load-detector'; loadId: number; config: ConfigDict; graphs: Record<string, ModelBytes>; ep: EpChoice; reid?: ModelBytes }
  /** Detects on one frame; the worker closes the frame. */
  | { type: 'detect'; reqId: number; frameIndex: number; frame: VideoFrame | ImageBitmap }
  /**
   * Tracktor's per-frame needs, on the frame of the last `detect` (`frameIndex` must be that frame): the bbox head
   * on given boxes, ReID embeddings of boxes, the grayscale frame for camera motion compensation.
   */
  | { type: 'regress'; reqId: number; frameIndex: number; boxes: Float32Array }
  | { type: 'embed'; reqId: number; frameIndex: number; boxes: Float32Array }
  | { type: 'gray'; reqId: number; frameIndex: number };

/** An ONNX file: its name (for messages) and bytes. */
export interface ModelBytes {
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
  | {
      type: 'detector-ready';
      loadId: number;
      /** `model.detector.type`. */
      detectorType: string;
      ep: 'webgpu' | 'wasm';
      adapter: string | null;
      fallbackReason: string | null;
      /** sha256 of each graph, in the order of the config's detector entries. */
      sha256: string;
      classNames: string[];
      /** Where pre- and post-processing run: our WGSL kernels on ORT's GPU buffers, or the CPU twins. */
      kernels: 'gpu' | 'cpu';
      /** Whether `regress` works (two-stage detectors). */
      regresses: boolean;
      /** Whether `embed` works (the config has `model.reid`). */
      embeds: boolean;
    }
  | { type: 'detector-failed'; loadId: number; message: string }
  | { type: 'detections'; reqId: number; frameIndex: number; detections: DetectionsMessage; timings: StageTimings }
  | { type: 'detect-failed'; reqId: number; frameIndex: number; message: string }
  | { type: 'regressed'; reqId: number; boxes: Float32Array; scores: Float32Array }
  | { type: 'embedded'; reqId: number; data: Float32Array; dim: number }
  | { type: 'gray-image'; reqId: number; image: GrayImage }
  | { type: 'request-failed'; reqId: number; message: string }
  /** The GPU device was lost: the client restarts the worker and reloads the model. */
  | { type: 'gpu-lost'; reason: string };
