/**
 * Decoding of TFJS weight shards: the manifest's weights lie back to back in the concatenation of each
 * group's `paths`, in manifest order. Quantised weights are dequantised to their original dtype:
 * `float16` exactly, `uint8`/`uint16` affinely (`q · scale + min`, rounded for int32 originals).
 * Reference: tfjs-core/src/io/io_utils.ts (`decodeWeights`).
 */
import { decodeFloat16 } from './float16.ts';
import { ModelConversionError } from './model-conversion-error.ts';
import type { TfWeightSpec, TfWeightsGroup } from './tfjs-graph-model.ts';

/** A decoded constant: row-major data in TF's own layout. */
export type ConstTensor =
  | { dtype: 'float32'; shape: number[]; data: Float32Array }
  | { dtype: 'int32'; shape: number[]; data: Int32Array }
  | { dtype: 'bool'; shape: number[]; data: Uint8Array };

/**
 * Decodes every weight of `manifest`. `groupBytes[g]` is the concatenation of group g's shard files
 * (`manifest[g].paths`, in order). `fileName` labels errors.
 */
export function decodeTfjsWeights(manifest: readonly TfWeightsGroup[], groupBytes: readonly Uint8Array[], fileName: string): Map<string, ConstTensor> {
  if (groupBytes.length !== manifest.length) {
    throw new ModelConversionError(`${fileName}: ${manifest.length} weight groups in the manifest, ${groupBytes.length} given`);
  }
  const out = new Map<string, ConstTensor>();
  manifest.forEach((group, g) => {
    const bytes = groupBytes[g]!;
    let offset = 0;
    for (const spec of group.weights) {
      const size = weightByteSize(spec, fileName);
      if (offset + size > bytes.length) {
        throw new ModelConversionError(
          `${fileName}: weight "${spec.name}" needs bytes ${offset}..${offset + size} but ${group.paths.join(' + ')} has ${bytes.length} bytes`,
        );
      }
      out.set(spec.name, decodeWeight(spec, bytes, offset));
      offset += size;
    }
    if (offset !== bytes.length) {
      throw new ModelConversionError(`${fileName}: the manifest describes ${offset} bytes but ${group.paths.join(' + ')} has ${bytes.length}`);
    }
  });
  return out;
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function weightByteSize(spec: TfWeightSpec, fileName: string): number {
  const n = elementCount(spec.shape);
  if (spec.quantization) {
    const bytesPer = { uint8: 1, uint16: 2, float16: 2 }[spec.quantization.dtype] as number | undefined;
    if (bytesPer === undefined) throw new ModelConversionError(`${fileName}: weight "${spec.name}": unknown quantization dtype ${spec.quantization.dtype}`);
    return n * bytesPer;
  }
  switch (spec.dtype) {
    case 'float32':
    case 'int32':
      return n * 4;
    case 'bool':
      return n;
    default:
      throw new ModelConversionError(`${fileName}: weight "${spec.name}" has dtype ${spec.dtype}, which this converter does not support`);
  }
}

function decodeWeight(spec: TfWeightSpec, bytes: Uint8Array, offset: number): ConstTensor {
  const n = elementCount(spec.shape);
  const shape = [...spec.shape];
  const q = spec.quantization;
  if (q?.dtype === 'float16') {
    if (spec.dtype !== 'float32') throw new ModelConversionError(`weight "${spec.name}": float16 quantization of a ${spec.dtype} weight`);
    return { dtype: 'float32', shape, data: decodeFloat16(bytes, offset, n) };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  if (q) {
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    const read = q.dtype === 'uint8' ? (i: number) => view.getUint8(i) : (i: number) => view.getUint16(i * 2, true);
    if (spec.dtype === 'int32') {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = Math.round(read(i) * scale + min);
      return { dtype: 'int32', shape, data };
    }
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = read(i) * scale + min;
    return { dtype: 'float32', shape, data };
  }
  switch (spec.dtype) {
    case 'float32': {
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(i * 4, true);
      return { dtype: 'float32', shape, data };
    }
    case 'int32': {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt32(i * 4, true);
      return { dtype: 'int32', shape, data };
    }
    default:
      return { dtype: 'bool', shape, data: bytes.slice(offset, offset + n) };
  }
}
