/**
 * TFJS graph model → ONNX model (opset 17). Pure: takes the parsed `model.json` and decoded weights,
 * returns the ONNX message (encode it with `encodeOnnxModel`). Works in browsers, workers and Node.
 *
 * The graph is pruned to what the requested outputs need, walked in dependency order, and each node is
 * mapped by `TF_OP_CONVERTERS`. Rank-4 image tensors run in NCHW inside the ONNX graph (ONNX's Conv
 * layout; ORT-web's WebGPU EP turns that into its preferred NHWC itself); `imageLayout` picks the layout
 * of rank-4 graph inputs and outputs. One pass runs on the result: TF's hard swish becomes ONNX's `HardSwish`
 * (fuse-hard-swish.ts).
 */
import { fuseHardSwish } from './fuse-hard-swish.ts';
import { ModelConversionError } from './model-conversion-error.ts';
import { OnnxGraphBuilder } from './onnx-graph-builder.ts';
import { OnnxDataType } from './onnx-proto.ts';
import type { OnnxModel, OnnxValueInfo } from './onnx-proto.ts';
import { TfAttrs, parseInputRef } from './tfjs-graph-model.ts';
import type { TfNode, TfjsGraphModel } from './tfjs-graph-model.ts';
import { TF_OP_CONVERTERS, conversionError } from './tfjs-ops.ts';
import type { OpContext } from './tfjs-ops.ts';
import { LayoutResolver, TO_NCHW } from './tf-values.ts';
import type { TfDtype, TfValue } from './tf-values.ts';
import type { ConstTensor } from './tfjs-weights.ts';

export const ONNX_OPSET = 17;
/** ONNX IR version that goes with opset 17. */
export const ONNX_IR_VERSION = 8;

export interface TfjsToOnnxOptions {
  /** TF tensors to expose (`node` or `node:outputIndex`) and their ONNX names. */
  outputs: readonly { tf: string; onnx: string }[];
  /** ONNX names of the TF placeholders (default: the placeholder's name). Unlisted placeholders keep their names. */
  inputNames?: Readonly<Record<string, string>>;
  /** Placeholder shapes in TF layout, overriding (or completing) the model's own. */
  inputShapes?: Readonly<Record<string, readonly number[]>>;
  /**
   * Inner tensors that become graph inputs (the graph is cut there: what computes them is left out), with their
   * ONNX names and TF-layout shapes. This is how a network is split into two graphs, the second fed the first's output.
   */
  cutInputs?: readonly { tf: string; onnx: string; shape: readonly number[] }[];
  /** Layout of rank-4 graph inputs and outputs: 'nchw' (ONNX convention) or 'nhwc' (TF's). */
  imageLayout: 'nchw' | 'nhwc';
  graphName?: string;
  docString?: string;
  producerVersion?: string;
  metadata?: Readonly<Record<string, string>>;
}

export interface TfjsToOnnxResult {
  model: OnnxModel;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** How many TF nodes of each op were converted (after pruning). */
  convertedOps: Record<string, number>;
}

const ONNX_ELEM_TYPE: Record<TfDtype, OnnxDataType> = { float32: OnnxDataType.FLOAT, int32: OnnxDataType.INT32, bool: OnnxDataType.BOOL };

const TF_DTYPES: Record<string, TfDtype> = { DT_FLOAT: 'float32', DT_INT32: 'int32', DT_BOOL: 'bool' };

/**
 * Converts `model` (weights decoded by `decodeTfjsWeights`) to ONNX.
 * @throws ModelConversionError naming the node and the unsupported construct.
 */
export function convertTfjsGraphModel(model: TfjsGraphModel, weights: ReadonlyMap<string, ConstTensor>, options: TfjsToOnnxOptions): TfjsToOnnxResult {
  const nodes = new Map<string, TfNode>(model.modelTopology.node.map((n) => [n.name, n]));
  const b = new OnnxGraphBuilder();
  const layout = new LayoutResolver(b);
  const scalars = new Map<number, string>();
  const scalar = (value: number) => {
    let name = scalars.get(value);
    if (name === undefined) scalars.set(value, (name = b.float(`const_${value}`, [], [value])));
    return name;
  };

  const cuts = new Map((options.cutInputs ?? []).map((c) => [parseInputRef(c.tf).node, c]));
  const order = dependencyOrder(nodes, options.outputs.map((o) => parseInputRef(o.tf).node), new Set(cuts.keys()));
  const values = new Map<string, TfValue[]>();
  const graphInputs: OnnxValueInfo[] = [];
  const convertedOps: Record<string, number> = {};
  const valueOf = (ref: string): TfValue => {
    const { node, output } = parseInputRef(ref);
    const v = values.get(node)?.[output];
    if (!v) throw new ModelConversionError(`tensor ${ref} is not produced by the graph`);
    return v;
  };

  for (const node of order) {
    const cut = cuts.get(node.name);
    if (cut) {
      // Only float image-like tensors are cut (a feature map handed from one graph to the next).
      if (b.uniqueName(cut.onnx) !== cut.onnx) throw conversionError(node, `input name "${cut.onnx}" is used twice`);
      const shape = [...cut.shape];
      const nchw = shape.length === 4 && options.imageLayout === 'nchw';
      graphInputs.push({ name: cut.onnx, elemType: OnnxDataType.FLOAT, shape: nchw ? TO_NCHW.map((p) => shape[p]!) : shape });
      values.set(node.name, [{ shape, dtype: 'float32', label: node.name, ...(nchw ? { nchwName: cut.onnx } : { plainName: cut.onnx }) }]);
      continue;
    }
    convertedOps[node.op] = (convertedOps[node.op] ?? 0) + 1;
    if (node.op === 'Const') {
      const constant = weights.get(node.name);
      if (!constant) throw conversionError(node, 'no weight of this name in the weights manifest');
      values.set(node.name, [{ shape: [...constant.shape], dtype: constant.dtype, constant, label: node.name }]);
      continue;
    }
    if (node.op === 'Placeholder') {
      const attrs = new TfAttrs(node);
      const shape = [...(options.inputShapes?.[node.name] ?? attrs.shape('shape') ?? [])];
      if (shape.length === 0 || shape.some((d) => d < 0)) {
        throw conversionError(node, `needs a static shape (has [${shape.join(',')}]); pass inputShapes`);
      }
      const dtype = TF_DTYPES[attrs.has('dtype') ? (node.attr!.dtype!.type ?? '') : 'DT_FLOAT'];
      if (!dtype) throw conversionError(node, `dtype ${node.attr?.dtype?.type} is not supported`);
      const name = options.inputNames?.[node.name] ?? node.name;
      if (b.uniqueName(name) !== name) throw conversionError(node, `input name "${name}" is used twice`);
      const nchw = shape.length === 4 && options.imageLayout === 'nchw';
      graphInputs.push({ name, elemType: ONNX_ELEM_TYPE[dtype], shape: nchw ? TO_NCHW.map((p) => shape[p]!) : shape });
      values.set(node.name, [{ shape, dtype, label: node.name, ...(nchw ? { nchwName: name } : { plainName: name }) }]);
      continue;
    }
    const converter = TF_OP_CONVERTERS[node.op];
    if (!converter) throw conversionError(node, `op ${node.op} is not supported by this converter`);
    const ctx: OpContext = {
      node,
      attrs: new TfAttrs(node),
      inputs: (node.input ?? []).filter((i) => !parseInputRef(i).control).map(valueOf),
      b,
      layout,
      scalar,
    };
    values.set(node.name, converter(ctx));
  }

  const outputNames = new Set<string>();
  const graphOutputs = options.outputs.map(({ tf, onnx }) => {
    const v = valueOf(tf);
    const wantNchw = v.shape.length === 4 && options.imageLayout === 'nchw';
    const name = wantNchw ? layout.nchw(v) : layout.plain(v);
    if (b.isNodeOutput(name) && !outputNames.has(name)) {
      b.renameValue(name, onnx);
      // Later lookups of this value must see the new name.
      if (v.nchwName === name) v.nchwName = onnx;
      if (v.plainName === name) v.plainName = onnx;
    } else {
      // A graph input, an initializer or another output: ONNX needs a node to produce this output.
      b.addNode('Identity', [name], `${onnx}/identity`, [], 1, [onnx]);
    }
    outputNames.add(onnx);
    const shape = wantNchw ? TO_NCHW.map((p) => v.shape[p]!) : [...v.shape];
    return { name: onnx, elemType: ONNX_ELEM_TYPE[v.dtype], shape } satisfies OnnxValueInfo;
  });

  const fused = fuseHardSwish({
    name: options.graphName ?? 'converted',
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: graphInputs,
    outputs: graphOutputs,
  }).graph;
  const onnxModel: OnnxModel = {
    irVersion: ONNX_IR_VERSION,
    opsetImports: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'mmtrack-web tfjs-to-onnx',
    producerVersion: options.producerVersion ?? '1',
    ...(options.docString ? { docString: options.docString } : {}),
    graph: fused,
    metadataProps: options.metadata ?? {},
  };
  return { model: onnxModel, inputs: graphInputs, outputs: graphOutputs, convertedOps };
}

/** The nodes the named nodes depend on (themselves included), each after its inputs; `leaves` are not walked past. */
function dependencyOrder(nodes: ReadonlyMap<string, TfNode>, targets: readonly string[], leaves: ReadonlySet<string>): TfNode[] {
  const order: TfNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  // Iterative DFS: a deep backbone would overflow a recursive walk in some engines.
  for (const target of targets) {
    const stack: { name: string; expanded: boolean }[] = [{ name: target, expanded: false }];
    while (stack.length > 0) {
      const top = stack.pop()!;
      const node = nodes.get(top.name);
      if (!node) throw new ModelConversionError(`the graph has no node named ${top.name}`);
      if (top.expanded) {
        state.set(top.name, 'done');
        order.push(node);
        continue;
      }
      const s = state.get(top.name);
      if (s === 'done') continue;
      if (s === 'visiting') throw new ModelConversionError(`the graph has a cycle through ${top.name}`);
      state.set(top.name, 'visiting');
      stack.push({ name: top.name, expanded: true });
      if (leaves.has(top.name)) continue;
      for (const input of node.input ?? []) {
        const dep = parseInputRef(input).node;
        if (state.get(dep) !== 'done') stack.push({ name: dep, expanded: false });
      }
    }
  }
  return order;
}
