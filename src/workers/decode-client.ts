import type { DecodedFrame } from '../media/frame-source.ts';
import type { VideoInput } from '../media/open-video.ts';
import type { VideoInfo } from '../media/video-info.ts';
import type { DecodeRequest, DecodeResponse } from './decode-protocol.ts';

/** Rejection of frame requests dropped by `dropPending` (a seek or pause made them stale). */
export class StaleFrameError extends Error {
  override name = 'StaleFrameError';
}

export interface OpenedVideo {
  info: VideoInfo;
  playable: Blob | null;
}

interface Pending<T> {
  resolve(v: T): void;
  reject(e: Error): void;
}

/** Main-thread handle on the decode worker: typed promises over its messages. */
export class DecodeClient {
  private readonly worker: Worker;
  private openId = 0;
  private reqId = 0;
  private gen = 0;
  private opening: (Pending<OpenedVideo> & { openId: number; onProgress: (stage: string, f: number) => void }) | null = null;
  private readonly frames = new Map<number, Pending<{ frame: DecodedFrame; index: number; decodeMs: number }>>();

  constructor() {
    this.worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'decode' });
    this.worker.onmessage = (ev: MessageEvent<DecodeResponse>) => this.onMessage(ev.data);
    this.worker.onerror = (ev) => {
      const err = new Error(`decode worker crashed: ${ev.message}`);
      this.opening?.reject(err);
      this.opening = null;
      for (const p of this.frames.values()) p.reject(err);
      this.frames.clear();
    };
  }

  private send(msg: DecodeRequest): void {
    this.worker.postMessage(msg);
  }

  private onMessage(msg: DecodeResponse): void {
    switch (msg.type) {
      case 'open-progress':
        if (this.opening?.openId === msg.openId) this.opening.onProgress(msg.stage, msg.fraction);
        break;
      case 'opened':
        if (this.opening?.openId === msg.openId) this.opening.resolve({ info: msg.info, playable: msg.playable });
        if (this.opening?.openId === msg.openId) this.opening = null;
        break;
      case 'open-failed':
        if (this.opening?.openId === msg.openId) this.opening.reject(Object.assign(new Error(msg.message), { cancelled: msg.cancelled }));
        if (this.opening?.openId === msg.openId) this.opening = null;
        break;
      case 'frame': {
        const p = this.frames.get(msg.reqId);
        this.frames.delete(msg.reqId);
        if (p) p.resolve({ frame: msg.frame, index: msg.index, decodeMs: msg.decodeMs });
        else msg.frame.close();
        break;
      }
      case 'frame-failed':
        this.frames.get(msg.reqId)?.reject(new Error(msg.message));
        this.frames.delete(msg.reqId);
        break;
      case 'frame-skipped':
        this.frames.get(msg.reqId)?.reject(new StaleFrameError('skipped'));
        this.frames.delete(msg.reqId);
        break;
    }
  }

  /** Opens a video (replacing the previous one). Rejects with the user-facing message; `cancelled` is set on cancel. */
  open(input: VideoInput, onProgress: (stage: string, fraction: number) => void = () => undefined): Promise<OpenedVideo> {
    this.dropPending();
    this.opening?.reject(Object.assign(new Error('superseded by another file'), { cancelled: true }));
    const openId = ++this.openId;
    return new Promise<OpenedVideo>((resolve, reject) => {
      this.opening = { openId, resolve, reject, onProgress };
      this.send({ type: 'open', openId, input });
    });
  }

  cancelOpen(): void {
    if (this.opening) this.send({ type: 'cancel-open', openId: this.opening.openId });
  }

  /** Requests frame `index` (0-based); the caller owns and must close the frame. */
  frame(index: number): Promise<{ frame: DecodedFrame; index: number; decodeMs: number }> {
    const reqId = ++this.reqId;
    return new Promise((resolve, reject) => {
      this.frames.set(reqId, { resolve, reject });
      this.send({ type: 'frame', reqId, gen: this.gen, index });
    });
  }

  /** Drops every queued frame request (after a seek or pause): they reject with `StaleFrameError`. */
  dropPending(): void {
    this.gen++;
    this.send({ type: 'set-gen', gen: this.gen });
    for (const p of this.frames.values()) p.reject(new StaleFrameError('dropped'));
    this.frames.clear();
  }

  terminate(): void {
    this.worker.terminate();
  }
}
