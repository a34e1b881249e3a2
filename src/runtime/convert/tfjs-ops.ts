/**
 * TF op → ONNX opset 17 node mappings. Each converter reads its TF node (attributes in TF's NHWC
 * conventions) and emits ONNX nodes, keeping rank-4 activations in NCHW (see tf-values.ts).
 *
 * Semantics references: TF raw ops (https://www.tensorflow.org/api_docs/python/tf/raw_ops), TFJS's
 * executor for the fused ops (tfjs-converter/src/operations/executors/convolution_executor.ts), and the
 * ONNX operator specs (https://onnx.ai/onnx/operators/).
 */
import { attr } from './onnx-graph-builder.ts';
import type { OnnxGraphBuilder } from './onnx-graph-builder.ts';
import { ModelConversionError } from './model-conversion-error.ts';
import type { TfAttrs, TfNode } from './tfjs-graph-model.ts';
import type { ConstTensor } from './tfjs-weights.ts';
import { NHWC_AXIS_IN_NCHW, broadcastShapes, transposeData } from './tf-values.ts';
import type { LayoutResolver, TfValue } from './tf-values.ts';

export interface OpContext {
  node: TfNode;
  attrs: TfAttrs;
  /** Data inputs in order (control dependencies dropped). */
  inputs: TfValue[];
  b: OnnxGraphBuilder;
  layout: LayoutResolver;
  /** A shared float32 scalar initializer. */
  scalar(value: number): string;
}

/** Converts one TF node; returns its outputs in TF output order. */
export type OpConverter = (ctx: OpContext) => TfValue[];

export function conversionError(node: TfNode, message: string): ModelConversionError {
  return new ModelConversionError(`node ${node.name} (${node.op}): ${message}`);
}

function input(ctx: OpContext, i: number): TfValue {
  const v = ctx.inputs[i];
  if (!v) throw conversionError(ctx.node, `expected at least ${i + 1} inputs, got ${ctx.inputs.length}`);
  return v;
}

function constInput(ctx: OpContext, i: number, what: string): ConstTensor {
  const c = input(ctx, i).constant;
  if (!c) throw conversionError(ctx.node, `the ${what} (input ${i}) must be a constant`);
  return c;
}

function requireNhwc(ctx: OpContext): void {
  const format = ctx.attrs.string('data_format', 'NHWC');
  if (format !== 'NHWC') throw conversionError(ctx.node, `data_format ${format} is not supported (only NHWC)`);
}

function requireRank(ctx: OpContext, v: TfValue, rank: number, what: string): void {
  if (v.shape.length !== rank) throw conversionError(ctx.node, `${what} must have rank ${rank}, has shape [${v.shape.join(',')}]`);
  if (v.shape.some((d) => d < 0)) throw conversionError(ctx.node, `${what} needs a static shape, has [${v.shape.join(',')}]`);
}

/** Output of a rank-4 op emitted in NCHW. */
function nchwOutput(ctx: OpContext, name: string, shape: number[], dtype: TfValue['dtype'] = 'float32'): TfValue {
  return { shape, dtype, nchwName: name, label: ctx.node.name };
}

interface Window2d {
  out: [number, number];
  /** ONNX order: top, left, bottom, right. */
  pads: [number, number, number, number];
}

/**
 * Output size and padding of a 2-D window op. TF's SAME puts the odd padding pixel at the end (bottom /
 * right), like ONNX's SAME_UPPER: out = ceil(in / stride), total = max((out - 1)·stride + effectiveK - in, 0).
 */
export function window2d(
  ctx: OpContext,
  inHW: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): Window2d {
  const padding = ctx.attrs.string('padding');
  const out: number[] = [];
  const begin: number[] = [];
  const end: number[] = [];
  const explicit = padding === 'EXPLICIT' ? ctx.attrs.ints('explicit_paddings') : undefined;
  for (let d = 0; d < 2; d++) {
    const size = inHW[d]!;
    const effective = (kernel[d]! - 1) * dilations[d]! + 1;
    if (padding === 'SAME') {
      const o = Math.ceil(size / strides[d]!);
      const total = Math.max((o - 1) * strides[d]! + effective - size, 0);
      out.push(o);
      begin.push(Math.floor(total / 2));
      end.push(total - Math.floor(total / 2));
    } else if (padding === 'VALID' || explicit) {
      const b = explicit ? explicit[2 + 2 * d]! : 0;
      const e = explicit ? explicit[3 + 2 * d]! : 0;
      out.push(Math.floor((size + b + e - effective) / strides[d]!) + 1);
      begin.push(b);
      end.push(e);
    } else {
      throw conversionError(ctx.node, `padding ${padding} is not supported`);
    }
  }
  if (out.some((o) => o < 1)) throw conversionError(ctx.node, `window larger than the input [${inHW.join(',')}]`);
  return { out: [out[0]!, out[1]!], pads: [begin[0]!, begin[1]!, end[0]!, end[1]!] };
}

/** `[1, a, b, 1]` NHWC attribute → `[a, b]`. */
function spatialOf(ctx: OpContext, name: string, fallback?: number[]): [number, number] {
  const v = ctx.attrs.ints(name, fallback);
  if (v.length !== 4 || v[0] !== 1 || v[3] !== 1) throw conversionError(ctx.node, `${name} [${v.join(',')}] must be [1, h, w, 1]`);
  return [v[1]!, v[2]!];
}

/**
 * Conv2D, DepthwiseConv2dNative and their TFJS-fused forms (`_FusedConv2D`, `FusedDepthwiseConv2dNative`:
 * conv + BiasAdd + optional activation). TF filters are HWIO (conv) and [kh, kw, cin, multiplier]
 * (depthwise, output channel c·multiplier + m); ONNX wants OIHW with group = cin for depthwise.
 */
function convolution(depthwise: boolean, fused: boolean): OpConverter {
  return (ctx) => {
    requireNhwc(ctx);
    const x = input(ctx, 0);
    requireRank(ctx, x, 4, 'the input');
    const filter = constInput(ctx, 1, 'filter');
    if (filter.dtype !== 'float32' || filter.shape.length !== 4) throw conversionError(ctx.node, 'the filter must be a float32 rank-4 constant');
    const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
    const [, , , xc] = x.shape as [number, number, number, number];
    const strides = spatialOf(ctx, 'strides');
    const dilations = spatialOf(ctx, 'dilations', [1, 1, 1, 1]);
    let weights: Float32Array;
    let outChannels: number;
    let group = 1;
    if (depthwise) {
      if (cin !== xc) throw conversionError(ctx.node, `filter has ${cin} input channels, input has ${xc}`);
      outChannels = cin * cout;
      group = cin;
      // [kh, kw, cin, m] → [cin, m, kh, kw] = [cin·m, 1, kh, kw]
      weights = transposeData(filter.data, filter.shape, [2, 3, 0, 1]);
    } else {
      if (cin !== xc) throw conversionError(ctx.node, `filter has ${cin} input channels, input has ${xc} (grouped convolution is not supported)`);
      outChannels = cout;
      weights = transposeData(filter.data, filter.shape, [3, 2, 0, 1]);
    }
    const window = window2d(ctx, [x.shape[1]!, x.shape[2]!], [kh, kw], strides, dilations);
    const weightName = ctx.b.addInitializer(`${ctx.node.name}/weights_oihw`, [outChannels, depthwise ? 1 : cin, kh, kw], weights);
    const convInputs = [ctx.layout.nchw(x), weightName];

    const fusedOps = fused ? ctx.attrs.strings('fused_ops') : [];
    let activation: string | undefined;
    if (fusedOps.length > 0) {
      if (fusedOps[0] !== 'BiasAdd' || fusedOps.length > 2) throw conversionError(ctx.node, `fused_ops [${fusedOps.join(', ')}] are not supported (expected BiasAdd[, activation])`);
      const bias = constInput(ctx, 2, 'bias');
      if (bias.shape.length !== 1 || bias.shape[0] !== outChannels) throw conversionError(ctx.node, `bias shape [${bias.shape.join(',')}], expected [${outChannels}]`);
      convInputs.push(ctx.b.addInitializer(`${ctx.node.name}/bias`, [outChannels], bias.data));
      activation = fusedOps[1];
    }
    const convName = activation ? `${ctx.node.name}/conv` : ctx.node.name;
    let y = ctx.b.addNode('Conv', convInputs, convName, [
      attr.ints('kernel_shape', [kh, kw]),
      attr.ints('strides', strides),
      attr.ints('dilations', dilations),
      attr.ints('pads', window.pads),
      attr.int('group', group),
    ])[0]!;
    if (activation) y = fusedActivation(ctx, activation, y, outChannels);
    return [nchwOutput(ctx, y, [x.shape[0]!, window.out[0], window.out[1], outChannels])];
  };
}

/** The activation at the end of a TFJS fused conv, as in TFJS's `fused_util.applyActivation`. */
function fusedActivation(ctx: OpContext, activation: string, x: string, channels: number): string {
  const name = ctx.node.name;
  switch (activation) {
    case 'Relu':
      return ctx.b.addNode('Relu', [x], name)[0]!;
    case 'Relu6':
      return ctx.b.addNode('Clip', [x, ctx.scalar(0), ctx.scalar(6)], name)[0]!;
    case 'Elu':
      return ctx.b.addNode('Elu', [x], name, [attr.float('alpha', 1)])[0]!;
    case 'Sigmoid':
      return ctx.b.addNode('Sigmoid', [x], name)[0]!;
    case 'LeakyRelu':
      return ctx.b.addNode('LeakyRelu', [x], name, [attr.float('alpha', ctx.attrs.float('leakyrelu_alpha', 0.2))])[0]!;
    case 'Prelu': {
      const alpha = constInput(ctx, 3, 'PReLU alpha');
      if (alpha.data.length !== channels) throw conversionError(ctx.node, `PReLU alpha has ${alpha.data.length} values for ${channels} channels`);
      const slope = ctx.b.addInitializer(`${name}/prelu_alpha`, [channels, 1, 1], alpha.data);
      return ctx.b.addNode('PRelu', [x, slope], name)[0]!;
    }
    default:
      throw conversionError(ctx.node, `fused activation ${activation} is not supported`);
  }
}

/** MaxPool / AvgPool with TF's padding; TF's SAME average excludes padded cells (ONNX count_include_pad = 0). */
function pool(onnxOp: 'MaxPool' | 'AveragePool'): OpConverter {
  return (ctx) => {
    requireNhwc(ctx);
    const x = input(ctx, 0);
    requireRank(ctx, x, 4, 'the input');
    const kernel = spatialOf(ctx, 'ksize');
    const strides = spatialOf(ctx, 'strides');
    const window = window2d(ctx, [x.shape[1]!, x.shape[2]!], kernel, strides, [1, 1]);
    const y = ctx.b.addNode(onnxOp, [ctx.layout.nchw(x)], ctx.node.name, [
      attr.ints('kernel_shape', kernel),
      attr.ints('strides', strides),
      attr.ints('pads', window.pads),
    ])[0]!;
    return [nchwOutput(ctx, y, [x.shape[0]!, window.out[0], window.out[1], x.shape[3]!], x.dtype)];
  };
}

/** A shape-preserving unary op, emitted in whichever layout its input already has. */
function unary(emit: (ctx: OpContext, x: string) => string): OpConverter {
  return (ctx) => {
    const x = input(ctx, 0);
    if (ctx.layout.isNchw(x)) return [{ shape: [...x.shape], dtype: x.dtype, nchwName: emit(ctx, ctx.layout.nchw(x)), label: ctx.node.name }];
    return [{ shape: [...x.shape], dtype: x.dtype, plainName: emit(ctx, ctx.layout.plain(x)), label: ctx.node.name }];
  };
}

const simpleUnary = (onnxOp: string): OpConverter => unary((ctx, x) => ctx.b.addNode(onnxOp, [x], ctx.node.name)[0]!);

/**
 * A broadcasting binary op. When one operand is an NCHW activation the op runs in NCHW and the other
 * operand is brought to NCHW broadcast form (a per-channel [C] constant becomes [1, C, 1, 1]).
 */
function binary(onnxOp: string): OpConverter {
  return (ctx) => {
    const a = input(ctx, 0);
    const b = input(ctx, 1);
    const shape = broadcastShapes(a.shape, b.shape);
    if (!shape) throw conversionError(ctx.node, `shapes [${a.shape.join(',')}] and [${b.shape.join(',')}] do not broadcast`);
    if (a.dtype !== b.dtype) throw conversionError(ctx.node, `operand dtypes differ (${a.dtype}, ${b.dtype})`);
    const { layout } = ctx;
    if (shape.length === 4 && (layout.isNchw(a) || layout.isNchw(b))) {
      const y = ctx.b.addNode(onnxOp, [layout.nchwBroadcastOperand(a), layout.nchwBroadcastOperand(b)], ctx.node.name)[0]!;
      return [{ shape, dtype: a.dtype, nchwName: y, label: ctx.node.name }];
    }
    const y = ctx.b.addNode(onnxOp, [layout.plain(a), layout.plain(b)], ctx.node.name)[0]!;
    return [{ shape, dtype: a.dtype, plainName: y, label: ctx.node.name }];
  };
}

function normaliseAxis(ctx: OpContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw conversionError(ctx.node, `axis ${axis} out of range for rank ${rank}`);
  return a;
}

/** Mean (ReduceMean; axes stay an attribute up to opset 17). */
const mean: OpConverter = (ctx) => {
  const x = input(ctx, 0);
  const rank = x.shape.length;
  const axes = [...new Set(Array.from(constInput(ctx, 1, 'reduction_indices').data, (a) => normaliseAxis(ctx, Number(a), rank)))].sort();
  const keepDims = ctx.attrs.bool('keep_dims', false);
  const shape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  const attrs = (onnxAxes: number[]) => [attr.ints('axes', onnxAxes), attr.int('keepdims', keepDims ? 1 : 0)];
  if (rank === 4 && keepDims && ctx.layout.isNchw(x)) {
    const onnxAxes = axes.map((a) => NHWC_AXIS_IN_NCHW[a]!).sort();
    return [{ shape, dtype: x.dtype, nchwName: ctx.b.addNode('ReduceMean', [ctx.layout.nchw(x)], ctx.node.name, attrs(onnxAxes))[0]!, label: ctx.node.name }];
  }
  return [{ shape, dtype: x.dtype, plainName: ctx.b.addNode('ReduceMean', [ctx.layout.plain(x)], ctx.node.name, attrs(axes))[0]!, label: ctx.node.name }];
};

/** ConcatV2: N tensors then the axis. */
const concat: OpConverter = (ctx) => {
  const values = ctx.inputs.slice(0, -1);
  if (values.length === 0) throw conversionError(ctx.node, 'nothing to concatenate');
  const rank = values[0]!.shape.length;
  const axis = normaliseAxis(ctx, Number(constInput(ctx, ctx.inputs.length - 1, 'axis').data[0]), rank);
  const shape = [...values[0]!.shape];
  shape[axis] = 0;
  for (const v of values) {
    if (v.shape.length !== rank || v.shape.some((d, i) => i !== axis && d !== values[0]!.shape[i])) {
      throw conversionError(ctx.node, `input shapes [${values.map((u) => u.shape.join(',')).join('] [')}] do not concatenate on axis ${axis}`);
    }
    shape[axis] += v.shape[axis]!;
  }
  const dtype = values[0]!.dtype;
  if (rank === 4 && values.some((v) => ctx.layout.isNchw(v))) {
    const y = ctx.b.addNode('Concat', values.map((v) => ctx.layout.nchw(v)), ctx.node.name, [attr.int('axis', NHWC_AXIS_IN_NCHW[axis]!)])[0]!;
    return [{ shape, dtype, nchwName: y, label: ctx.node.name }];
  }
  const y = ctx.b.addNode('Concat', values.map((v) => ctx.layout.plain(v)), ctx.node.name, [attr.int('axis', axis)])[0]!;
  return [{ shape, dtype, plainName: y, label: ctx.node.name }];
};

/**
 * ResizeBilinear → Resize(mode linear). TF's coordinate rules map to ONNX's coordinate_transformation_mode:
 * align_corners → align_corners, half_pixel_centers → half_pixel, neither (legacy TF1) → asymmetric
 * (src = dst · in / out).
 */
const resizeBilinear: OpConverter = (ctx) => {
  const x = input(ctx, 0);
  requireRank(ctx, x, 4, 'the input');
  const size = constInput(ctx, 1, 'size');
  if (size.data.length !== 2) throw conversionError(ctx.node, `size must hold 2 values, has ${size.data.length}`);
  const [outH, outW] = [Number(size.data[0]), Number(size.data[1])];
  const alignCorners = ctx.attrs.bool('align_corners', false);
  const halfPixel = ctx.attrs.bool('half_pixel_centers', false);
  if (alignCorners && halfPixel) throw conversionError(ctx.node, 'align_corners and half_pixel_centers cannot both be true');
  const mode = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
  const sizes = ctx.b.int64s(`${ctx.node.name}/sizes`, [x.shape[0]!, x.shape[3]!, outH, outW]);
  const y = ctx.b.addNode('Resize', [ctx.layout.nchw(x), '', '', sizes], ctx.node.name, [
    attr.string('mode', 'linear'),
    attr.string('coordinate_transformation_mode', mode),
  ])[0]!;
  return [nchwOutput(ctx, y, [x.shape[0]!, outH, outW, x.shape[3]!], x.dtype)];
};

/** AddN: the sum of N tensors of one shape (ONNX Sum), in NCHW when any operand is an NCHW activation. */
const addN: OpConverter = (ctx) => {
  const values = ctx.inputs;
  if (values.length === 0) throw conversionError(ctx.node, 'nothing to add');
  const shape = values[0]!.shape;
  if (values.some((v) => v.shape.join() !== shape.join() || v.dtype !== values[0]!.dtype)) throw conversionError(ctx.node, `operands differ: [${values.map((v) => `${v.shape.join(',')} ${v.dtype}`).join('] [')}]`);
  const { layout } = ctx;
  if (shape.length === 4 && values.some((v) => layout.isNchw(v))) {
    return [{ shape: [...shape], dtype: values[0]!.dtype, nchwName: ctx.b.addNode('Sum', values.map((v) => layout.nchw(v)), ctx.node.name)[0]!, label: ctx.node.name }];
  }
  return [{ shape: [...shape], dtype: values[0]!.dtype, plainName: ctx.b.addNode('Sum', values.map((v) => layout.plain(v)), ctx.node.name)[0]!, label: ctx.node.name }];
};

/**
 * Conv2DBackpropInput (a transposed convolution: input_sizes, filter [kh, kw, out, in], x) → ConvTranspose with
 * filter [in, out, kh, kw] and the pads of the forward convolution that maps the output back to x (TF's padding).
 */
const conv2dBackpropInput: OpConverter = (ctx) => {
  requireNhwc(ctx);
  const sizes = Array.from(constInput(ctx, 0, 'input_sizes').data, Number);
  const filter = constInput(ctx, 1, 'filter');
  const x = input(ctx, 2);
  requireRank(ctx, x, 4, 'the input');
  if (filter.dtype !== 'float32' || filter.shape.length !== 4) throw conversionError(ctx.node, 'the filter must be a float32 rank-4 constant');
  const [kh, kw, cout, cin] = filter.shape as [number, number, number, number];
  if (sizes.length !== 4 || sizes[3] !== cout || cin !== x.shape[3]) throw conversionError(ctx.node, `input_sizes [${sizes.join(',')}], filter [${filter.shape.join(',')}] and input [${x.shape.join(',')}] disagree`);
  const strides = spatialOf(ctx, 'strides');
  const dilations = spatialOf(ctx, 'dilations', [1, 1, 1, 1]);
  if (dilations.some((d) => d !== 1)) throw conversionError(ctx.node, `dilations [${dilations.join(',')}] are not supported`);
  // The forward convolution output → x gives the pads; it must map the requested output size to x's size.
  const forward = window2d(ctx, [sizes[1]!, sizes[2]!], [kh, kw], strides, dilations);
  if (forward.out[0] !== x.shape[1] || forward.out[1] !== x.shape[2]) throw conversionError(ctx.node, `an output of ${sizes[1]}x${sizes[2]} does not convolve back to the input's ${x.shape[1]}x${x.shape[2]}`);
  const outPad = [0, 1].map((d) => sizes[1 + d]! - ((x.shape[1 + d]! - 1) * strides[d]! + [kh, kw][d]! - forward.pads[d]! - forward.pads[d + 2]!));
  if (outPad.some((p, d) => p < 0 || p >= strides[d]!)) throw conversionError(ctx.node, `output size ${sizes[1]}x${sizes[2]} is not reachable by a transposed convolution of the input`);
  const weights = ctx.b.addInitializer(`${ctx.node.name}/weights_iohw`, [cin, cout, kh, kw], transposeData(filter.data, filter.shape, [3, 2, 0, 1]));
  const y = ctx.b.addNode('ConvTranspose', [ctx.layout.nchw(x), weights], ctx.node.name, [
    attr.ints('kernel_shape', [kh, kw]),
    attr.ints('strides', strides),
    attr.ints('pads', forward.pads),
    attr.ints('output_padding', outPad),
  ])[0]!;
  return [nchwOutput(ctx, y, [sizes[0]!, sizes[1]!, sizes[2]!, cout])];
};

/** Converters by TF op name. Placeholder and Const are handled by the graph walk itself. */
export const TF_OP_CONVERTERS: Readonly<Record<string, OpConverter>> = {
  Identity: (ctx) => [input(ctx, 0)],
  Conv2D: convolution(false, false),
  _FusedConv2D: convolution(false, true),
  DepthwiseConv2dNative: convolution(true, false),
  FusedDepthwiseConv2dNative: convolution(true, true),
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
  Relu: simpleUnary('Relu'),
  Sigmoid: simpleUnary('Sigmoid'),
  Tanh: simpleUnary('Tanh'),
  Relu6: unary((ctx, x) => ctx.b.addNode('Clip', [x, ctx.scalar(0), ctx.scalar(6)], ctx.node.name)[0]!),
  Add: binary('Add'),
  AddV2: binary('Add'),
  BiasAdd: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Mean: mean,
  ConcatV2: concat,
  ResizeBilinear: resizeBilinear,
  AddN: addN,
  Conv2DBackpropInput: conv2dBackpropInput,
};
