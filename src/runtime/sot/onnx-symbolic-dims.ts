/**
 * In-memory edit of an ONNX model's graph input/output dims: turns fixed dims (`dim_value`) into symbolic ones
 * (`dim_param`), so one backbone exported for the 255x255 search crop also takes the 127x127 template crop
 * (NanoTrack ships `backbone.onnx` with input `[1, 3, 255, 255]`; its reference tracker runs the same network on
 * both sizes). Only the edited path (ModelProto.graph → input/output → type → tensor_type → shape → dim) is re-encoded;
 * every other field is copied byte for byte. `graph.value_info` (shape hints of intermediate values, which would
 * contradict the new sizes) is dropped; ONNX Runtime infers those shapes again.
 *
 * Field numbers: onnx/onnx.proto (https://github.com/onnx/onnx/blob/v1.16.0/onnx/onnx.proto). Wire format:
 * https://protobuf.dev/programming-guides/encoding/
 */
import { ProtobufWriter } from '../convert/protobuf-writer.ts';

/** ModelProto.graph, GraphProto.input/output/value_info, ValueInfoProto.name/type, TypeProto.tensor_type, shape, dim. */
const F = { modelGraph: 7, graphInput: 11, graphOutput: 12, graphValueInfo: 13, valueInfoName: 1, valueInfoType: 2, typeTensor: 1, tensorShape: 2, shapeDim: 1, dimValue: 1, dimParam: 2 } as const;

interface Field {
  number: number;
  wireType: number;
  /** The whole field (tag + value), for copying unchanged. */
  raw: Uint8Array;
  /** Wire type 2: the payload; wire type 0: the varint's value. */
  payload?: Uint8Array;
  value?: number;
}

function readVarint(bytes: Uint8Array, pos: number): { value: number; next: number } {
  let value = 0;
  let mul = 1;
  for (let i = pos; i < bytes.length && i < pos + 10; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * mul;
    mul *= 128;
    if (b < 0x80) return { value, next: i + 1 };
  }
  throw new Error('ONNX protobuf: truncated varint');
}

/** Splits a message into its fields (no groups: ONNX does not use them). */
function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    const tag = readVarint(bytes, pos);
    pos = tag.next;
    const number = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    const field: Field = { number, wireType, raw: bytes };
    if (wireType === 0) {
      const v = readVarint(bytes, pos);
      field.value = v.value;
      pos = v.next;
    } else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else if (wireType === 2) {
      const len = readVarint(bytes, pos);
      field.payload = bytes.subarray(len.next, len.next + len.value);
      pos = len.next + len.value;
    } else throw new Error(`ONNX protobuf: unsupported wire type ${wireType}`);
    if (pos > bytes.length) throw new Error('ONNX protobuf: field runs past the end of the message');
    field.raw = bytes.subarray(start, pos);
    fields.push(field);
  }
  return fields;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Re-encodes a message, replacing the payload of the length-delimited fields `edit` returns bytes for. */
function rewrite(bytes: Uint8Array, edit: (field: Field) => Uint8Array | null | undefined): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const field of readFields(bytes)) {
    const replaced = field.payload ? edit(field) : undefined;
    if (replaced === null) continue; // dropped
    parts.push(replaced === undefined ? field.raw : new ProtobufWriter().bytesField(field.number, replaced).finish());
  }
  return concat(parts);
}

const decoder = new TextDecoder();

/**
 * `dims`: for each graph input or output to edit, the dims (by index) to make symbolic and their names, e.g.
 * `{ input: { 2: 'height', 3: 'width' } }`. @returns the edited model bytes; throws if a value or dim is missing.
 */
export function makeGraphDimsSymbolic(model: Uint8Array, dims: Readonly<Record<string, Readonly<Record<number, string>>>>): Uint8Array {
  const done = new Set<string>();
  const editShape = (shape: Uint8Array, input: string): Uint8Array => {
    const wanted = dims[input]!;
    let index = 0;
    const out = rewrite(shape, (f) => {
      if (f.number !== F.shapeDim) return undefined;
      const name = wanted[index++];
      if (name === undefined) return undefined;
      // Keep other Dimension fields (denotation), replace the value by the name.
      const kept = readFields(f.payload!).filter((d) => d.number !== F.dimValue && d.number !== F.dimParam);
      return concat([new ProtobufWriter().stringField(F.dimParam, name).finish(), ...kept.map((d) => d.raw)]);
    });
    const missing = Object.keys(wanted).filter((i) => Number(i) >= index);
    if (missing.length) throw new Error(`ONNX model: '${input}' has ${index} dims, no dim ${missing.join(', ')}`);
    return out;
  };
  const editGraph = (graph: Uint8Array): Uint8Array =>
    rewrite(graph, (f) => {
      if (f.number === F.graphValueInfo) return null;
      if (f.number !== F.graphInput && f.number !== F.graphOutput) return undefined;
      const info = readFields(f.payload!);
      const nameField = info.find((x) => x.number === F.valueInfoName && x.payload);
      const name = nameField ? decoder.decode(nameField.payload) : '';
      if (!Object.hasOwn(dims, name)) return undefined;
      done.add(name);
      return rewrite(f.payload!, (v) =>
        v.number !== F.valueInfoType
          ? undefined
          : rewrite(v.payload!, (t) => (t.number !== F.typeTensor ? undefined : rewrite(t.payload!, (s) => (s.number !== F.tensorShape ? undefined : editShape(s.payload!, name))))),
      );
    });
  const out = rewrite(model, (f) => (f.number === F.modelGraph ? editGraph(f.payload!) : undefined));
  const missing = Object.keys(dims).filter((n) => !done.has(n));
  if (missing.length) throw new Error(`ONNX model: no graph input or output named ${missing.map((n) => `'${n}'`).join(', ')}`);
  return out;
}

/** Op types of the graph's nodes in order (for checks and diagnostics). */
export function listOnnxOps(model: Uint8Array): Array<{ opType: string; inputs: string[]; outputs: string[] }> {
  const graph = readFields(model).find((f) => f.number === F.modelGraph)?.payload;
  if (!graph) return [];
  return readFields(graph)
    .filter((f) => f.number === 1 && f.payload)
    .map((f) => {
      const node = readFields(f.payload!);
      const strings = (n: number) => node.filter((x) => x.number === n && x.payload).map((x) => decoder.decode(x.payload));
      return { opType: strings(4)[0] ?? '', inputs: strings(1), outputs: strings(2) };
    });
}
