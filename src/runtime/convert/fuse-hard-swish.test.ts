/**
 * The hard swish pass on small ONNX graphs: every order of the three factors is rewritten, and the graph runs to the
 * same values in onnxruntime-web before and after; a pattern whose inner values are used elsewhere is left alone.
 * (tfjs-to-onnx.test.ts checks the pass on TF's own hard swish against TFJS.)
 */
import { describe, expect, it } from 'vitest';
import { fuseHardSwish } from './fuse-hard-swish.ts';
import { OnnxGraphBuilder } from './onnx-graph-builder.ts';
import { encodeOnnxModel } from './onnx-proto.ts';
import type { OnnxGraph } from './onnx-proto.ts';
import { maxAbsDifference, runOnnx } from './reference-runners.node.ts';
import { ONNX_IR_VERSION, ONNX_OPSET } from './tfjs-to-onnx.ts';

const SHAPE = [1, 2, 3, 4];
const K = 0.1666259765625;

type Order = 'x*k, relu6' | 'relu6*k, x' | 'x*relu6, k' | 'k*x, relu6 (operands swapped)';

/** x → Add(3) → Clip(0, 6) → two Muls in `order`; `extraOutput` also exposes the Clip's output. */
function hardSwishGraph(order: Order, extraOutput = false): OnnxGraph {
  const b = new OnnxGraphBuilder();
  const three = b.float('three', [], [3]);
  const lo = b.float('zero', [], [0]);
  const hi = b.float('six', [], [6]);
  const k = b.float('k', [], [K]);
  const [add] = b.addNode('Add', ['x', three], 'add');
  const [relu6] = b.addNode('Clip', [add!, lo, hi], 'relu6');
  const pairs: Record<Order, [[string, string], string]> = {
    'x*k, relu6': [['x', k], relu6!],
    'relu6*k, x': [[relu6!, k], 'x'],
    'x*relu6, k': [['x', relu6!], k],
    'k*x, relu6 (operands swapped)': [[k, 'x'], relu6!],
  };
  const [[p, q], third] = pairs[order];
  const [inner] = b.addNode('Mul', [p, q], 'mul');
  b.addNode('Mul', order.includes('swapped') ? [third, inner!] : [inner!, third], 'mul_1', [], 1, ['y']);
  const out = (name: string) => ({ name, elemType: 1 as const, shape: SHAPE });
  return { name: 'g', nodes: b.nodes, initializers: b.initializers, inputs: [out('x')], outputs: extraOutput ? [out('y'), out(relu6!)] : [out('y')] };
}

const bytes = (graph: OnnxGraph) =>
  encodeOnnxModel({ irVersion: ONNX_IR_VERSION, opsetImports: [{ domain: '', version: ONNX_OPSET }], producerName: 'test', producerVersion: '1', graph });

// Values on both sides of the clip's bounds (x + 3 below 0 and above 6).
const x = { shape: SHAPE, data: Float32Array.from({ length: 24 }, (_, i) => (i - 12) * 0.61) };

describe('fuseHardSwish', () => {
  it.each<Order>(['x*k, relu6', 'relu6*k, x', 'x*relu6, k', 'k*x, relu6 (operands swapped)'])('rewrites %s to HardSwish × 6k with the same values', async (order) => {
    const graph = hardSwishGraph(order);
    const { graph: fused, fused: count } = fuseHardSwish(graph);
    expect(count).toBe(1);
    expect(fused.nodes.map((n) => n.opType)).toEqual(['HardSwish', 'Mul']);
    expect(fused.nodes[1]!.outputs).toEqual(['y']);
    // Only the 6k scale is left of the constants.
    expect(fused.initializers).toHaveLength(1);
    expect(new Float32Array(fused.initializers[0]!.rawData.slice().buffer)[0]).toBe(Math.fround(6 * K));
    const [before] = await runOnnx(bytes(graph), { x }, ['y']);
    const [after] = await runOnnx(bytes(fused), { x }, ['y']);
    expect(maxAbsDifference(after!.data, before!.data)).toBeLessThanOrEqual(1e-6);
    // Both ends of the clip were exercised: some zeros, some values equal to x * 6k.
    expect(before!.data.some((v, i) => v === 0 && x.data[i]! < -3)).toBe(true);
    expect(before!.data.some((v, i) => x.data[i]! > 3 && Math.abs(v - x.data[i]! * 6 * K) < 1e-5)).toBe(true);
  });

  it('leaves the pattern alone when one of its inner values is also a graph output', () => {
    const graph = hardSwishGraph('x*k, relu6', true);
    const { graph: same, fused } = fuseHardSwish(graph);
    expect(fused).toBe(0);
    expect(same.nodes).toEqual(graph.nodes);
    expect(same.initializers.map((t) => t.name)).toEqual(graph.initializers.map((t) => t.name));
  });

  it('leaves a relu6 of x + 2 or a product of two tensors alone', () => {
    const graph = hardSwishGraph('x*k, relu6');
    const notThree = { ...graph, initializers: graph.initializers.map((t) => (t.name === 'three' ? { ...t, rawData: new Uint8Array(Float32Array.of(2).buffer) } : t)) };
    expect(fuseHardSwish(notThree).fused).toBe(0);
    const kIsInput = { ...graph, initializers: graph.initializers.filter((t) => t.name !== 'k'), inputs: [...graph.inputs, { name: 'k', elemType: 1 as const, shape: [] }] };
    expect(fuseHardSwish(kIsInput).fused).toBe(0);
  });
});
