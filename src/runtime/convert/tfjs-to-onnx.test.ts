/**
 * Each op mapping in isolation: a one- or few-node TFJS graph model with seeded random weights runs in
 * `@tensorflow/tfjs` (CPU) and, converted, in onnxruntime-web; outputs must agree to float32 rounding.
 */
import { describe, expect, it } from 'vitest';
import { convertTfjsGraphModel } from './tfjs-to-onnx.ts';
import type { TfjsToOnnxOptions } from './tfjs-to-onnx.ts';
import { encodeOnnxModel } from './onnx-proto.ts';
import { decodeTfjsWeights } from './tfjs-weights.ts';
import { ModelConversionError } from './model-conversion-error.ts';
import { maxAbsDifference, nchwToNhwc, nhwcToNchw, runOnnx, runTfjsReference } from './reference-runners.node.ts';
import { seededRandom } from '../../core/ops/seeded-random.ts';
import type { HostTensor } from './reference-runners.node.ts';
import type { TfAttrValue, TfNode, TfWeightSpec, TfjsGraphModel } from './tfjs-graph-model.ts';

/** Deterministic pseudo-random numbers in [-1, 1) (the project's mulberry32). */
function random(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() * 2 - 1;
}

const b64 = (s: string) => btoa(s);
const a = {
  s: (v: string): TfAttrValue => ({ s: b64(v) }),
  ints: (v: number[]): TfAttrValue => ({ list: { i: v.map(String) } }),
  strings: (v: string[]): TfAttrValue => ({ list: { s: v.map(b64) } }),
  i: (v: number): TfAttrValue => ({ i: String(v) }),
  b: (v: boolean): TfAttrValue => ({ b: v }),
  f: (v: number): TfAttrValue => ({ f: v }),
  float: { type: 'DT_FLOAT' } as TfAttrValue,
};

interface ConstSpec {
  name: string;
  shape: number[];
  dtype?: 'float32' | 'int32';
  /** Values; random in [-1, 1) when omitted. */
  values?: number[];
}

interface GraphSpec {
  inputs: { name: string; shape: number[] }[];
  consts?: ConstSpec[];
  nodes: TfNode[];
}

/** A TFJS graph model with float32/int32 weights in one shard. */
function buildModel(spec: GraphSpec, seed = 1): { model: TfjsGraphModel; weights: Uint8Array } {
  const rand = random(seed);
  const weightSpecs: TfWeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  const constNodes: TfNode[] = [];
  for (const c of spec.consts ?? []) {
    const n = c.shape.reduce((x, y) => x * y, 1);
    const values = c.values ?? Array.from({ length: n }, rand);
    const dtype = c.dtype ?? 'float32';
    chunks.push(new Uint8Array((dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values)).buffer));
    weightSpecs.push({ name: c.name, shape: c.shape, dtype });
    constNodes.push({ name: c.name, op: 'Const', attr: { dtype: { type: dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT' } } });
  }
  const placeholders: TfNode[] = spec.inputs.map((i) => ({
    name: i.name,
    op: 'Placeholder',
    attr: { dtype: a.float, shape: { shape: { dim: i.shape.map((d) => ({ size: String(d) })) } } },
  }));
  const weights = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((o, c) => (weights.set(c, o), o + c.length), 0);
  return {
    model: {
      format: 'graph-model',
      modelTopology: { node: [...placeholders, ...constNodes, ...spec.nodes], versions: { producer: 1 } },
      weightsManifest: [{ paths: ['w.bin'], weights: weightSpecs }],
    },
    weights,
  };
}

function randomTensor(shape: number[], seed: number, scale = 1): HostTensor {
  const rand = random(seed);
  return { shape, data: Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => rand() * scale) };
}

/**
 * Converts and runs `spec` both ways on random inputs; returns max |ONNX − TFJS| per output, after
 * checking shapes. Rank-4 inputs/outputs cross the ONNX boundary in NCHW (or NHWC with `imageLayout`).
 */
async function compare(spec: GraphSpec, outputs: string[], imageLayout: TfjsToOnnxOptions['imageLayout'] = 'nchw'): Promise<number[]> {
  const { model, weights } = buildModel(spec);
  const decoded = decodeTfjsWeights(model.weightsManifest, [weights], 'test');
  const result = convertTfjsGraphModel(model, decoded, { outputs: outputs.map((o, i) => ({ tf: o, onnx: `out${i}` })), imageLayout });
  const inputs = Object.fromEntries(spec.inputs.map((i, k) => [i.name, randomTensor(i.shape, 100 + k, 3)]));
  const onnxInputs = Object.fromEntries(
    Object.entries(inputs).map(([n, t]) => [n, t.shape.length === 4 && imageLayout === 'nchw' ? nhwcToNchw(t) : t]),
  );
  const onnx = await runOnnx(encodeOnnxModel(result.model), onnxInputs, outputs.map((_, i) => `out${i}`));
  const tfjs = await runTfjsReference(model, weights, inputs, outputs);
  return tfjs.map((ref, i) => {
    const got = ref.shape.length === 4 && imageLayout === 'nchw' ? nchwToNhwc(onnx[i]!) : onnx[i]!;
    expect(got.shape, `shape of ${outputs[i]}`).toEqual(ref.shape);
    expect(result.outputs[i]!.shape, `declared shape of ${outputs[i]}`).toEqual(onnx[i]!.shape);
    return maxAbsDifference(got.data, ref.data);
  });
}

const TOLERANCE = 1e-5;

function convNode(op: string, name: string, inputs: string[], attrs: Record<string, TfAttrValue>): TfNode {
  return { name, op, input: inputs, attr: { T: a.float, data_format: a.s('NHWC'), dilations: a.ints([1, 1, 1, 1]), ...attrs } };
}

describe('TF op → ONNX mappings against TFJS', () => {
  it.each([
    { padding: 'SAME', stride: 1, size: [7, 9], kernel: 3, fused: ['BiasAdd', 'Relu'] },
    { padding: 'SAME', stride: 2, size: [8, 7], kernel: 3, fused: ['BiasAdd'] },
    { padding: 'SAME', stride: 2, size: [9, 10], kernel: 5, fused: ['BiasAdd', 'Relu6'] },
    { padding: 'VALID', stride: 1, size: [6, 5], kernel: 3, fused: ['BiasAdd', 'Elu'] },
    { padding: 'VALID', stride: 2, size: [7, 7], kernel: 1, fused: ['BiasAdd', 'Sigmoid'] },
    { padding: 'SAME', stride: 1, size: [6, 6], kernel: 1, fused: [] },
  ])('_FusedConv2D $padding stride $stride $size k$kernel [$fused]', async ({ padding, stride, size, kernel, fused }) => {
    const [diff] = await compare(
      {
        inputs: [{ name: 'x', shape: [1, size[0]!, size[1]!, 3] }],
        consts: [
          { name: 'w', shape: [kernel, kernel, 3, 4] },
          { name: 'b', shape: [4] },
        ],
        nodes: [
          convNode('_FusedConv2D', 'conv', fused.length ? ['x', 'w', 'b'] : ['x', 'w'], {
            strides: a.ints([1, stride, stride, 1]),
            padding: a.s(padding),
            fused_ops: a.strings(fused),
            num_args: a.i(fused.length ? 1 : 0),
            epsilon: a.f(0),
          }),
        ],
      },
      ['conv'],
    );
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('_FusedConv2D with LeakyRelu (leakyrelu_alpha) and Prelu', async () => {
    const attrs = { strides: a.ints([1, 1, 1, 1]), padding: a.s('SAME'), num_args: a.i(1) };
    const diffs = await compare(
      {
        inputs: [{ name: 'x', shape: [1, 5, 5, 2] }],
        consts: [
          { name: 'w', shape: [3, 3, 2, 3] },
          { name: 'b', shape: [3] },
          { name: 'alpha', shape: [3] },
        ],
        nodes: [
          convNode('_FusedConv2D', 'leaky', ['x', 'w', 'b'], { ...attrs, fused_ops: a.strings(['BiasAdd', 'LeakyRelu']), leakyrelu_alpha: a.f(0.3) }),
          convNode('_FusedConv2D', 'prelu', ['x', 'w', 'b', 'alpha'], { ...attrs, fused_ops: a.strings(['BiasAdd', 'Prelu']), num_args: a.i(2) }),
        ],
      },
      ['leaky', 'prelu'],
    );
    for (const d of diffs) expect(d).toBeLessThanOrEqual(TOLERANCE);
  });

  it('Conv2D with dilation 2 (SAME) and with EXPLICIT padding', async () => {
    const diffs = await compare(
      {
        inputs: [{ name: 'x', shape: [1, 9, 8, 3] }],
        consts: [{ name: 'w', shape: [3, 3, 3, 2] }],
        nodes: [
          convNode('Conv2D', 'dilated', ['x', 'w'], { strides: a.ints([1, 1, 1, 1]), padding: a.s('SAME'), dilations: a.ints([1, 2, 2, 1]) }),
          convNode('Conv2D', 'explicit', ['x', 'w'], {
            strides: a.ints([1, 2, 2, 1]),
            padding: a.s('EXPLICIT'),
            explicit_paddings: a.ints([0, 0, 1, 2, 0, 1, 0, 0]),
          }),
        ],
      },
      ['dilated', 'explicit'],
    );
    for (const d of diffs) expect(d).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each([
    { op: 'DepthwiseConv2dNative', stride: 1, multiplier: 1, padding: 'SAME', fused: [] as string[] },
    { op: 'DepthwiseConv2dNative', stride: 2, multiplier: 2, padding: 'SAME', fused: [] as string[] },
    { op: 'FusedDepthwiseConv2dNative', stride: 2, multiplier: 1, padding: 'SAME', fused: ['BiasAdd', 'Relu'] },
    { op: 'FusedDepthwiseConv2dNative', stride: 1, multiplier: 3, padding: 'VALID', fused: ['BiasAdd'] },
  ])('$op stride $stride multiplier $multiplier $padding [$fused]', async ({ op, stride, multiplier, padding, fused }) => {
    const [diff] = await compare(
      {
        inputs: [{ name: 'x', shape: [1, 8, 7, 4] }],
        consts: [
          { name: 'w', shape: [3, 3, 4, multiplier] },
          { name: 'b', shape: [4 * multiplier] },
        ],
        nodes: [
          convNode(op, 'dw', fused.length ? ['x', 'w', 'b'] : ['x', 'w'], {
            strides: a.ints([1, stride, stride, 1]),
            padding: a.s(padding),
            ...(fused.length ? { fused_ops: a.strings(fused), num_args: a.i(1) } : {}),
          }),
        ],
      },
      ['dw'],
    );
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('MaxPool 3x3/1 SAME and AvgPool 3x3/2 SAME (padding not counted) and 2x2/2 VALID', async () => {
    const pool = (op: string, name: string, k: number, s: number, padding: string): TfNode => ({
      name,
      op,
      input: ['x'],
      attr: { T: a.float, data_format: a.s('NHWC'), ksize: a.ints([1, k, k, 1]), strides: a.ints([1, s, s, 1]), padding: a.s(padding) },
    });
    const diffs = await compare(
      {
        inputs: [{ name: 'x', shape: [1, 7, 8, 3] }],
        nodes: [pool('MaxPool', 'max', 3, 1, 'SAME'), pool('AvgPool', 'avg', 3, 2, 'SAME'), pool('AvgPool', 'avgv', 2, 2, 'VALID')],
      },
      ['max', 'avg', 'avgv'],
    );
    for (const d of diffs) expect(d).toBeLessThanOrEqual(TOLERANCE);
  });

  it('elementwise ops with scalar, per-channel [C], [1,1,1,C] and [H,W,1] constants and activation pairs', async () => {
    const bin = (op: string, name: string, x: string, y: string): TfNode => ({ name, op, input: [x, y], attr: { T: a.float } });
    const un = (op: string, name: string, x: string): TfNode => ({ name, op, input: [x], attr: { T: a.float } });
    const diffs = await compare(
      {
        inputs: [
          { name: 'x', shape: [1, 4, 5, 3] },
          { name: 'y', shape: [1, 4, 5, 3] },
        ],
        consts: [
          { name: 'w', shape: [1, 1, 3, 3] },
          { name: 'scalar', shape: [], values: [1 / 6] },
          { name: 'channel', shape: [3] },
          { name: 'channel4', shape: [1, 1, 1, 3] },
          { name: 'spatial', shape: [4, 5, 1] },
        ],
        nodes: [
          // A conv first, so the elementwise ops see an NCHW activation as in a real network.
          convNode('Conv2D', 'c', ['x', 'w'], { strides: a.ints([1, 1, 1, 1]), padding: a.s('SAME') }),
          bin('Mul', 'mul', 'scalar', 'c'),
          bin('AddV2', 'add', 'c', 'channel'),
          bin('Sub', 'sub', 'channel4', 'c'),
          bin('RealDiv', 'div', 'c', 'spatial'),
          bin('Maximum', 'max', 'c', 'y'),
          bin('Minimum', 'min', 'y', 'c'),
          bin('BiasAdd', 'bias', 'c', 'channel'),
          un('Relu6', 'relu6', 'add'),
          un('Relu', 'relu', 'sub'),
          un('Sigmoid', 'sigmoid', 'mul'),
          un('Tanh', 'tanh', 'mul'),
          // And ops on the plain (NHWC) graph input.
          bin('Add', 'plain_add', 'y', 'channel'),
        ],
      },
      ['mul', 'add', 'sub', 'div', 'max', 'min', 'bias', 'relu6', 'relu', 'sigmoid', 'tanh', 'plain_add'],
    );
    for (const d of diffs) expect(d).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each([
    // human's weights store 1/6 as float16: HardSwish then a Mul by 6k keeps that scale exactly.
    { k: 0.1666259765625, ops: ['Conv', 'HardSwish', 'Mul'] },
    // float32(1/6) * 6 rounds to 1: no Mul.
    { k: 1 / 6, ops: ['Conv', 'HardSwish'] },
  ])('hard swish as MobileNetV3 writes it (k = $k) becomes $ops', async ({ k, ops }) => {
    const bin = (op: string, name: string, x: string, y: string): TfNode => ({ name, op, input: [x, y], attr: { T: a.float } });
    const spec: GraphSpec = {
      inputs: [{ name: 'x', shape: [1, 5, 6, 3] }],
      consts: [
        { name: 'w', shape: [1, 1, 3, 4] },
        { name: 'three', shape: [], values: [3] },
        { name: 'k', shape: [], values: [k] },
      ],
      nodes: [
        convNode('Conv2D', 'c', ['x', 'w'], { strides: a.ints([1, 1, 1, 1]), padding: a.s('SAME') }),
        bin('AddV2', 'hard_swish/add', 'c', 'three'),
        { name: 'hard_swish/Relu6', op: 'Relu6', input: ['hard_swish/add'], attr: { T: a.float } },
        bin('Mul', 'hard_swish/mul', 'k', 'c'),
        bin('Mul', 'hard_swish/mul_1', 'hard_swish/mul', 'hard_swish/Relu6'),
      ],
    };
    const [diff] = await compare(spec, ['hard_swish/mul_1']);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
    const { model, weights } = buildModel(spec);
    const r = convertTfjsGraphModel(model, decodeTfjsWeights(model.weightsManifest, [weights], 'test'), { outputs: [{ tf: 'hard_swish/mul_1', onnx: 'y' }], imageLayout: 'nchw' });
    expect(r.model.graph.nodes.map((n) => n.opType)).toEqual(ops);
    expect(r.model.graph.nodes.at(-1)!.outputs).toEqual(['y']);
    // The 3 and the clip bounds are gone with the nodes that used them.
    expect(r.model.graph.initializers.map((t) => t.dims.length === 0 ? 'scalar' : t.name)).toEqual(ops.length === 3 ? ['c/weights_oihw', 'scalar'] : ['c/weights_oihw']);
  });

  it('Mean over H, W with and without keep_dims, and ConcatV2 on channels (axis 3 and -1)', async () => {
    const diffs = await compare(
      {
        inputs: [
          { name: 'x', shape: [1, 6, 5, 3] },
          { name: 'y', shape: [1, 6, 5, 2] },
        ],
        consts: [
          { name: 'hw', shape: [2], dtype: 'int32', values: [1, 2] },
          { name: 'w', shape: [1, 1, 3, 3] },
          { name: 'axis', shape: [], dtype: 'int32', values: [3] },
          { name: 'last', shape: [], dtype: 'int32', values: [-1] },
        ],
        nodes: [
          convNode('Conv2D', 'c', ['x', 'w'], { strides: a.ints([1, 1, 1, 1]), padding: a.s('SAME') }),
          { name: 'mean_keep', op: 'Mean', input: ['c', 'hw'], attr: { keep_dims: a.b(true), Tidx: { type: 'DT_INT32' } } },
          { name: 'mean_drop', op: 'Mean', input: ['c', 'hw'], attr: { keep_dims: a.b(false), Tidx: { type: 'DT_INT32' } } },
          { name: 'concat', op: 'ConcatV2', input: ['c', 'y', 'axis'], attr: { N: a.i(2) } },
          { name: 'concat_last', op: 'ConcatV2', input: ['y', 'c', 'y', 'last'], attr: { N: a.i(3) } },
        ],
      },
      ['mean_keep', 'mean_drop', 'concat', 'concat_last'],
    );
    for (const d of diffs) expect(d).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each([
    { align: false, half: false, out: [10, 8] },
    { align: false, half: false, out: [7, 9] },
    { align: true, half: false, out: [9, 11] },
    { align: false, half: true, out: [10, 8] },
    { align: false, half: true, out: [3, 2] },
  ])('ResizeBilinear align_corners=$align half_pixel_centers=$half 5x4 → $out', async ({ align, half, out }) => {
    const [diff] = await compare(
      {
        inputs: [{ name: 'x', shape: [1, 5, 4, 3] }],
        consts: [{ name: 'size', shape: [2], dtype: 'int32', values: out }],
        nodes: [{ name: 'resize', op: 'ResizeBilinear', input: ['x', 'size'], attr: { T: a.float, align_corners: a.b(align), half_pixel_centers: a.b(half) } }],
      },
      ['resize'],
    );
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('with imageLayout nhwc the graph keeps TF\'s layout at its boundary', async () => {
    const { model, weights } = buildModel({
      inputs: [{ name: 'x', shape: [1, 5, 6, 2] }],
      consts: [{ name: 'w', shape: [3, 3, 2, 4] }],
      nodes: [convNode('Conv2D', 'conv', ['x', 'w'], { strides: a.ints([1, 2, 2, 1]), padding: a.s('SAME') })],
    });
    const result = convertTfjsGraphModel(model, decodeTfjsWeights(model.weightsManifest, [weights], 't'), { outputs: [{ tf: 'conv', onnx: 'y' }], imageLayout: 'nhwc' });
    expect(result.inputs[0]!.shape).toEqual([1, 5, 6, 2]);
    expect(result.outputs[0]!.shape).toEqual([1, 3, 3, 4]);
    expect(result.model.graph.nodes.map((n) => n.opType)).toEqual(['Transpose', 'Conv', 'Transpose']);
    const [diff] = await compare(
      { inputs: [{ name: 'x', shape: [1, 5, 6, 2] }], consts: [{ name: 'w', shape: [3, 3, 2, 4] }], nodes: [convNode('Conv2D', 'conv', ['x', 'w'], { strides: a.ints([1, 2, 2, 1]), padding: a.s('SAME') })] },
      ['conv'],
      'nhwc',
    );
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('convertTfjsGraphModel: graph handling', () => {
  const conv = buildModel({
    inputs: [{ name: 'x', shape: [1, 4, 4, 2] }],
    consts: [
      { name: 'w', shape: [1, 1, 2, 2] },
      { name: 'unused', shape: [7] },
    ],
    nodes: [
      convNode('Conv2D', 'conv', ['x', 'w'], { strides: a.ints([1, 1, 1, 1]), padding: a.s('SAME') }),
      { name: 'relu', op: 'Relu', input: ['conv', '^x'] },
      { name: 'out', op: 'Identity', input: ['relu'] },
      { name: 'dead', op: 'TopKV2', input: ['relu', 'unused'] },
    ],
  });
  const convert = (model: TfjsGraphModel, outputs: TfjsToOnnxOptions['outputs'], extra: Partial<TfjsToOnnxOptions> = {}, weights = conv.weights) =>
    convertTfjsGraphModel(model, decodeTfjsWeights(model.weightsManifest, [weights], 't'), { outputs, imageLayout: 'nchw', ...extra });

  it('prunes what the outputs do not need, drops control inputs and Identity, names inputs and outputs', () => {
    const r = convert(conv.model, [{ tf: 'out', onnx: 'features' }], { inputNames: { x: 'images' } });
    expect(r.model.graph.nodes.map((n) => n.opType)).toEqual(['Conv', 'Relu']);
    expect(r.model.graph.nodes[1]!.outputs).toEqual(['features']);
    expect(r.model.graph.nodes[0]!.inputs[0]).toBe('images');
    expect(r.model.graph.initializers.map((i) => i.name)).toEqual(['conv/weights_oihw']);
    expect(r.inputs).toEqual([{ name: 'images', elemType: 1, shape: [1, 2, 4, 4] }]);
    expect(r.convertedOps).toEqual({ Placeholder: 1, Const: 1, Conv2D: 1, Relu: 1, Identity: 1 });
    expect(r.model.opsetImports).toEqual([{ domain: '', version: 17 }]);
  });

  it('gives a second output of the same tensor, or an output that is a graph input, its own Identity', () => {
    const r = convert(conv.model, [
      { tf: 'relu', onnx: 'a' },
      { tf: 'out', onnx: 'b' },
      { tf: 'x', onnx: 'c' },
    ]);
    expect(r.model.graph.nodes.map((n) => [n.opType, n.inputs[0], n.outputs[0]])).toEqual([
      ['Conv', 'x', 'conv'],
      ['Relu', 'conv', 'a'],
      ['Identity', 'a', 'b'],
      ['Identity', 'x', 'c'],
    ]);
  });

  it('fails with the node and op named for unsupported ops, missing weights and dynamic shapes', () => {
    expect(() => convert(conv.model, [{ tf: 'dead', onnx: 'y' }])).toThrow(new ModelConversionError('node dead (TopKV2): op TopKV2 is not supported by this converter'));
    const missing = { ...conv.model, weightsManifest: [{ paths: ['w.bin'], weights: conv.model.weightsManifest[0]!.weights.slice(0, 1) }] };
    expect(() => convertTfjsGraphModel(missing, new Map(), { outputs: [{ tf: 'out', onnx: 'y' }], imageLayout: 'nchw' })).toThrow(
      /node w \(Const\): no weight of this name/,
    );
    const dynamic = buildModel({ inputs: [{ name: 'x', shape: [-1, 4, 4, 2] }], consts: [{ name: 'w', shape: [1, 1, 2, 2] }], nodes: conv.model.modelTopology.node.slice(3, 4) });
    expect(() => convert(dynamic.model, [{ tf: 'conv', onnx: 'y' }], {}, dynamic.weights)).toThrow(/node x \(Placeholder\): needs a static shape \(has \[-1,4,4,2\]\); pass inputShapes/);
    expect(convert(dynamic.model, [{ tf: 'conv', onnx: 'y' }], { inputShapes: { x: [1, 4, 4, 2] } }, dynamic.weights).outputs[0]!.shape).toEqual([1, 2, 4, 4]);
    expect(() => convert(conv.model, [{ tf: 'nope', onnx: 'y' }])).toThrow(/the graph has no node named nope/);
  });

  it('rejects what it cannot map faithfully', () => {
    const bad = (attrs: Record<string, TfAttrValue>, op = '_FusedConv2D') =>
      buildModel({
        inputs: [{ name: 'x', shape: [1, 4, 4, 2] }],
        consts: [
          { name: 'w', shape: [1, 1, 2, 2] },
          { name: 'b', shape: [2] },
        ],
        nodes: [convNode(op, 'conv', ['x', 'w', 'b'], { strides: a.ints([1, 1, 1, 1]), padding: a.s('SAME'), ...attrs })],
      });
    const run = (m: { model: TfjsGraphModel; weights: Uint8Array }) =>
      convertTfjsGraphModel(m.model, decodeTfjsWeights(m.model.weightsManifest, [m.weights], 't'), { outputs: [{ tf: 'conv', onnx: 'y' }], imageLayout: 'nchw' });
    expect(() => run(bad({ fused_ops: a.strings(['FusedBatchNorm']) }))).toThrow(/fused_ops \[FusedBatchNorm\] are not supported/);
    expect(() => run(bad({ fused_ops: a.strings(['BiasAdd', 'Gelu']) }))).toThrow(/fused activation Gelu is not supported/);
    expect(() => run(bad({ data_format: a.s('NCHW') }))).toThrow(/data_format NCHW is not supported/);
    expect(() => run(bad({ strides: a.ints([2, 1, 1, 1]) }))).toThrow(/strides \[2,1,1,1\] must be \[1, h, w, 1\]/);
  });
});
