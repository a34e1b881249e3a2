/// <reference lib="webworker" />
// Single object tracking off the main thread: a config's Siamese/SiamFC tracker on onnxruntime-web (wasm EP).
import * as ort from 'onnxruntime-web';
import type { OnnxModelSpec } from '../core/config/onnx-spec.ts';
import { sotModelSettings } from '../core/models/sot/sot-models.ts';
import { framePixels, type FramePixels } from '../media/decoded-frame.ts';
import { type LoadedSotTracker, loadSotTracker } from '../runtime/sot/load-sot-tracker.ts';
import { configureOrtWasm } from './ort-wasm-threads.ts';
import { serveRpc } from './rpc.ts';
import type { SotApi } from './sot-protocol.ts';

configureOrtWasm(ort.env, { webgpu: false });

let current: LoadedSotTracker | null = null;

const baseName = (path: string) => path.split('/').pop() ?? path;

/** Runs `use` on the frame's pixels with the loaded tracker, and closes the frame whatever happens. */
async function withFrame<T>(frame: VideoFrame | ImageBitmap, use: (tracker: LoadedSotTracker['tracker'], pixels: FramePixels) => Promise<T>): Promise<T> {
  try {
    if (!current) throw new Error('no SOT model loaded');
    return await use(current.tracker, await framePixels(frame));
  } finally {
    frame.close();
  }
}

serveRpc<SotApi>(
  {
    async load({ config, files, modelBase }) {
      await current?.release();
      current = null;
      const settings = sotModelSettings(config);
      const used: string[] = [];
      // A dropped file whose name is the config file's name wins; else the app's own models folder.
      const read = async (spec: OnnxModelSpec) => {
        const name = baseName(spec.file);
        const dropped = files[name] ?? files[spec.file];
        if (dropped) {
          used.push(`${name} (your file)`);
          return { bytes: new Uint8Array(dropped), name };
        }
        const url = /^https?:\/\//.test(spec.file) ? null : `${modelBase}${spec.file}`;
        const res = url ? await fetch(url) : null;
        if (!res?.ok) throw new Error(`onnx.${spec.role}: ${name} is needed — drop ${name} (config file ${spec.file}) into the model box`);
        used.push(name);
        return { bytes: new Uint8Array(await res.arrayBuffer()), name };
      };
      current = await loadSotTracker(ort, settings, read, { providers: ['wasm'] });
      return { modelType: settings.type, files: used };
    },
    init: ({ frame, box }) => withFrame(frame, (tracker, pixels) => tracker.init(pixels, box)),
    track: ({ frame }) =>
      withFrame(frame, async (tracker, pixels) => {
        const started = performance.now();
        const r = await tracker.track(pixels);
        return { box: r.box, score: r.score, ms: performance.now() - started };
      }),
  },
  { serial: true },
);
