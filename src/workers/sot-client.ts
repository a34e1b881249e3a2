import type { ConfigDict } from '../core/config/config-value.ts';
import type { XywhBox } from '../core/models/sot/sot-tracker.ts';
import type { SotRequest, SotResponse } from './sot-protocol.ts';

type Pending = { resolve(msg: SotResponse): void; reject(err: Error): void };

/** Main-thread handle on the SOT worker. Frames passed in are transferred (closed here). */
export class SotClient {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  private call(build: (id: number) => SotRequest, transfer: Transferable[] = []): Promise<SotResponse> {
    if (!this.worker) {
      this.worker = new Worker(new URL('./sot.worker.ts', import.meta.url), { type: 'module', name: 'sot' });
      this.worker.onmessage = (ev: MessageEvent<SotResponse>) => {
        const p = this.pending.get(ev.data.id);
        this.pending.delete(ev.data.id);
        if (!p) return;
        if (ev.data.type === 'failed') p.reject(new Error(ev.data.message));
        else p.resolve(ev.data);
      };
      this.worker.onerror = (ev) => {
        for (const p of this.pending.values()) p.reject(new Error(`SOT worker crashed: ${ev.message}`));
        this.pending.clear();
      };
    }
    const id = ++this.nextId;
    const w = this.worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage(build(id), transfer);
    });
  }

  async load(config: ConfigDict, files: Record<string, ArrayBuffer>, modelBase: string): Promise<{ modelType: string; files: string[] }> {
    const r = await this.call((id) => ({ type: 'load', id, config, files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.slice(0)])), modelBase }));
    if (r.type !== 'loaded') throw new Error(`unexpected reply ${r.type}`);
    return { modelType: r.modelType, files: r.files };
  }

  async init(frame: VideoFrame | ImageBitmap, box: XywhBox): Promise<void> {
    await this.call((id) => ({ type: 'init', id, frame, box }), [frame]);
  }

  async track(frame: VideoFrame | ImageBitmap): Promise<{ box: XywhBox; score: number; ms: number }> {
    const r = await this.call((id) => ({ type: 'track', id, frame }), [frame]);
    if (r.type !== 'tracked') throw new Error(`unexpected reply ${r.type}`);
    return { box: r.box, score: r.score, ms: r.ms };
  }
}
