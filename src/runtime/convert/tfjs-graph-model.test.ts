import { describe, expect, it } from 'vitest';
import { TfAttrs, parseInputRef, parseTfjsGraphModel, shapeDims } from './tfjs-graph-model.ts';

const valid = { format: 'graph-model', modelTopology: { node: [{ name: 'x', op: 'Placeholder' }] }, weightsManifest: [{ paths: ['a.bin'], weights: [] }] };

describe('parseTfjsGraphModel', () => {
  it('accepts a graph model', () => {
    expect(parseTfjsGraphModel(JSON.stringify(valid), 'model.json').modelTopology.node[0]!.op).toBe('Placeholder');
  });

  it.each([
    ['{', /model\.json: not valid JSON/],
    ['[]', /model\.json: expected a JSON object/],
    [JSON.stringify({ ...valid, format: 'layers-model' }), /model\.json: format is "layers-model", expected "graph-model"/],
    [JSON.stringify({ ...valid, modelTopology: {} }), /model\.json: modelTopology\.node is missing/],
    [JSON.stringify({ ...valid, modelTopology: { node: [{ name: 'x' }] } }), /model\.json: modelTopology\.node\[0\] has no name or op/],
    [JSON.stringify({ ...valid, modelTopology: { node: [{ name: 'x', op: 'Add', input: 'y' }] } }), /node x: input must be a list of strings/],
    [JSON.stringify({ ...valid, modelTopology: { node: [], library: { function: [{}] } } }), /control-flow functions/],
    [JSON.stringify({ ...valid, weightsManifest: undefined }), /model\.json: weightsManifest is missing/],
    [JSON.stringify({ ...valid, weightsManifest: [{ paths: [] }] }), /weightsManifest\[0\] needs "paths" and "weights"/],
    [JSON.stringify({ ...valid, weightsManifest: [{ paths: [], weights: [{ name: 'w' }] }] }), /weightsManifest\[0\]\.weights\[0\] needs name, dtype and shape/],
  ])('rejects %s with a message naming the file', (text, message) => {
    expect(() => parseTfjsGraphModel(text, 'model.json')).toThrow(message);
  });
});

describe('node inputs and attributes', () => {
  it('splits output indices and control dependencies', () => {
    expect(parseInputRef('a/b')).toEqual({ node: 'a/b', output: 0, control: false });
    expect(parseInputRef('TopKV2:1')).toEqual({ node: 'TopKV2', output: 1, control: false });
    expect(parseInputRef('^init')).toEqual({ node: 'init', output: 0, control: true });
  });

  it('decodes protobuf-JSON attribute values (base64 strings, int64 strings)', () => {
    const attrs = new TfAttrs({
      name: 'n',
      op: 'Conv2D',
      attr: {
        padding: { s: btoa('SAME') },
        strides: { list: { i: ['1', '2', '2', '1'] } },
        fused_ops: { list: { s: [btoa('BiasAdd'), btoa('Relu')] } },
        N: { i: '3' },
        alpha: { f: 0.25 },
        keep: { b: true },
        shape: { shape: { dim: [{ size: '1' }, { size: '-1' }, {}] } },
      },
    });
    expect(attrs.string('padding')).toBe('SAME');
    expect(attrs.ints('strides')).toEqual([1, 2, 2, 1]);
    expect(attrs.strings('fused_ops')).toEqual(['BiasAdd', 'Relu']);
    expect(attrs.strings('absent')).toEqual([]);
    expect(attrs.int('N')).toBe(3);
    expect(attrs.float('alpha')).toBe(0.25);
    expect(attrs.bool('keep')).toBe(true);
    expect(attrs.bool('absent', false)).toBe(false);
    expect(attrs.shape('shape')).toEqual([1, -1, -1]);
    expect(() => attrs.string('data_format')).toThrow('node n (Conv2D): string attribute "data_format" is missing');
    expect(shapeDims({ unknownRank: true })).toBeUndefined();
  });
});
