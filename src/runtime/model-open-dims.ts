import type { OnnxModelSpec } from '../core/config/onnx-spec.ts';
import { type LoadedModel, loadModel, ModelLoadError, type LoadOptions, type OrtModule } from './model-session.ts';
import { sha256Hex } from './sha256.ts';
import { makeGraphDimsSymbolic } from './sot/onnx-symbolic-dims.ts';

/**
 * Dims the config leaves open (`None` or a name) become symbolic in the model before loading, so a graph exported
 * for one size also runs others (NanoTrack's backbone: exported at 255, also fed the 127 template; the features
 * graph of the default SOT tracker fed whole frames for DeepSORT).
 */
export function openDims(spec: OnnxModelSpec): Record<string, Record<number, string>> {
  const dims: Record<string, Record<number, string>> = {};
  for (const t of [...spec.inputs, ...spec.outputs]) {
    t.shape?.forEach((d, i) => {
      if (d === null || typeof d === 'string') (dims[t.name] ??= {})[i] = typeof d === 'string' ? d : `${t.name}_dim${i}`;
    });
  }
  return dims;
}

/** {@link loadModel} with the config's open dims made symbolic first; a pinned sha256 is checked on the file as read. */
export async function loadModelOpenDims(ort: OrtModule, bytes: Uint8Array, fileName: string, spec: OnnxModelSpec, options: LoadOptions): Promise<LoadedModel> {
  const dims = openDims(spec);
  if (Object.keys(dims).length === 0) return loadModel(ort, bytes, fileName, spec, options);
  // A pinned sha256 is the file's as distributed: check it before the in-memory edit.
  if (spec.sha256) {
    const actual = await sha256Hex(bytes);
    if (actual !== spec.sha256) throw new ModelLoadError(fileName, [`sha256 is ${actual}, the config (onnx.${spec.role}.sha256) pins ${spec.sha256}`]);
  }
  const { sha256: _pin, ...unpinned } = spec;
  let edited: Uint8Array;
  try {
    edited = makeGraphDimsSymbolic(bytes, dims);
  } catch (err) {
    // A name or dim the config expects is not in the graph: the same kind of mismatch loadModel reports.
    throw new ModelLoadError(fileName, [`onnx.${spec.role}: ${err instanceof Error ? err.message.replace(/^ONNX model: /, '') : String(err)} (the config leaves its dims open)`]);
  }
  return loadModel(ort, edited, fileName, unpinned, options);
}
