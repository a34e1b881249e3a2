// ONNX Runtime's wasm threads in a worker. Threads need cross-origin isolation (SharedArrayBuffer: the app's hosting
// sends COOP/COEP, docs/hosting.md); without it ORT runs one thread. With threads, ORT starts its pthread workers from
// its own glue module's URL, which inside our bundled worker would be the worker's own chunk: the glue and its wasm
// are therefore served as files of their own and named to ORT here.
import ortGlueUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import type { Env } from 'onnxruntime-web';

/**
 * Sets ORT's wasm thread count for this worker (up to 4, and up to `cap`) and, for more than one, where its files are;
 * returns it. ORT reads it when it starts, with the first session: later calls change nothing.
 */
export function configureOrtWasmThreads(env: Env, cap = 4): number {
  const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, cap, navigator.hardwareConcurrency || 1)) : 1;
  env.wasm.numThreads = threads;
  if (threads > 1) env.wasm.wasmPaths = { mjs: new URL(ortGlueUrl, self.location.href).href, wasm: new URL(ortWasmUrl, self.location.href).href };
  return threads;
}
