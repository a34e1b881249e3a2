/// <reference lib="webworker" />
// Single object tracking off the main thread: a config's Siamese/SiamFC tracker on onnxruntime-web (wasm EP).
import * as ort from 'onnxruntime-web';
import type { OnnxModelSpec } from '../core/config/onnx-spec.ts';
import { sotModelSettings } from '../core/models/sot/sot-models.ts';
import { framePixels } from '../media/decoded-frame.ts';
import { type LoadedSotTracker, loadSotTracker } from '../runtime/sot/load-sot-tracker.ts';
import type { SotRequest, SotResponse } from './sot-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: SotResponse) => scope.postMessage(msg);
ort.env.wasm.numThreads = scope.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;

let current: LoadedSotTracker | null = null;
let queue: Promise<void> = Promise.resolve();

const baseName = (path: string) => path.split('/').pop() ?? path;

async function handle(req: SotRequest): Promise<void> {
  try {
    if (req.type === 'load') {
      await current?.release();
      current = null;
      const settings = sotModelSettings(req.config);
      const used: string[] = [];
      // A dropped file whose name is the config file's name wins; else the app's own models folder.
      const read = async (spec: OnnxModelSpec) => {
        const name = baseName(spec.file);
        const dropped = req.files[name] ?? req.files[spec.file];
        if (dropped) {
          used.push(`${name} (your file)`);
          return { bytes: new Uint8Array(dropped), name };
        }
        const url = /^https?:\/\//.test(spec.file) ? null : `${req.modelBase}${spec.file}`;
        const res = url ? await fetch(url) : null;
        if (!res?.ok) throw new Error(`onnx.${spec.role}: ${name} is needed — drop ${name} (config file ${spec.file}) into the model box`);
        used.push(name);
        return { bytes: new Uint8Array(await res.arrayBuffer()), name };
      };
      current = await loadSotTracker(ort, settings, read, { providers: ['wasm'] });
      post({ type: 'loaded', id: req.id, modelType: settings.type, files: used });
      return;
    }
    const frame = req.frame;
    try {
      if (!current) throw new Error('no SOT model loaded');
      const started = performance.now();
      if (req.type === 'init') {
        await current.tracker.init(framePixels(frame), req.box);
        post({ type: 'initialised', id: req.id });
      } else {
        const r = await current.tracker.track(framePixels(frame));
        post({ type: 'tracked', id: req.id, box: r.box, score: r.score, ms: performance.now() - started });
      }
    } finally {
      frame.close();
    }
  } catch (err) {
    post({ type: 'failed', id: req.id, message: err instanceof Error ? err.message : String(err) });
  }
}

scope.onmessage = (ev: MessageEvent<SotRequest>) => {
  queue = queue.then(() => handle(ev.data));
};
