/**
 * Values flowing through a TF → ONNX conversion, and the layout bookkeeping that lets the converted graph
 * run in NCHW (ONNX's convolution layout) while TF's graph is NHWC.
 *
 * Every TF tensor keeps its TF shape. A rank-4 activation may exist in ONNX in TF layout (`plainName`,
 * NHWC) and/or transposed to NCHW (`nchwName`, = transpose(tf, [0, 3, 1, 2])); a converter asks for the
 * form it needs and a Transpose is inserted (once per value) only where the graph switches form. Constants
 * are materialised as initializers on first use, already in the requested layout.
 */
import { attr } from './onnx-graph-builder.ts';
import type { OnnxGraphBuilder } from './onnx-graph-builder.ts';
import type { ConstTensor } from './tfjs-weights.ts';

export type TfDtype = ConstTensor['dtype'];

export interface TfValue {
  /** TF's shape of the tensor (NHWC for images). */
  shape: number[];
  dtype: TfDtype;
  /** Known at conversion time (a TF Const). */
  constant?: ConstTensor;
  /** ONNX value holding the tensor in TF layout. */
  plainName?: string;
  /** ONNX value holding the rank-4 tensor transposed to NCHW. */
  nchwName?: string;
  /** Base for names derived from this value. */
  label: string;
}

/** NHWC → NCHW, and its inverse. */
export const TO_NCHW = [0, 3, 1, 2] as const;
export const TO_NHWC = [0, 2, 3, 1] as const;
/** Position of TF (NHWC) axis a in NCHW: 0→0, 1→2, 2→3, 3→1. */
export const NHWC_AXIS_IN_NCHW = [0, 2, 3, 1] as const;

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major transpose of `data` with `shape` by `perm` (out dim i = in dim perm[i]). */
export function transposeData<T extends Float32Array | Int32Array | Uint8Array>(data: T, shape: readonly number[], perm: readonly number[]): T {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = stridesOf(shape);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < data.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += index[d]! * inStrides[perm[d]!]!;
    out[o] = data[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d]! < outShape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  return strides;
}

/** NumPy/TF broadcasting of two shapes; undefined if incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Materialises values in the layout a converter asks for. */
export class LayoutResolver {
  constructor(private readonly b: OnnxGraphBuilder) {}

  /** The value in TF layout. */
  plain(v: TfValue): string {
    if (v.plainName !== undefined) return v.plainName;
    if (v.constant) {
      v.plainName = this.b.addInitializer(v.label, v.constant.shape, v.constant.data);
    } else {
      v.plainName = this.b.addNode('Transpose', [v.nchwName!], `${v.label}/to_nhwc`, [attr.ints('perm', TO_NHWC)])[0]!;
    }
    return v.plainName;
  }

  /** The rank-4 value in NCHW. */
  nchw(v: TfValue): string {
    if (v.shape.length !== 4) throw new Error(`${v.label}: NCHW form asked of a rank-${v.shape.length} tensor`);
    if (v.nchwName !== undefined) return v.nchwName;
    if (v.constant) {
      const c = v.constant;
      v.nchwName = this.b.addInitializer(`${v.label}/nchw`, TO_NCHW.map((p) => c.shape[p]!), transposeData(c.data, c.shape, TO_NCHW));
    } else {
      v.nchwName = this.b.addNode('Transpose', [v.plainName!], `${v.label}/to_nchw`, [attr.ints('perm', TO_NCHW)])[0]!;
    }
    return v.nchwName;
  }

  /** True if the value already exists in NCHW at run time (so NCHW consumers need no Transpose). */
  isNchw(v: TfValue): boolean {
    return v.nchwName !== undefined && !v.constant;
  }

  /**
   * `v` as an operand broadcast against a rank-4 NCHW tensor: TF broadcasts it against NHWC, so its shape
   * is left-padded to rank 4 and permuted like the tensor. A single-element operand stays a scalar.
   */
  nchwBroadcastOperand(v: TfValue): string {
    if (v.shape.length === 4) return this.nchw(v);
    if (v.shape.length > 4) throw new Error(`${v.label}: rank-${v.shape.length} operand broadcast against a rank-4 tensor`);
    if (elementCount(v.shape) === 1) return this.plain(v);
    const shape4 = [...new Array<number>(4 - v.shape.length).fill(1), ...v.shape];
    if (v.constant) {
      const c = v.constant;
      return this.b.addInitializer(`${v.label}/nchw`, TO_NCHW.map((p) => shape4[p]!), transposeData(c.data, shape4, TO_NCHW));
    }
    const reshaped = this.b.addNode('Reshape', [this.plain(v), this.b.int64s(`${v.label}/shape4`, shape4)], `${v.label}/rank4`)[0]!;
    return this.b.addNode('Transpose', [reshaped], `${v.label}/to_nchw`, [attr.ints('perm', TO_NCHW)])[0]!;
  }
}
