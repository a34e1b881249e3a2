import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-web';
import { checkOnnxIo, type OnnxModelSpec, type OnnxTensorInfo } from '../core/config/onnx-spec.ts';
import { sha256Hex } from './sha256.ts';

/** The onnxruntime module in use: `onnxruntime-web/webgpu` in the browser, `onnxruntime-web` (wasm) in Node. */
export interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
}

/** The part of an onnxruntime module that builds input tensors (Node's and the browser's builds both fit). */
export interface OrtTensorModule {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
}

/** `cpu`: onnxruntime-node's native CPU EP (the CLI); the browser has `webgpu` and `wasm`. */
export type ExecutionProvider = 'webgpu' | 'wasm' | 'cpu';

/** A model that loaded and matches what its config expects. */
export interface LoadedModel {
  role: string;
  fileName: string;
  sha256: string;
  bytes: number;
  session: InferenceSession;
  ep: ExecutionProvider;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
}

/** A model file that can't be used: names the file and lists every problem. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
  constructor(
    readonly fileName: string,
    readonly problems: string[],
  ) {
    super(`${fileName}: ${problems.join('; ')}`);
  }
}

/** Inputs/outputs of a session as the config checker sees them. */
export function sessionIo(session: InferenceSession): { inputs: OnnxTensorInfo[]; outputs: OnnxTensorInfo[] } {
  const convert = (m: InferenceSession.ValueMetadata): OnnxTensorInfo =>
    m.isTensor ? { name: m.name, dtype: m.type, shape: m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : String(d))) } : { name: m.name, dtype: 'non-tensor', shape: [] };
  return { inputs: session.inputMetadata.map(convert), outputs: session.outputMetadata.map(convert) };
}

export interface LoadOptions {
  /** Tried in order; the first that creates a session wins. */
  providers: ExecutionProvider[];
  /** Keep outputs on the GPU (`gpu-buffer`) so our kernels read them without a download. */
  outputsOnGpu?: boolean;
}

/**
 * Creates a session for one `onnx` entry of a config and checks the model's inputs/outputs against it, so a wrong
 * file fails with the differences instead of producing garbage. Also checks `sha256` when the config pins one.
 */
export async function loadModel(ort: OrtModule, bytes: Uint8Array, fileName: string, spec: OnnxModelSpec, opts: LoadOptions): Promise<LoadedModel> {
  const sha256 = await sha256Hex(bytes);
  if (spec.sha256 && spec.sha256 !== sha256) throw new ModelLoadError(fileName, [`sha256 is ${sha256}, the config (onnx.${spec.role}.sha256) pins ${spec.sha256}`]);
  const failures: string[] = [];
  for (const ep of opts.providers) {
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: [ep],
        graphOptimizationLevel: 'all',
        ...(ep === 'webgpu' && opts.outputsOnGpu ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/protobuf|parse|invalid model|Can't create a session|failed to load model/i.test(message) && !/webgpu/i.test(message)) {
        throw new ModelLoadError(fileName, [`not a valid ONNX model (${message.split('\n')[0]})`]);
      }
      failures.push(`${ep}: ${message.split('\n')[0]}`);
      continue;
    }
    const io = sessionIo(session);
    const problems = checkOnnxIo(spec, io);
    if (problems.length) {
      await session.release();
      throw new ModelLoadError(fileName, problems);
    }
    return { role: spec.role, fileName, sha256, bytes: bytes.byteLength, session, ep, ...io };
  }
  throw new ModelLoadError(fileName, [`no execution provider could run it (${failures.join('; ')})`]);
}
