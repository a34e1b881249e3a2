// Which ONNX Runtime the CLI runs in Node: the native build (`onnxruntime-node`, its CPU execution provider on every
// core) when it loads, else onnxruntime-web's wasm build (one thread), which every install has. Loaded on first use,
// so commands that run no network (`--help`, `eval`, `print-config`) never pay for either.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import type { ExecutionProvider, OrtModule, OrtTensorModule } from './model-session.ts';

/** `MMTRACK_ORT`: `native` insists on onnxruntime-node, `wasm` takes the wasm build, `auto` (default) the first that loads. */
export type NodeOrtChoice = 'auto' | 'native' | 'wasm';

export interface NodeOrt {
  ort: OrtModule & OrtTensorModule;
  /** The execution provider sessions are created on. */
  provider: ExecutionProvider;
  /** For the user: which runtime ran, e.g. `onnxruntime-node 1.30.0 (native CPU, 2 threads)`. */
  label: string;
  /** Why the native build was not used (auto only). */
  fallbackReason?: string;
}

/** A runtime that was asked for and cannot be had (a bad `MMTRACK_ORT`, or `native` without the addon). */
export class NodeOrtError extends Error {
  override name = 'NodeOrtError';
}

export function nodeOrtChoice(env: NodeJS.ProcessEnv = process.env): NodeOrtChoice {
  const v = (env.MMTRACK_ORT ?? 'auto').trim().toLowerCase();
  if (v === 'auto' || v === 'native' || v === 'wasm') return v;
  throw new NodeOrtError(`MMTRACK_ORT=${env.MMTRACK_ORT}: expected auto, native or wasm`);
}

const require = createRequire(import.meta.url);

interface OrtEnv {
  versions: { web?: string; node?: string };
}
const loaded = new Map<NodeOrtChoice, Promise<NodeOrt>>();

async function loadWasm(fallbackReason?: string): Promise<NodeOrt> {
  const ort = (await import('onnxruntime-web')) as unknown as OrtModule & OrtTensorModule & { env: OrtEnv & { wasm: { numThreads?: number } } };
  const threads = ort.env.wasm.numThreads ?? 1;
  return { ort, provider: 'wasm', label: `onnxruntime-web ${ort.env.versions.web ?? '?'} (wasm, ${threads} thread${threads === 1 ? '' : 's'})`, ...(fallbackReason ? { fallbackReason } : {}) };
}

function loadNative(): NodeOrt {
  // The native addon is an optional dependency: absent on platforms it has no binary for, or when install failed.
  const ort = require('onnxruntime-node') as OrtModule & OrtTensorModule & { env: OrtEnv };
  const threads = availableParallelism();
  return { ort, provider: 'cpu', label: `onnxruntime-node ${ort.env.versions.node ?? '?'} (native CPU, ${threads} thread${threads === 1 ? '' : 's'})` };
}

/** The runtime for `choice` (default: `MMTRACK_ORT`), loaded once per process. */
export function nodeOrt(choice: NodeOrtChoice = nodeOrtChoice()): Promise<NodeOrt> {
  let p = loaded.get(choice);
  if (!p) {
    p = (async () => {
      if (choice === 'wasm') return loadWasm();
      try {
        return loadNative();
      } catch (err) {
        const reason = `onnxruntime-node did not load (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`;
        if (choice === 'native') throw new NodeOrtError(`MMTRACK_ORT=native: ${reason}`);
        return loadWasm(reason);
      }
    })();
    loaded.set(choice, p);
  }
  return p;
}
