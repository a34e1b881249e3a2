/**
 * TFJS graph-model JSON (`model.json` written by tensorflowjs_converter): parsing, validation and
 * attribute access. The topology is a TensorFlow `GraphDef` in protobuf-JSON form: each node has an op,
 * inputs (`name`, `name:outputIndex`, or `^name` for a control dependency) and typed attributes.
 * Format reference: https://github.com/tensorflow/tfjs/tree/master/tfjs-converter (graph model, `model.json`).
 */
import { ModelConversionError } from './model-conversion-error.ts';

/** A TensorFlow `AttrValue` in protobuf-JSON form (int64 values arrive as strings, bytes as base64). */
export interface TfAttrValue {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: TfShape;
  tensor?: unknown;
  list?: { s?: string[]; i?: (string | number)[]; f?: number[]; b?: boolean[]; type?: string[]; shape?: TfShape[] };
}

export interface TfShape {
  dim?: { size?: string | number }[];
  unknownRank?: boolean;
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttrValue>;
  device?: string;
}

export type TfWeightDtype = 'float32' | 'int32' | 'bool' | 'string' | 'complex64';

/** One entry of `weightsManifest[].weights`. */
export interface TfWeightSpec {
  name: string;
  shape: number[];
  dtype: TfWeightDtype;
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number; original_dtype?: string };
}

export interface TfWeightsGroup {
  paths: string[];
  weights: TfWeightSpec[];
}

export interface TfSignatureTensor {
  name: string;
  dtype?: string;
  tensorShape?: TfShape;
}

export interface TfjsGraphModel {
  format: 'graph-model';
  generatedBy?: string;
  convertedBy?: string;
  signature?: { inputs?: Record<string, TfSignatureTensor>; outputs?: Record<string, TfSignatureTensor> };
  modelTopology: { node: TfNode[]; library?: unknown; versions?: unknown };
  weightsManifest: TfWeightsGroup[];
}

/**
 * Parses and checks a TFJS graph model's `model.json` text. `fileName` only labels errors.
 * @throws ModelConversionError naming the file and what is wrong.
 */
export function parseTfjsGraphModel(jsonText: string, fileName: string): TfjsGraphModel {
  let raw: unknown;
  try {
    raw = JSON.parse(jsonText);
  } catch (e) {
    throw new ModelConversionError(`${fileName}: not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(raw)) throw new ModelConversionError(`${fileName}: expected a JSON object (a TFJS model.json)`);
  if (raw.format !== 'graph-model') {
    throw new ModelConversionError(`${fileName}: format is ${JSON.stringify(raw.format)}, expected "graph-model" (a TFJS layers model cannot be converted)`);
  }
  const topology = raw.modelTopology;
  if (!isRecord(topology) || !Array.isArray(topology.node)) throw new ModelConversionError(`${fileName}: modelTopology.node is missing`);
  if (isRecord(topology.library) && Array.isArray(topology.library.function) && topology.library.function.length > 0) {
    throw new ModelConversionError(`${fileName}: the graph has control-flow functions (modelTopology.library), which this converter does not support`);
  }
  topology.node.forEach((node, i) => {
    if (!isRecord(node) || typeof node.name !== 'string' || typeof node.op !== 'string') {
      throw new ModelConversionError(`${fileName}: modelTopology.node[${i}] has no name or op`);
    }
    if (node.input !== undefined && !(Array.isArray(node.input) && node.input.every((s) => typeof s === 'string'))) {
      throw new ModelConversionError(`${fileName}: node ${node.name}: input must be a list of strings`);
    }
  });
  if (!Array.isArray(raw.weightsManifest)) throw new ModelConversionError(`${fileName}: weightsManifest is missing`);
  raw.weightsManifest.forEach((group, g) => {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ModelConversionError(`${fileName}: weightsManifest[${g}] needs "paths" and "weights" lists`);
    }
    group.weights.forEach((spec, i) => {
      if (!isRecord(spec) || typeof spec.name !== 'string' || typeof spec.dtype !== 'string' || !Array.isArray(spec.shape)) {
        throw new ModelConversionError(`${fileName}: weightsManifest[${g}].weights[${i}] needs name, dtype and shape`);
      }
    });
  });
  return raw as unknown as TfjsGraphModel;
}

/** A node input reference split into node name and output index; `control` marks `^name`. */
export interface TfInputRef {
  node: string;
  output: number;
  control: boolean;
}

export function parseInputRef(input: string): TfInputRef {
  if (input.startsWith('^')) return { node: input.slice(1), output: 0, control: true };
  const m = /^(.*):(\d+)$/.exec(input);
  return m ? { node: m[1]!, output: Number(m[2]), control: false } : { node: input, output: 0, control: false };
}

/** Typed attribute access for one node; errors name the node and the attribute. */
export class TfAttrs {
  constructor(private readonly node: TfNode) {}

  has(name: string): boolean {
    return this.node.attr?.[name] !== undefined;
  }

  string(name: string, fallback?: string): string {
    const v = this.node.attr?.[name];
    if (v?.s !== undefined) return decodeBase64Text(v.s);
    if (fallback !== undefined) return fallback;
    throw this.missing(name, 'string');
  }

  strings(name: string): string[] {
    return (this.node.attr?.[name]?.list?.s ?? []).map(decodeBase64Text);
  }

  int(name: string, fallback?: number): number {
    const v = this.node.attr?.[name];
    if (v?.i !== undefined) return Number(v.i);
    if (fallback !== undefined) return fallback;
    throw this.missing(name, 'int');
  }

  ints(name: string, fallback?: number[]): number[] {
    const v = this.node.attr?.[name];
    if (v?.list) return (v.list.i ?? []).map(Number);
    if (fallback !== undefined) return fallback;
    throw this.missing(name, 'int list');
  }

  float(name: string, fallback?: number): number {
    const v = this.node.attr?.[name];
    if (v?.f !== undefined) return Number(v.f);
    if (fallback !== undefined) return fallback;
    throw this.missing(name, 'float');
  }

  bool(name: string, fallback?: boolean): boolean {
    const v = this.node.attr?.[name];
    if (v?.b !== undefined) return v.b;
    if (fallback !== undefined) return fallback;
    throw this.missing(name, 'bool');
  }

  /** A `shape` attribute as dims (-1 for unknown sizes); undefined when absent or of unknown rank. */
  shape(name: string): number[] | undefined {
    return shapeDims(this.node.attr?.[name]?.shape);
  }

  private missing(name: string, kind: string): ModelConversionError {
    return new ModelConversionError(`node ${this.node.name} (${this.node.op}): ${kind} attribute "${name}" is missing`);
  }
}

/** Dims of a TF shape proto (-1 = unknown); undefined for an unknown rank. */
export function shapeDims(shape: TfShape | undefined): number[] | undefined {
  if (!shape || shape.unknownRank) return undefined;
  return (shape.dim ?? []).map((d) => (d.size === undefined ? -1 : Number(d.size)));
}

function decodeBase64Text(b64: string): string {
  const binary = atob(b64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
