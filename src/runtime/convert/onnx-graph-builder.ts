/**
 * Accumulates ONNX nodes and initializers with unique value names, for converters that emit a graph
 * node by node.
 */
import { OnnxDataType } from './onnx-proto.ts';
import type { OnnxAttribute, OnnxNode, OnnxTensor } from './onnx-proto.ts';

export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();
  private readonly nodeNames = new Set<string>();

  /** Reserves `base`, or `base_1`, `base_2`… if taken, and returns the reserved name. */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds an initializer; its dtype follows the array type (Uint8Array = BOOL). Returns its value name. */
  addInitializer(baseName: string, dims: readonly number[], data: TensorData): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`initializer ${baseName}: ${data.length} values for dims [${dims.join(',')}]`);
    const name = this.uniqueName(baseName);
    this.initializers.push({ name, dataType: dataTypeOf(data), dims: [...dims], rawData: littleEndianBytes(data) });
    return name;
  }

  /** A float32 initializer. */
  float(baseName: string, dims: readonly number[], values: ArrayLike<number>): string {
    return this.addInitializer(baseName, dims, Float32Array.from(values));
  }

  /** A 1-D int64 initializer (shapes, axes, sizes). */
  int64s(baseName: string, values: readonly number[]): string {
    return this.addInitializer(baseName, [values.length], BigInt64Array.from(values, (v) => BigInt(v)));
  }

  /**
   * Adds a node named `name` (made unique among nodes) with `outputCount` outputs named after it; returns
   * the output names. `outputNames` overrides the generated names (they must be unused).
   */
  addNode(opType: string, inputs: readonly string[], name: string, attributes: OnnxAttribute[] = [], outputCount = 1, outputNames?: string[]): string[] {
    let nodeName = name;
    for (let i = 1; this.nodeNames.has(nodeName); i++) nodeName = `${name}_${i}`;
    this.nodeNames.add(nodeName);
    const outputs =
      outputNames?.map((n) => {
        if (this.used.has(n)) throw new Error(`ONNX value name "${n}" is already used`);
        this.used.add(n);
        return n;
      }) ?? Array.from({ length: outputCount }, (_, i) => this.uniqueName(outputCount === 1 ? nodeName : `${nodeName}:${i}`));
    this.nodes.push({ opType, inputs: [...inputs], outputs, name: nodeName, attributes });
    return outputs;
  }

  /** Renames a value everywhere (producer output and consumer inputs). */
  renameValue(from: string, to: string): void {
    if (this.used.has(to)) throw new Error(`ONNX value name "${to}" is already used`);
    this.used.add(to);
    const swap = (names: readonly string[]) => names.map((n) => (n === from ? to : n));
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i]!;
      this.nodes[i] = { ...node, inputs: swap(node.inputs), outputs: swap(node.outputs) };
    }
  }

  /** True if `name` is an output of some node (not an initializer or graph input). */
  isNodeOutput(name: string): boolean {
    return this.nodes.some((n) => n.outputs.includes(name));
  }
}

export const attr = {
  int: (name: string, i: number): OnnxAttribute => ({ name, type: 'INT', i }),
  ints: (name: string, ints: readonly number[]): OnnxAttribute => ({ name, type: 'INTS', ints }),
  float: (name: string, f: number): OnnxAttribute => ({ name, type: 'FLOAT', f }),
  string: (name: string, s: string): OnnxAttribute => ({ name, type: 'STRING', s }),
};

function dataTypeOf(data: TensorData): OnnxDataType {
  if (data instanceof Float32Array) return OnnxDataType.FLOAT;
  if (data instanceof Int32Array) return OnnxDataType.INT32;
  if (data instanceof BigInt64Array) return OnnxDataType.INT64;
  return OnnxDataType.BOOL;
}

/** The array's bytes in little-endian order (ONNX `raw_data` is little-endian whatever the host). */
function littleEndianBytes(data: TensorData): Uint8Array {
  const bytes = new Uint8Array(data.byteLength);
  if (data instanceof Uint8Array) {
    bytes.set(data);
    return bytes;
  }
  const view = new DataView(bytes.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else if (data instanceof Int32Array) data.forEach((v, i) => view.setInt32(i * 4, v, true));
  else data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return bytes;
}
