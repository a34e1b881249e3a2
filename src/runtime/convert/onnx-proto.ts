/**
 * The subset of ONNX's protobuf messages our converters write, and their encoder.
 *
 * Field numbers follow onnx/onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto):
 * ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto.Tensor,
 * TensorShapeProto, OperatorSetIdProto, StringStringEntryProto.
 */
import { ProtobufWriter } from './protobuf-writer.ts';

/** `TensorProto.DataType` values. */
export const OnnxDataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
} as const;
export type OnnxDataType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

/** `AttributeProto.AttributeType` values. */
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** A tensor stored in the model (an initializer or a TENSOR attribute): little-endian `raw_data`. */
export interface OnnxTensor {
  name: string;
  dataType: OnnxDataType;
  dims: readonly number[];
  rawData: Uint8Array;
}

export type OnnxAttribute =
  | { name: string; type: 'FLOAT'; f: number }
  | { name: string; type: 'INT'; i: number }
  | { name: string; type: 'STRING'; s: string }
  | { name: string; type: 'TENSOR'; t: OnnxTensor }
  | { name: string; type: 'FLOATS'; floats: readonly number[] }
  | { name: string; type: 'INTS'; ints: readonly number[] }
  | { name: string; type: 'STRINGS'; strings: readonly string[] };

export interface OnnxNode {
  opType: string;
  /** Input value names; `''` marks an omitted optional input. */
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attributes?: readonly OnnxAttribute[];
  domain?: string;
  docString?: string;
}

/** A graph input/output: a tensor type with a static (number) or symbolic (string) shape. */
export interface OnnxValueInfo {
  name: string;
  elemType: OnnxDataType;
  shape: readonly (number | string)[];
  docString?: string;
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  docString?: string;
}

export interface OnnxModel {
  /** ONNX IR version: 8 goes with opset 17. */
  irVersion: number;
  opsetImports: readonly { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: OnnxGraph;
  metadataProps?: Readonly<Record<string, string>>;
}

/** Serialises a model to ONNX protobuf bytes (what `InferenceSession.create(bytes)` loads). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtobufWriter();
  w.varintField(1, model.irVersion);
  w.stringField(2, model.producerName);
  w.stringField(3, model.producerVersion);
  if (model.docString) w.stringField(6, model.docString);
  w.messageField(7, (g) => writeGraph(g, model.graph));
  for (const opset of model.opsetImports) {
    w.messageField(8, (o) => {
      o.stringField(1, opset.domain);
      o.varintField(2, opset.version);
    });
  }
  for (const [key, value] of Object.entries(model.metadataProps ?? {})) {
    w.messageField(14, (e) => e.stringField(1, key).stringField(2, value));
  }
  return w.finish();
}

function writeGraph(w: ProtobufWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.messageField(1, (n) => writeNode(n, node));
  w.stringField(2, graph.name);
  for (const tensor of graph.initializers) w.messageField(5, (t) => writeTensor(t, tensor));
  if (graph.docString) w.stringField(10, graph.docString);
  for (const input of graph.inputs) w.messageField(11, (v) => writeValueInfo(v, input));
  for (const output of graph.outputs) w.messageField(12, (v) => writeValueInfo(v, output));
}

function writeNode(w: ProtobufWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.stringField(1, input);
  for (const output of node.outputs) w.stringField(2, output);
  w.stringField(3, node.name);
  w.stringField(4, node.opType);
  for (const attribute of node.attributes ?? []) w.messageField(5, (a) => writeAttribute(a, attribute));
  if (node.docString) w.stringField(6, node.docString);
  if (node.domain) w.stringField(7, node.domain);
}

function writeAttribute(w: ProtobufWriter, attribute: OnnxAttribute): void {
  w.stringField(1, attribute.name);
  switch (attribute.type) {
    case 'FLOAT':
      w.floatField(2, attribute.f);
      break;
    case 'INT':
      w.varintField(3, attribute.i);
      break;
    case 'STRING':
      w.stringField(4, attribute.s);
      break;
    case 'TENSOR':
      w.messageField(5, (t) => writeTensor(t, attribute.t));
      break;
    case 'FLOATS':
      w.packedFloatField(7, attribute.floats);
      break;
    case 'INTS':
      w.packedVarintField(8, attribute.ints);
      break;
    case 'STRINGS':
      for (const s of attribute.strings) w.stringField(9, s);
      break;
  }
  w.varintField(20, AttributeType[attribute.type]);
}

function writeTensor(w: ProtobufWriter, tensor: OnnxTensor): void {
  w.packedVarintField(1, tensor.dims);
  w.varintField(2, tensor.dataType);
  w.stringField(8, tensor.name);
  w.bytesField(9, tensor.rawData);
}

function writeValueInfo(w: ProtobufWriter, info: OnnxValueInfo): void {
  w.stringField(1, info.name);
  w.messageField(2, (type) =>
    type.messageField(1, (tensorType) => {
      tensorType.varintField(1, info.elemType);
      tensorType.messageField(2, (shape) => {
        for (const dim of info.shape) {
          shape.messageField(1, (d) => (typeof dim === 'number' ? d.varintField(1, dim) : d.stringField(2, dim)));
        }
      });
    }),
  );
  if (info.docString) w.stringField(3, info.docString);
}
