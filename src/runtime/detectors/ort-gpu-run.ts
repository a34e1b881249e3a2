import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-web';

/** A float32 tensor in a GPU buffer (row-major, `dims` as ONNX gives them). */
export interface GpuTensor {
  buffer: GPUBuffer;
  dims: readonly number[];
}

/** A 4-D GPU tensor as our kernels take it (`[N, C, H, W]`), or an error naming `what` and the method. */
export function asGpuMap(t: GpuTensor, what: string, method: string): { buffer: GPUBuffer; shape: readonly [number, number, number, number] } {
  if (t.dims.length !== 4) throw new Error(`${method}: ${what} is [${t.dims.join(', ')}], expected [N, C, H, W]`);
  return { buffer: t.buffer, shape: t.dims as [number, number, number, number] };
}

/** A graph output on the GPU; `dispose` gives its buffer back to whoever allocated it (ORT). */
export interface GpuOutput extends GpuTensor {
  dispose(): void;
}

/**
 * The outputs `names` of graph `role`, in that order; every other output is disposed. When one is missing, all are
 * disposed and the error names what the graph returned.
 */
export function keepOutputs(out: Record<string, GpuOutput>, names: readonly string[], role: string, method: string): GpuOutput[] {
  const missing = names.find((n) => !out[n]);
  for (const [n, t] of Object.entries(out)) if (missing || !names.includes(n)) t.dispose();
  if (missing) throw new Error(`${method}: the ${role} graph returned ${Object.keys(out).join(', ')}, not '${missing}'`);
  return names.map((n) => out[n]!);
}

export interface OrtGpuModule {
  Tensor: { fromGpuBuffer(buffer: GPUBuffer, options: { dataType: 'float32'; dims: readonly number[] }): OrtTensor };
}

/**
 * Runs an onnxruntime-web session on the WebGPU EP (created with `preferredOutputLocation: 'gpu-buffer'` on the
 * device of our kernels) on inputs in GPU buffers; every output stays on the GPU. `what` names the graph in errors.
 */
export async function runOnGpu(ort: OrtGpuModule, session: InferenceSession, feeds: Record<string, GpuTensor>, what: string): Promise<Record<string, GpuOutput>> {
  const inputs = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, ort.Tensor.fromGpuBuffer(t.buffer, { dataType: 'float32', dims: t.dims })]));
  let out: InferenceSession.ReturnType;
  try {
    out = await session.run(inputs);
  } finally {
    for (const t of Object.values(inputs)) t.dispose();
  }
  const result: Record<string, GpuOutput> = {};
  for (const [name, t] of Object.entries(out)) {
    if (t.location !== 'gpu-buffer' || t.type !== 'float32') {
      for (const u of Object.values(out)) u.dispose();
      throw new Error(`${what}: output '${name}' is ${t.type} on ${t.location}; expected float32 in a GPU buffer (create the session with preferredOutputLocation: 'gpu-buffer')`);
    }
    result[name] = { buffer: t.gpuBuffer, dims: t.dims, dispose: () => t.dispose() };
  }
  return result;
}
