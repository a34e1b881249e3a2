// Which ONNX Runtime wasm build a worker runs, and on how many threads.
// - Build: the WebGPU-capable (JSEP) build only where a session may use the WebGPU EP; the plain build otherwise,
//   which runs the same graph on the wasm EP several times faster (CenterNet: 170 ms against 1 s, docs/performance.md).
// - Threads need cross-origin isolation (SharedArrayBuffer: the app's hosting sends COOP/COEP, docs/hosting.md);
//   without it ORT runs one thread. By default one core is left to the page (its main thread, the decoder, the
//   compositor): on 2 cores a second ORT thread made frames slower, not faster (docs/performance.md).
// Both builds are served as files of their own and named to ORT (`env.wasm.wasmPaths`): ORT starts its pthread workers
// from its glue module's URL, which inside our bundled worker would be the worker's own chunk.
import jsepGlueUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import jsepWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import plainGlueUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import plainWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { Env } from 'onnxruntime-web';

export interface OrtWasmChoice {
  /** Whether a session may use the WebGPU EP (the JSEP build). */
  webgpu: boolean;
  /** At most this many threads (default: the cores less one, at most 4; `?threads=N` may ask for all of them). */
  cap?: number;
}

/**
 * Points ORT at the build `choice` needs and sets its thread count (up to 4 and `cap`); returns the thread count.
 * ORT reads both when it starts, with the first session: later calls change nothing.
 */
export function configureOrtWasm(env: Env, choice: OrtWasmChoice): number {
  const cores = navigator.hardwareConcurrency || 1;
  const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, choice.cap ?? cores - 1, cores)) : 1;
  env.wasm.numThreads = threads;
  const [glue, wasm] = choice.webgpu ? [jsepGlueUrl, jsepWasmUrl] : [plainGlueUrl, plainWasmUrl];
  env.wasm.wasmPaths = { mjs: new URL(glue, self.location.href).href, wasm: new URL(wasm, self.location.href).href };
  return threads;
}
