import type { ConfigDict } from '../core/config/config-value.ts';
import { type Detections, makeDetections } from '../core/structures/detections.ts';
import type { StageTimings } from '../runtime/detectors/stage-timings.ts';
import type { EpChoice, InferenceRequest, InferenceResponse, ReidModelBytes } from './inference-protocol.ts';

export interface DetectorInfo {
  ep: 'webgpu' | 'wasm';
  adapter: string | null;
  fallbackReason: string | null;
  sha256: string;
  classNames: string[];
}

interface LoadArgs {
  config: ConfigDict;
  fileName: string;
  model: ArrayBuffer;
  ep: EpChoice;
  reid?: ReidModelBytes;
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
        p.resolve({ ep: msg.ep, adapter: msg.adapter, fallbackReason: msg.fallbackReason, sha256: msg.sha256, classNames: msg.classNames } satisfies DetectorInfo);
        break;
      case 'detections':
        p.resolve({ detections: makeDetections(msg.detections), timings: msg.timings });
        break;
      case 'detector-failed':
      case 'detect-failed':
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
    const reid = args.reid ? { fileName: args.reid.fileName, model: args.reid.model.slice(0) } : undefined;
    return this.call((loadId) => ({ type: 'load-detector', loadId, config: args.config, fileName: args.fileName, model: args.model.slice(0), ep: args.ep, ...(reid ? { reid } : {}) }));
  }

  /** Reloads the last model in a fresh worker (after a lost device). */
  reload(): Promise<DetectorInfo> | null {
    return this.lastLoad ? this.loadDetector(this.lastLoad) : null;
  }

  /** Detects on a frame; the frame is transferred (closed here) — pass a clone if you still need it. */
  detect(frameIndex: number, frame: VideoFrame | ImageBitmap): Promise<{ detections: Detections; timings: StageTimings }> {
    return this.call((reqId) => ({ type: 'detect', reqId, frameIndex, frame }), [frame]);
  }
}
