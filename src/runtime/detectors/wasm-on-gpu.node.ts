// For GPU runner tests in Node: a session on the wasm EP behind the interface of ORT's WebGPU EP with GPU-buffer
// inputs and outputs (inputs read back, outputs uploaded to a Dawn device), counting the output buffers still alive.
import * as ort from 'onnxruntime-web';
import type { InferenceSession } from 'onnxruntime-web';
import { readBuffer, uploadBuffer } from '../../gpu/device.ts';
import type { GpuOutput, GpuTensor } from './ort-gpu-run.ts';

export interface WasmOnGpu {
  run(session: InferenceSession, feeds: Record<string, GpuTensor>): Promise<Record<string, GpuOutput>>;
  /** Output buffers handed out and not yet disposed. */
  live(): number;
}

export function wasmOnGpu(device: GPUDevice): WasmOnGpu {
  let live = 0;
  return {
    async run(session, feeds) {
      const inputs: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        inputs[name] = new ort.Tensor('float32', await readBuffer(device, t.buffer, Float32Array, t.dims.reduce((a, b) => a * b, 1)), t.dims);
      }
      const out = await session.run(inputs);
      const result: Record<string, GpuOutput> = {};
      for (const [name, t] of Object.entries(out)) {
        const buffer = uploadBuffer(device, t.data as Float32Array, name);
        live++;
        result[name] = { buffer, dims: t.dims, dispose: () => (live--, buffer.destroy()) };
      }
      return result;
    },
    live: () => live,
  };
}
