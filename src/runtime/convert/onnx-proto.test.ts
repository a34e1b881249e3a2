/**
 * The ONNX encoder checked two independent ways: decoding with the protobufjs schema that ships with
 * onnxruntime-web (lib/onnxjs/ort-schema/protobuf/onnx.js, generated from onnx.proto), and loading and
 * running the model in onnxruntime-web.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OnnxDataType, encodeOnnxModel } from './onnx-proto.ts';
import type { OnnxModel } from './onnx-proto.ts';
import { runOnnx } from './reference-runners.node.ts';

interface Decoded {
  irVersion: { toNumber(): number } | number;
  producerName: string;
  opsetImport: { domain: string; version: { toNumber(): number } | number }[];
  metadataProps: { key: string; value: string }[];
  graph: {
    name: string;
    node: { input: string[]; output: string[]; name: string; opType: string; attribute: { name: string; type: number; i?: unknown; f?: number; s?: Uint8Array; ints?: unknown[]; floats?: number[]; strings?: Uint8Array[] }[] }[];
    initializer: { name: string; dims: unknown[]; dataType: number; rawData: Uint8Array }[];
    input: { name: string; type: { tensorType: { elemType: number; shape: { dim: { dimValue?: unknown; dimParam?: string }[] } } } }[];
    output: { name: string }[];
  };
}

const onnxSchema = createRequire(import.meta.url)(resolve(import.meta.dirname, '../../../node_modules/onnxruntime-web/lib/onnxjs/ort-schema/protobuf/onnx.js')) as {
  onnx: { ModelProto: { decode(bytes: Uint8Array): Decoded } };
};

const num = (v: unknown) => Number(typeof v === 'object' && v !== null && 'toNumber' in v ? (v as { toNumber(): number }).toNumber() : v);

/** y = Clip(x · w + b, 0, 6) with x [1, 2, 'n'], w and b initializers. */
function smallModel(): OnnxModel {
  const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
  return {
    irVersion: 8,
    opsetImports: [{ domain: '', version: 17 }],
    producerName: 'test',
    producerVersion: '0',
    docString: 'doc',
    metadataProps: { labels: 'a,b' },
    graph: {
      name: 'g',
      nodes: [
        { opType: 'Mul', inputs: ['x', 'w'], outputs: ['xw'], name: 'mul' },
        { opType: 'Add', inputs: ['xw', 'b'], outputs: ['xwb'], name: 'add' },
        { opType: 'Clip', inputs: ['xwb', 'lo', 'hi'], outputs: ['y'], name: 'clip' },
        { opType: 'Transpose', inputs: ['y'], outputs: ['yt'], name: 'transpose', attributes: [{ name: 'perm', type: 'INTS', ints: [0, 2, 1] }] },
        {
          opType: 'LeakyRelu',
          inputs: ['x'],
          outputs: ['z'],
          name: 'leaky',
          attributes: [{ name: 'alpha', type: 'FLOAT', f: 0.5 }],
        },
      ],
      initializers: [
        { name: 'w', dataType: OnnxDataType.FLOAT, dims: [2, 1], rawData: f32([2, -1]) },
        { name: 'b', dataType: OnnxDataType.FLOAT, dims: [], rawData: f32([1]) },
        { name: 'lo', dataType: OnnxDataType.FLOAT, dims: [], rawData: f32([0]) },
        { name: 'hi', dataType: OnnxDataType.FLOAT, dims: [], rawData: f32([6]) },
      ],
      inputs: [{ name: 'x', elemType: OnnxDataType.FLOAT, shape: [1, 2, 'n'] }],
      outputs: [
        { name: 'yt', elemType: OnnxDataType.FLOAT, shape: [1, 'n', 2] },
        { name: 'z', elemType: OnnxDataType.FLOAT, shape: [1, 2, 'n'] },
      ],
    },
  };
}

describe('encodeOnnxModel', () => {
  it('decodes with ONNX\'s protobuf schema to the same model', () => {
    const decoded = onnxSchema.onnx.ModelProto.decode(encodeOnnxModel(smallModel()));
    expect(num(decoded.irVersion)).toBe(8);
    expect(decoded.producerName).toBe('test');
    expect(decoded.opsetImport.map((o) => [o.domain, num(o.version)])).toEqual([['', 17]]);
    expect(decoded.metadataProps.map((p) => [p.key, p.value])).toEqual([['labels', 'a,b']]);
    const g = decoded.graph;
    expect(g.name).toBe('g');
    expect(g.node.map((n) => [n.opType, n.name, n.input, n.output])).toEqual([
      ['Mul', 'mul', ['x', 'w'], ['xw']],
      ['Add', 'add', ['xw', 'b'], ['xwb']],
      ['Clip', 'clip', ['xwb', 'lo', 'hi'], ['y']],
      ['Transpose', 'transpose', ['y'], ['yt']],
      ['LeakyRelu', 'leaky', ['x'], ['z']],
    ]);
    const perm = g.node[3]!.attribute[0]!;
    expect([perm.name, perm.type, perm.ints!.map(num)]).toEqual(['perm', 7, [0, 2, 1]]);
    const alpha = g.node[4]!.attribute[0]!;
    expect([alpha.name, alpha.type, alpha.f]).toEqual(['alpha', 1, 0.5]);
    const w = g.initializer[0]!;
    expect([w.name, w.dataType, w.dims.map(num)]).toEqual(['w', 1, [2, 1]]);
    expect(Array.from(new Float32Array(Uint8Array.from(w.rawData).buffer))).toEqual([2, -1]);
    expect(g.initializer[1]!.dims).toEqual([]);
    const x = g.input[0]!;
    expect(x.name).toBe('x');
    expect(x.type.tensorType.elemType).toBe(1);
    expect(x.type.tensorType.shape.dim.map((d) => (d.dimParam ? d.dimParam : num(d.dimValue)))).toEqual([1, 2, 'n']);
    expect(g.output.map((o) => o.name)).toEqual(['yt', 'z']);
  });

  it('encodes INT, STRING and STRINGS attributes with their AttributeType', () => {
    const model = smallModel();
    const nodes = [
      ...model.graph.nodes,
      {
        opType: 'Identity',
        inputs: ['x'],
        outputs: ['i'],
        name: 'id',
        attributes: [
          { name: 'k', type: 'INT' as const, i: -3 },
          { name: 's', type: 'STRING' as const, s: 'linear' },
          { name: 'ss', type: 'STRINGS' as const, strings: ['a', 'bc'] },
        ],
      },
    ];
    const decoded = onnxSchema.onnx.ModelProto.decode(encodeOnnxModel({ ...model, graph: { ...model.graph, nodes } }));
    const [k, s, ss] = decoded.graph.node[5]!.attribute;
    expect([k!.type, num(k!.i)]).toEqual([2, -3]);
    expect([s!.type, new TextDecoder().decode(s!.s)]).toEqual([3, 'linear']);
    expect([ss!.type, ss!.strings!.map((b) => new TextDecoder().decode(b))]).toEqual([8, ['a', 'bc']]);
  });

  it('loads and runs in onnxruntime-web', async () => {
    const [yt, z] = await runOnnx(encodeOnnxModel(smallModel()), { x: { shape: [1, 2, 3], data: Float32Array.from([1, 2, 3, -4, -5, -6]) } }, ['yt', 'z']);
    // y = clip(x · [[2], [-1]] + 1, 0, 6): row 0 → [3, 5, 6 (clipped 7)], row 1 → [5, 6, 6 (clipped 7)]; then transposed.
    expect(yt!.shape).toEqual([1, 3, 2]);
    expect(Array.from(yt!.data)).toEqual([3, 5, 5, 6, 6, 6]);
    expect(Array.from(z!.data)).toEqual([1, 2, 3, -2, -2.5, -3]);
  });
});
