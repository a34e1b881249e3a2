import type { ConfigDict } from '../core/config/config-value.ts';
import type { XywhBox } from '../core/models/sot/sot-tracker.ts';
import { RpcClient } from './rpc.ts';
import type { SotApi } from './sot-protocol.ts';

/** Main-thread handle on the SOT worker. Frames passed in are transferred (closed here). */
export class SotClient {
  private readonly rpc = new RpcClient<SotApi>('SOT', () => new Worker(new URL('./sot.worker.ts', import.meta.url), { type: 'module', name: 'sot' }));

  /** Loads a config's tracker; the bytes are copied, so the caller keeps its buffers. */
  load(config: ConfigDict, files: Record<string, ArrayBuffer>, modelBase: string): Promise<{ modelType: string; files: string[] }> {
    return this.rpc.call('load', { config, files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.slice(0)])), modelBase });
  }

  init(frame: VideoFrame | ImageBitmap, box: XywhBox): Promise<void> {
    return this.rpc.call('init', { frame, box }, { transfer: [frame] });
  }

  track(frame: VideoFrame | ImageBitmap): Promise<{ box: XywhBox; score: number; ms: number }> {
    return this.rpc.call('track', { frame }, { transfer: [frame] });
  }
}
