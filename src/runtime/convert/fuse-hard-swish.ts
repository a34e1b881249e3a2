/**
 * A graph pass after the op-by-op conversion: TF's hard swish, `x * relu6(x + 3) * k`, becomes ONNX's `HardSwish`.
 *
 * Why: converted node by node, MobileNetV3's hard swish is four elementwise nodes (Add, Clip, Mul, Mul), four passes
 * over tensors as large as 16x256x256, and ORT's wasm EP spent ~40 ms of a ~265 ms CenterNet run on them. `HardSwish`
 * (opset 14: `x * clamp(x / 6 + 1/2, 0, 1)`) does the same in ORT's two fused passes; the WebGPU EP has it as one op.
 *
 * `k` is 1/6 in TF's code, but human's weights store it as float16 (0.16662598), so the rewrite keeps the exact
 * scale: `x * relu6(x + 3) * k = HardSwish(x) * 6k`, i.e. `HardSwish` then a `Mul` by `6k` (left out when 6k is 1).
 * The three factors may be multiplied in any order ((x·k)·relu6, (relu6·k)·x, (x·relu6)·k): all are matched. Values
 * the rewrite removes must have no other consumer and must not be graph outputs, otherwise the graph is left as it is.
 */
import type { OnnxGraph, OnnxNode, OnnxTensor } from './onnx-proto.ts';
import { OnnxDataType } from './onnx-proto.ts';

export interface FuseHardSwishResult {
  graph: OnnxGraph;
  /** How many hard swishes were rewritten. */
  fused: number;
}

export function fuseHardSwish(graph: OnnxGraph): FuseHardSwishResult {
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const producer = new Map<string, OnnxNode>();
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of graph.nodes) {
    for (const o of n.outputs) producer.set(o, n);
    for (const i of n.inputs) {
      const list = consumers.get(i);
      if (list) list.push(n);
      else consumers.set(i, [n]);
    }
  }
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const scalar = (name: string): number | undefined => scalarValue(initializers.get(name));
  /** The node producing `value`, when `value` feeds only `consumer` and is not a graph output. */
  const privateProducer = (value: string, consumer: OnnxNode): OnnxNode | undefined => {
    const users = consumers.get(value) ?? [];
    if (graphOutputs.has(value) || users.length !== 1 || users[0] !== consumer) return undefined;
    return producer.get(value);
  };

  const removed = new Set<OnnxNode>();
  const replaced = new Map<OnnxNode, OnnxNode[]>();
  const added: OnnxTensor[] = [];
  const usedNames = new Set([...graph.initializers.map((t) => t.name), ...graph.nodes.flatMap((n) => n.outputs), ...graph.inputs.map((i) => i.name)]);
  const freshName = (base: string) => {
    let name = base;
    for (let i = 1; usedNames.has(name); i++) name = `${base}_${i}`;
    usedNames.add(name);
    return name;
  };

  for (const outer of graph.nodes) {
    if (outer.opType !== 'Mul' || outer.inputs.length !== 2 || removed.has(outer)) continue;
    // 1. The outer Mul's operands: one is an inner Mul of two of the three factors, the other the third factor.
    for (const side of [0, 1] as const) {
      const inner = privateProducer(outer.inputs[side]!, outer);
      if (!inner || inner.opType !== 'Mul' || inner.inputs.length !== 2 || removed.has(inner) || replaced.has(inner)) continue;
      const factors = [inner.inputs[0]!, inner.inputs[1]!, outer.inputs[1 - side]!];
      // 2. Exactly one factor is a scalar constant k, one is relu6(x + 3) (a Clip of an Add), and the last is x.
      const kIndex = factors.findIndex((f) => scalar(f) !== undefined);
      if (kIndex < 0 || factors.filter((f) => scalar(f) !== undefined).length !== 1) continue;
      const k = scalar(factors[kIndex]!)!;
      const rest = factors.filter((_, i) => i !== kIndex);
      const match = matchRelu6Plus3(rest[0]!, rest[1]!, scalar, producer, consumers, graphOutputs, inner, outer) ?? matchRelu6Plus3(rest[1]!, rest[0]!, scalar, producer, consumers, graphOutputs, inner, outer);
      if (!match) continue;
      // 3. HardSwish(x) * 6k, producing the outer Mul's output.
      const scale = Math.fround(6 * k);
      const out = outer.outputs[0]!;
      const nodes: OnnxNode[] = [];
      if (scale === 1) nodes.push({ opType: 'HardSwish', inputs: [match.x], outputs: [out], name: `${outer.name}/hard_swish` });
      else {
        const hs = freshName(`${outer.name}/hard_swish`);
        const scaleName = freshName(`${outer.name}/hard_swish_scale`);
        added.push({ name: scaleName, dataType: OnnxDataType.FLOAT, dims: [], rawData: new Uint8Array(Float32Array.of(scale).buffer) });
        nodes.push({ opType: 'HardSwish', inputs: [match.x], outputs: [hs], name: hs }, { opType: 'Mul', inputs: [hs, scaleName], outputs: [out], name: outer.name });
      }
      for (const n of [match.add, match.clip, inner]) removed.add(n);
      replaced.set(outer, nodes);
      break;
    }
  }

  const nodes = graph.nodes.filter((n) => !removed.has(n)).flatMap((n) => replaced.get(n) ?? [n]);
  const stillUsed = new Set(nodes.flatMap((n) => n.inputs));
  const keep = (t: OnnxTensor) => stillUsed.has(t.name);
  return { graph: { ...graph, nodes, initializers: [...graph.initializers.filter(keep), ...added] }, fused: replaced.size };
}

/** `relu6` is `Clip(Add(x, 3), 0, 6)` (either operand order in the Add) and `x` the other factor. */
function matchRelu6Plus3(
  relu6: string,
  x: string,
  scalar: (name: string) => number | undefined,
  producer: ReadonlyMap<string, OnnxNode>,
  consumers: ReadonlyMap<string, OnnxNode[]>,
  graphOutputs: ReadonlySet<string>,
  inner: OnnxNode,
  outer: OnnxNode,
): { x: string; add: OnnxNode; clip: OnnxNode } | undefined {
  const clip = producer.get(relu6);
  if (!clip || clip.opType !== 'Clip' || clip.inputs.length !== 3 || scalar(clip.inputs[1]!) !== 0 || scalar(clip.inputs[2]!) !== 6) return undefined;
  const clipUsers = consumers.get(relu6) ?? [];
  if (graphOutputs.has(relu6) || clipUsers.length !== 1 || (clipUsers[0] !== inner && clipUsers[0] !== outer)) return undefined;
  const add = producer.get(clip.inputs[0]!);
  const addUsers = consumers.get(clip.inputs[0]!) ?? [];
  if (!add || add.opType !== 'Add' || graphOutputs.has(clip.inputs[0]!) || addUsers.length !== 1) return undefined;
  const [a, b] = add.inputs;
  const addend = scalar(a!) === 3 ? b : scalar(b!) === 3 ? a : undefined;
  return addend === x ? { x, add, clip } : undefined;
}

/** The value of a one-element float32 initializer. */
function scalarValue(t: OnnxTensor | undefined): number | undefined {
  if (!t || t.dataType !== OnnxDataType.FLOAT || t.rawData.length !== 4 || t.dims.some((d) => d !== 1)) return undefined;
  return new DataView(t.rawData.buffer, t.rawData.byteOffset, 4).getFloat32(0, true);
}
