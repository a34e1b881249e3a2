import type { ConfigDict } from '../core/config/config-value.ts';
import type { GrayImage } from '../core/trackers/ecc.ts';
import type { Embeddings, RegressedBoxes } from '../core/trackers/tracker.ts';
import type { StageTimings } from '../runtime/detectors/stage-timings.ts';
import type { VidFrameReads } from '../core/models/vid/frame-reads.ts';
import type { Method } from './rpc.ts';
import type { RleMasks } from '../core/structures/bit-masks.ts';

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
  /** A VIS config's track ids (-1: no instance) and instance masks, one per box. */
  ids?: Int32Array;
  masks?: RleMasks;
}

/** What the loaded detector is and where it runs. */
export interface DetectorInfo {
  /** `model.detector.type`. */
  detectorType: string;
  ep: 'webgpu' | 'wasm';
  /** ORT's wasm threads in the worker: more than 1 only in a cross-origin isolated page. */
  wasmThreads: number;
  adapter: string | null;
  fallbackReason: string | null;
  /** sha256 of each graph, in the order of the config's detector entries. */
  sha256: string;
  classNames: string[];
  /** Where pre- and post-processing run: our WGSL kernels on ORT's GPU buffers, or the CPU twins. */
  kernels: 'gpu' | 'cpu';
  /** Whether `regress` works (two-stage detectors: Tracktor). */
  regresses: boolean;
  /** Whether `embed` works (the config has `model.reid`). */
  embeds: boolean;
  /**
   * A VID config's method. DFF: frames of a video must come in order from their key frame (every
   * `keyFrameInterval`th); the client runs the key frame first when it jumps. FGFA, SELSA (`variant`: Temporal RoI
   * Align): `reads` says which other frames `detect` must be given (`framesToRead`) besides those the worker holds.
   * A VIS config (`sequential`): its tracker needs every frame of the video in order from frame 0; the client runs the
   * frames before a jump first.
   */
  video: { method: string; keyFrameInterval: number; variant?: string; reads?: VidFrameReads; sequential?: boolean } | null;
}

export interface LoadDetectorArgs {
  config: ConfigDict;
  /** The bytes of each of the detector's `onnx` entries, by role (`detector`; Faster R-CNN: `backbone`, `bbox_head`; DFF: `backbone`, `rpn_head`, `bbox_head`, `motion`). */
  graphs: Record<string, ModelBytes>;
  /** 'auto' uses WebGPU on a hardware adapter and the wasm EP on a software one (SwiftShader runs CenterNet at about a frame a minute, wasm at a few per second). */
  ep: EpChoice;
  /** At most this many wasm threads (`?threads=N` in the page URL; benches time 1 thread this way). Only the worker's first load can set it. */
  wasmThreads?: number;
  reid?: ModelBytes;
}

/** The inference worker's API; calls run one at a time, in order. */
export type InferenceApi = {
  /** Loads the detector of a merged config (and its ReID model). */
  load: Method<LoadDetectorArgs, DetectorInfo>;
  /** Detects on one frame (`frameIndex`: its 0-based index in the video); the frame is transferred and closed by the worker. */
  detect: Method<
    {
      frameIndex: number;
      frame: VideoFrame | ImageBitmap;
      /** The video's length (FGFA's windows end with it; SELSA's references span it). */
      frameCount?: number;
      /** Other frames the VID method reads (transferred and closed by the worker, which keeps their pixels while read). */
      others?: { index: number; frame: VideoFrame | ImageBitmap }[];
    },
    { detections: DetectionsMessage; timings: StageTimings; /** The other frames the worker still holds. */ held?: number[] }
  >;
  /**
   * Tracktor's per-frame needs, on the frame of the last `detect` (`frameIndex` must be that frame): the bbox head
   * on given boxes, ReID embeddings of boxes, the grayscale frame for camera motion compensation.
   */
  regress: Method<{ frameIndex: number; boxes: Float32Array }, RegressedBoxes>;
  embed: Method<{ frameIndex: number; boxes: Float32Array }, Embeddings>;
  gray: Method<{ frameIndex: number }, GrayImage>;
};

/** Events of the inference worker: the GPU device was lost (the client restarts the worker and reloads the model). */
export type InferenceEvents = { 'gpu-lost': string };
