import type { ConfigDict } from '../core/config/config-value.ts';
import { type Detections, makeDetections } from '../core/structures/detections.ts';
import type { GrayImage } from '../core/trackers/ecc.ts';
import type { Embeddings, RegressedBoxes } from '../core/trackers/tracker.ts';
import type { StageTimings } from '../runtime/detectors/stage-timings.ts';
import type { EpChoice, InferenceRequest, InferenceResponse, ModelBytes } from './inference-protocol.ts';

export interface DetectorInfo {
  /** `model.detector.type`. */
  detectorType: string;
  /** Where pre- and post-processing run: our WGSL kernels on ORT's GPU buffers, or the CPU twins. */
  kernels: 'gpu' | 'cpu';
  /** Whether {@link InferenceClient.regress} works (two-stage detectors: Tracktor). */
  regresses: boolean;
  /** Whether {@link InferenceClient.embed} works (the config has `model.reid`). */
  embeds: boolean;
  ep: 'webgpu' | 'wasm';
  adapter: string | null;
  fallbackReason: string | null;
  sha256: string;
  classNames: string[];
}

interface LoadArgs {
  config: ConfigDict;
  /** The bytes of each of the detector's `onnx` entries, by role. */
  graphs: Record<string, ModelBytes>;
  ep: EpChoice;
  reid?: ModelBytes;
}

/**
 * Main-thread handle on the inference worker. When the GPU device is lost, it starts a new worker, loads the same
 * model again and tells `onGpuLost`, so the caller can go on from the current frame.
 */
export class InferenceClient {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private lastLoad: LoadArgs | null = null;
  onGpuLost: (reason: string) => void = () => undefined;

  private start(): Worker {
    const w = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });
    w.onmessage = (ev: MessageEvent<InferenceResponse>) => this.onMessage(ev.data);
    w.onerror = (ev) => this.failAll(new Error(`inference worker crashed: ${ev.message}`));
    this.worker = w;
    return w;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private onMessage(msg: InferenceResponse): void {
    if (msg.type === 'gpu-lost') {
      this.worker?.terminate();
      this.worker = null;
      this.failAll(new Error(`GPU device lost (${msg.reason})`));
      this.onGpuLost(msg.reason);
      return;
    }
    const id = 'loadId' in msg ? msg.loadId : msg.reqId;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    switch (msg.type) {
      case 'detector-ready':
        p.resolve({ detectorType: msg.detectorType, kernels: msg.kernels, regresses: msg.regresses, embeds: msg.embeds, ep: msg.ep, adapter: msg.adapter, fallbackReason: msg.fallbackReason, sha256: msg.sha256, classNames: msg.classNames } satisfies DetectorInfo);
        break;
      case 'detections':
        p.resolve({ detections: makeDetections(msg.detections), timings: msg.timings });
        break;
      case 'regressed':
        p.resolve({ boxes: msg.boxes, scores: msg.scores } satisfies RegressedBoxes);
        break;
      case 'embedded':
        p.resolve({ data: msg.data, dim: msg.dim } satisfies Embeddings);
        break;
      case 'gray-image':
        p.resolve(msg.image);
        break;
      case 'detector-failed':
      case 'detect-failed':
      case 'request-failed':
        p.reject(new Error(msg.message));
        break;
    }
  }

  private call<T>(build: (id: number) => InferenceRequest, transfer: Transferable[] = []): Promise<T> {
    const id = ++this.nextId;
    const w = this.worker ?? this.start();
    return new Promise<T>((resolve, reject) => {
      // Each id's reply has the type its request asked for (see onMessage).
      const settle = (v: unknown) => resolve(v as T);
      this.pending.set(id, { resolve: settle, reject });
      w.postMessage(build(id), transfer);
    });
  }

  /** Loads (or reloads) the detector; the bytes are copied, so the caller keeps its buffer. */
  loadDetector(args: LoadArgs): Promise<DetectorInfo> {
    this.lastLoad = args;
    const copy = (m: ModelBytes): ModelBytes => ({ fileName: m.fileName, model: m.model.slice(0) });
    const graphs = Object.fromEntries(Object.entries(args.graphs).map(([role, m]) => [role, copy(m)]));
    return this.call((loadId) => ({ type: 'load-detector', loadId, config: args.config, graphs, ep: args.ep, ...(args.reid ? { reid: copy(args.reid) } : {}) }));
  }

  /** Reloads the last model in a fresh worker (after a lost device). */
  reload(): Promise<DetectorInfo> | null {
    return this.lastLoad ? this.loadDetector(this.lastLoad) : null;
  }

  /** Detects on a frame; the frame is transferred (closed here) — pass a clone if you still need it. */
  detect(frameIndex: number, frame: VideoFrame | ImageBitmap): Promise<{ detections: Detections; timings: StageTimings }> {
    return this.call((reqId) => ({ type: 'detect', reqId, frameIndex, frame }), [frame]);
  }

  /** Tracktor: the two-stage detector's bbox head on `boxes` (frame pixels) of frame `frameIndex`, the last one detected. */
  regress(frameIndex: number, boxes: Float32Array): Promise<RegressedBoxes> {
    return this.call((reqId) => ({ type: 'regress', reqId, frameIndex, boxes }));
  }

  /** ReID embeddings of `boxes` on frame `frameIndex`, the last one detected. */
  embed(frameIndex: number, boxes: Float32Array): Promise<Embeddings> {
    return this.call((reqId) => ({ type: 'embed', reqId, frameIndex, boxes }));
  }

  /** The grayscale frame `frameIndex` (the last one detected) for camera motion compensation. */
  gray(frameIndex: number): Promise<GrayImage> {
    return this.call((reqId) => ({ type: 'gray', reqId, frameIndex }));
  }
}
