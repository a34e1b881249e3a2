import { type Detections, makeDetections } from '../core/structures/detections.ts';
import type { GrayImage } from '../core/trackers/ecc.ts';
import type { Embeddings, RegressedBoxes } from '../core/trackers/tracker.ts';
import type { StageTimings } from '../runtime/detectors/stage-timings.ts';
import type { DetectorInfo, InferenceApi, InferenceEvents, LoadDetectorArgs, ModelBytes } from './inference-protocol.ts';
import { RpcClient } from './rpc.ts';

export type { DetectorInfo };

/**
 * Main-thread handle on the inference worker. When the GPU device is lost, it stops the worker (pending calls
 * reject), and tells `onGpuLost`; `reload()` loads the same model in a new worker, so the caller can go on from the
 * current frame.
 */
export class InferenceClient {
  private readonly rpc = new RpcClient<InferenceApi, InferenceEvents>('inference', () => new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' }));
  private lastLoad: LoadDetectorArgs | null = null;
  onGpuLost: (reason: string) => void = () => undefined;

  constructor() {
    this.rpc.on('gpu-lost', (reason) => {
      this.rpc.terminate(`GPU device lost (${reason})`);
      this.onGpuLost(reason);
    });
  }

  /** Loads (or reloads) the detector; the bytes are copied, so the caller keeps its buffer. */
  loadDetector(args: LoadDetectorArgs): Promise<DetectorInfo> {
    this.lastLoad = args;
    const copy = (m: ModelBytes): ModelBytes => ({ fileName: m.fileName, model: m.model.slice(0) });
    const graphs = Object.fromEntries(Object.entries(args.graphs).map(([role, m]) => [role, copy(m)]));
    return this.rpc.call('load', { config: args.config, graphs, ep: args.ep, ...(args.wasmThreads ? { wasmThreads: args.wasmThreads } : {}), ...(args.reid ? { reid: copy(args.reid) } : {}) });
  }

  /** Reloads the last model in a fresh worker (after a lost device). */
  reload(): Promise<DetectorInfo> | null {
    return this.lastLoad ? this.loadDetector(this.lastLoad) : null;
  }

  /**
   * Detects on a frame; the frame (and `video.others`) is transferred (closed here) — pass a clone if you still need
   * it. `video`: for FGFA and SELSA, the video's length and the other frames it reads; `held` answers which the worker
   * keeps.
   */
  async detect(
    frameIndex: number,
    frame: VideoFrame | ImageBitmap,
    video: { frameCount: number; others: { index: number; frame: VideoFrame | ImageBitmap }[] } | null = null,
  ): Promise<{ detections: Detections; timings: StageTimings; held: number[] }> {
    const r = await this.rpc.call('detect', { frameIndex, frame, ...(video ?? {}) }, { transfer: [frame, ...(video?.others.map((o) => o.frame) ?? [])] });
    return { detections: makeDetections(r.detections), timings: r.timings, held: r.held ?? [] };
  }

  /** Tracktor: the two-stage detector's bbox head on `boxes` (frame pixels) of frame `frameIndex`, the last one detected. */
  regress(frameIndex: number, boxes: Float32Array): Promise<RegressedBoxes> {
    return this.rpc.call('regress', { frameIndex, boxes });
  }

  /** ReID embeddings of `boxes` on frame `frameIndex`, the last one detected. */
  embed(frameIndex: number, boxes: Float32Array): Promise<Embeddings> {
    return this.rpc.call('embed', { frameIndex, boxes });
  }

  /** The grayscale frame `frameIndex` (the last one detected) for camera motion compensation. */
  gray(frameIndex: number): Promise<GrayImage> {
    return this.rpc.call('gray', { frameIndex });
  }
}
