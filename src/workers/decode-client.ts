import type { DecodedFrame } from '../media/frame-source.ts';
import type { VideoInput } from '../media/open-video.ts';
import type { DecodeApi, OpenedVideo } from './decode-protocol.ts';
import { type Job, RpcClient } from './rpc.ts';

export type { OpenedVideo };

/** Main-thread handle on the decode worker. Dropped and cancelled requests reject with CancelledError. */
export class DecodeClient {
  // A frame that arrives after its request was dropped is closed here (frames hold decoder memory).
  private readonly rpc = new RpcClient<DecodeApi>(
    'decode',
    () => new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'decode' }),
    (value) => (value as { frame?: DecodedFrame }).frame?.close(),
  );
  private opening: Job<OpenedVideo> | null = null;
  private readonly frames = new Set<AbortController>();

  /** Opens a video (replacing the previous one, cancelling an open still under way). */
  open(input: VideoInput, onProgress: (stage: string, fraction: number) => void = () => undefined): Promise<OpenedVideo> {
    this.dropPending();
    this.opening?.cancel();
    const job = this.rpc.start('open', input, { onProgress: (p) => onProgress(p.stage, p.fraction) });
    this.opening = job;
    return job.result.finally(() => {
      if (this.opening === job) this.opening = null;
    });
  }

  cancelOpen(): void {
    this.opening?.cancel();
  }

  /** Requests frame `index` (0-based); the caller owns and must close the frame. */
  frame(index: number): Promise<{ frame: DecodedFrame; index: number; decodeMs: number }> {
    const abort = new AbortController();
    this.frames.add(abort);
    return this.rpc.call('frame', index, { signal: abort.signal }).finally(() => this.frames.delete(abort));
  }

  /** Drops every queued frame request (after a seek or pause): they reject with CancelledError and are never decoded. */
  dropPending(): void {
    for (const abort of this.frames) abort.abort();
    this.frames.clear();
  }

  terminate(): void {
    this.rpc.terminate();
  }
}
