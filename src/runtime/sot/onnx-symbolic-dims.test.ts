// The in-memory dim edit, checked by decoding with the protobufjs ONNX schema shipped in onnxruntime-web and by
// running NanoTrack's backbone (declared 255x255) on the 127x127 template crop.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { OnnxDataType, encodeOnnxModel } from '../convert/onnx-proto.ts';
import { listOnnxOps, makeGraphDimsSymbolic } from './onnx-symbolic-dims.ts';

interface Dim {
  dimValue?: unknown;
  dimParam?: string;
}
interface Decoded {
  graph: {
    node: { opType: string }[];
    initializer: { name: string; rawData: Uint8Array }[];
    input: { name: string; type: { tensorType: { shape: { dim: Dim[] } } } }[];
    output: { name: string; type: { tensorType: { shape: { dim: Dim[] } } } }[];
    valueInfo: unknown[];
  };
}
const onnxSchema = createRequire(import.meta.url)(resolve(import.meta.dirname, '../../../node_modules/onnxruntime-web/lib/onnxjs/ort-schema/protobuf/onnx.js')) as {
  onnx: { ModelProto: { decode(bytes: Uint8Array): Decoded } };
};
const dims = (d: Dim[]) => d.map((x) => x.dimParam || Number(x.dimValue as number));

const repo = resolve(import.meta.dirname, '../../..');
const backbonePath = resolve(repo, '../shared/models/nanotrack-v2/backbone.onnx');

describe('makeGraphDimsSymbolic', () => {
  it('rewrites only the named dims of inputs/outputs, keeps nodes and weights byte for byte', () => {
    const model = encodeOnnxModel({
      irVersion: 8,
      opsetImports: [{ domain: '', version: 17 }],
      producerName: 'test',
      producerVersion: '0',
      graph: {
        name: 'g',
        nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'], name: 'relu' }],
        initializers: [],
        inputs: [{ name: 'x', elemType: OnnxDataType.FLOAT, shape: [1, 3, 4, 4] }],
        outputs: [{ name: 'y', elemType: OnnxDataType.FLOAT, shape: [1, 3, 4, 4] }],
      },
    });
    const edited = makeGraphDimsSymbolic(model, { x: { 2: 'h', 3: 'w' }, y: { 3: 'w' } });
    const d = onnxSchema.onnx.ModelProto.decode(edited);
    expect(dims(d.graph.input[0]!.type.tensorType.shape.dim)).toEqual([1, 3, 'h', 'w']);
    expect(dims(d.graph.output[0]!.type.tensorType.shape.dim)).toEqual([1, 3, 4, 'w']);
    expect(d.graph.node.map((n) => n.opType)).toEqual(['Relu']);
    expect(() => makeGraphDimsSymbolic(model, { z: { 0: 'n' } })).toThrow(/no graph input or output named 'z'/);
    expect(() => makeGraphDimsSymbolic(model, { x: { 7: 'n' } })).toThrow(/'x' has 4 dims, no dim 7/);
  });

  it("runs NanoTrack's backbone on 127x127 (→ 8x8 features) and 255x255 (→ 16x16) after the edit", async () => {
    const bytes = new Uint8Array(readFileSync(backbonePath));
    const edited = makeGraphDimsSymbolic(bytes, { input: { 2: 'height', 3: 'width' }, output: { 2: 'fh', 3: 'fw' } });
    const before = onnxSchema.onnx.ModelProto.decode(bytes);
    const after = onnxSchema.onnx.ModelProto.decode(edited);
    expect(dims(after.graph.input[0]!.type.tensorType.shape.dim)).toEqual([1, 3, 'height', 'width']);
    expect(after.graph.node.length).toBe(before.graph.node.length);
    expect(after.graph.initializer.map((t) => t.rawData.length)).toEqual(before.graph.initializer.map((t) => t.rawData.length));
    expect(after.graph.valueInfo.length).toBe(0);
    expect(listOnnxOps(edited)[0]!.opType).toBe('Conv');
    const session = await ort.InferenceSession.create(edited, { executionProviders: ['wasm'] });
    for (const [n, f] of [[127, 8], [255, 16]] as const) {
      const out = await session.run({ input: new ort.Tensor('float32', new Float32Array(3 * n * n).fill(117), [1, 3, n, n]) });
      expect(out.output!.dims).toEqual([1, 48, f, f]);
    }
    await session.release();
  });
});
