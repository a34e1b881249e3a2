/**
 * Test helpers (Node only): run a TFJS graph model with `@tensorflow/tfjs` on its pure-JS CPU backend
 * (the reference) and an ONNX model with onnxruntime-web's wasm backend (what the converted model runs on).
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import type { TfjsGraphModel } from './tfjs-graph-model.ts';

export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

let cpuReady: Promise<boolean> | undefined;

/** Runs `model` (weights = the concatenated shard bytes) on TFJS's CPU backend; returns the named outputs. */
export async function runTfjsReference(
  model: TfjsGraphModel,
  weights: Uint8Array,
  inputs: Readonly<Record<string, HostTensor>>,
  outputs: readonly string[],
): Promise<HostTensor[]> {
  cpuReady ??= tf.setBackend('cpu');
  await cpuReady;
  const graph = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: model.modelTopology,
      weightSpecs: model.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      format: model.format,
      ...(model.signature ? { signature: model.signature } : {}),
    }),
  );
  const feeds: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) feeds[name] = tf.tensor(t.data, t.shape, 'float32');
  const result = graph.execute(feeds, [...outputs]);
  const tensors = Array.isArray(result) ? result : [result];
  const out = tensors.map((t) => ({ shape: t.shape, data: Float32Array.from(t.dataSync()) }));
  tf.dispose([...tensors, ...Object.values(feeds)]);
  graph.dispose();
  return out;
}

/** Runs an ONNX model with onnxruntime-web (wasm EP, one thread) and returns the named outputs. */
export async function runOnnx(modelBytes: Uint8Array, inputs: Readonly<Record<string, HostTensor>>, outputs: readonly string[]): Promise<HostTensor[]> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(modelBytes, { executionProviders: ['wasm'] });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(inputs)) feeds[name] = new ort.Tensor('float32', t.data, t.shape);
    const result = await session.run(feeds, [...outputs]);
    return outputs.map((name) => {
      const t = result[name]!;
      return { shape: [...t.dims], data: Float32Array.from(t.data as Float32Array) };
    });
  } finally {
    await session.release();
  }
}

/** NCHW data → NHWC. */
export function nchwToNhwc(t: HostTensor): HostTensor {
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out[((b * h + y) * w + x) * c + ch] = t.data[((b * c + ch) * h + y) * w + x]!;
  return { shape: [n, h, w, c], data: out };
}

/** NHWC data → NCHW. */
export function nhwcToNchw(t: HostTensor): HostTensor {
  const [n, h, w, c] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) out[((b * c + ch) * h + y) * w + x] = t.data[((b * h + y) * w + x) * c + ch]!;
  return { shape: [n, c, h, w], data: out };
}

export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
