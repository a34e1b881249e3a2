import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryConfigFs } from './config-fs.ts';
import { loadConfig } from './config-loader.ts';
import { checkOnnxIo, type OnnxTensorInfo, readOnnxSection, resolveOnnxFile } from './onnx-spec.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The graph inputs/outputs of an ONNX file, read straight from its protobuf (ModelProto.graph = 7,
 * GraphProto.input = 11 / output = 12 / initializer = 5, ValueInfoProto.name = 1 / type = 2,
 * TypeProto.tensor_type = 1, Tensor.elem_type = 1 / shape = 2, Shape.dim = 1, Dim.dim_value = 1 / dim_param = 2;
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
 */
function onnxIo(bytes: Uint8Array): { inputs: OnnxTensorInfo[]; outputs: OnnxTensorInfo[] } {
  type Field = { no: number; value: number | Uint8Array };
  const fields = (b: Uint8Array): Field[] => {
    const out: Field[] = [];
    let i = 0;
    const varint = () => {
      let result = 0;
      let scale = 1;
      for (;;) {
        const byte = b[i++] as number;
        result += (byte & 0x7f) * scale;
        scale *= 128;
        if (byte < 0x80) return result;
      }
    };
    while (i < b.length) {
      const key = varint();
      const wire = key % 8;
      if (wire === 0) out.push({ no: Math.floor(key / 8), value: varint() });
      else if (wire === 2) {
        const len = varint();
        out.push({ no: Math.floor(key / 8), value: b.subarray(i, i + len) });
        i += len;
      } else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else throw new Error(`wire type ${wire}`);
    }
    return out;
  };
  const sub = (b: Uint8Array, no: number) => fields(b).filter((f) => f.no === no).map((f) => f.value as Uint8Array);
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  const DTYPES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16' };
  const graph = sub(bytes, 7)[0] as Uint8Array;
  const initializers = new Set(sub(graph, 5).map((t) => text(sub(t, 8)[0] as Uint8Array)));
  const info = (v: Uint8Array): OnnxTensorInfo => {
    const tensor = sub(sub(v, 2)[0] as Uint8Array, 1)[0] as Uint8Array;
    const elem = fields(tensor).find((f) => f.no === 1)?.value as number;
    const shape = sub(tensor, 2)[0];
    const dims = shape
      ? sub(shape, 1).map((d) => {
          const f = fields(d)[0];
          return f === undefined ? null : f.no === 1 ? (f.value as number) : text(f.value as Uint8Array);
        })
      : [];
    return { name: text(sub(v, 1)[0] as Uint8Array), dtype: DTYPES[elem] ?? `onnx-type-${elem}`, shape: dims };
  };
  return {
    inputs: sub(graph, 11).map(info).filter((t) => !initializers.has(t.name)),
    outputs: sub(graph, 12).map(info),
  };
}

async function onnxOf(source: string) {
  const { config } = await loadConfig('cfg.py', memoryConfigFs({ 'cfg.py': source }));
  return readOnnxSection(config);
}

describe('the onnx section', () => {
  it('reads roles, files, dtypes, shapes and ranks', async () => {
    const specs = await onnxOf(`size = 512
onnx = dict(
    detector=dict(
        file='det/model.onnx',
        sha256='${'AB'.repeat(32)}',
        inputs=dict(input=dict(dtype='float32', shape=[1, 3, size, None])),
        outputs=dict(heatmap=dict(dtype='float16', rank=4), boxes=dict(dtype='float32', shape=[1, 'n', 4], rank=3))),
    reid=dict(file='https://example.org/reid.onnx', inputs=dict(x=dict(dtype='uint8', rank=4)), outputs=dict(y=dict(dtype='float32', rank=2))))
`);
    expect(specs).toEqual([
      {
        role: 'detector',
        file: 'det/model.onnx',
        sha256: 'ab'.repeat(32),
        inputs: [{ name: 'input', dtype: 'float32', rank: 4, shape: [1, 3, 512, null] }],
        outputs: [
          { name: 'heatmap', dtype: 'float16', rank: 4 },
          { name: 'boxes', dtype: 'float32', rank: 3, shape: [1, 'n', 4] },
        ],
      },
      { role: 'reid', file: 'https://example.org/reid.onnx', inputs: [{ name: 'x', dtype: 'uint8', rank: 4 }], outputs: [{ name: 'y', dtype: 'float32', rank: 2 }] },
    ]);
    expect(resolveOnnxFile(specs[0]!, '/models/')).toBe('/models/det/model.onnx');
    expect(resolveOnnxFile(specs[1]!, '/models')).toBe('https://example.org/reid.onnx');
    expect(await onnxOf('a = 1')).toEqual([]);
  });

  it('rejects malformed sections with the key path and the config line', async () => {
    const cases: [string, RegExp][] = [
      ["onnx = dict(det=dict(file='a.onnx', inputs=dict(x=dict(dtype='float64', rank=4)), outputs=dict(y=dict(dtype='float32', rank=1))))", /^cfg\.py:1:51: onnx\.det\.inputs\.x\.dtype: expected one of float32, float16, int64, int32, int8, uint8, bool, got 'float64'/],
      ["onnx = dict(det=dict(file='a.onnx', inputs=dict(x=dict(dtype='float32')), outputs=dict(y=dict(dtype='float32', rank=1))))", /onnx\.det\.inputs\.x: give shape=\[\.\.\.\] or rank=N/],
      ["onnx = dict(det=dict(file='a.onnx', inputs=dict(x=dict(dtype='float32', shape=[1, 2], rank=3)), outputs=dict(y=dict(dtype='float32', rank=1))))", /onnx\.det\.inputs\.x: rank=3 disagrees with shape \[1, 2\]/],
      ["onnx = dict(det=dict(file='a.onnx', inputs=dict(x=dict(dtype='float32', shape=[1, -2])), outputs=dict(y=dict(dtype='float32', rank=1))))", /onnx\.det\.inputs\.x\.shape: expected a list of ints >= 0, None or dim names/],
      ["onnx = dict(det=dict(file='a.onnx', inputs=dict(), outputs=dict(y=dict(dtype='float32', rank=1))))", /onnx\.det\.inputs: expected dict\(NAME=dict/],
      ["onnx = dict(det=dict(file='a.onnx', input=dict(x=dict(dtype='float32', rank=1)), outputs=dict(y=dict(dtype='float32', rank=1))))", /onnx\.det: unknown key 'input'; accepted keys: file, sha256, inputs, outputs/],
      ["onnx = dict(det=dict(file='s3://b/a.onnx', inputs=dict(x=dict(dtype='float32', rank=1)), outputs=dict(y=dict(dtype='float32', rank=1))))", /onnx\.det\.file: only http:\/\/ and https:\/\/ URLs are supported/],
      ["onnx = dict(det=dict(inputs=dict(x=dict(dtype='float32', rank=1)), outputs=dict(y=dict(dtype='float32', rank=1))))", /onnx\.det\.file: expected a file path/],
      ["onnx = dict(det=dict(file='a.onnx', sha256='abc', inputs=dict(x=dict(dtype='float32', rank=1)), outputs=dict(y=dict(dtype='float32', rank=1))))", /onnx\.det\.sha256: expected 64 hex digits or None, got 3 characters$/m],
      [`onnx = dict(det=dict(file='a.onnx', sha256='${'g'.repeat(64)}', inputs=dict(x=dict(dtype='float32', rank=1)), outputs=dict(y=dict(dtype='float32', rank=1))))`, /onnx\.det\.sha256: expected 64 hex digits or None, got 64 characters \('g' is not a hex digit\)/],
      // Digits without quotes: a Python int, not the hash (64 of them are refused by the parser as too large).
      [`onnx = dict(det=dict(file='a.onnx', sha256=123456, inputs=dict(x=dict(dtype='float32', rank=1)), outputs=dict(y=dict(dtype='float32', rank=1))))`, /onnx\.det\.sha256: expected a string of 64 hex digits or None, got the number .*; write it in quotes, sha256='\.\.\.'/],
      ["onnx = ['a.onnx']", /onnx: expected dict\(role=dict/],
    ];
    for (const [source, message] of cases) await expect(onnxOf(source), source).rejects.toThrow(message);
  });

  it('checkOnnxIo reports missing tensors, dtype, rank, fixed and named dim mismatches', async () => {
    const [spec] = await onnxOf(
      "onnx = dict(m=dict(file='m.onnx', inputs=dict(a=dict(dtype='float32', shape=[1, 3, 'h', 'w']), b=dict(dtype='int64', rank=1)), outputs=dict(o=dict(dtype='float32', shape=[1, 'h', 'w']))))",
    );
    expect(checkOnnxIo(spec!, { inputs: [{ name: 'a', dtype: 'float32', shape: [1, 3, 'height', 64] }, { name: 'b', dtype: 'int64', shape: ['n'] }], outputs: [{ name: 'o', dtype: 'float32', shape: [1, 32, 64] }] })).toEqual([]);
    expect(checkOnnxIo(spec!, { inputs: [{ name: 'a', dtype: 'float16', shape: [1, 4, 32, 64] }], outputs: [{ name: 'o', dtype: 'float32', shape: [1, 16, 64, 1] }, { name: 'p', dtype: 'float32', shape: [] }] })).toEqual([
      "onnx.m input 'a': dtype is float16, the config expects float32",
      "onnx.m input 'a': dim 1 is 4, the config expects 3",
      "onnx.m: the model has no input 'b' (its inputs: a)",
      "onnx.m output 'o': rank is 4 ([1, 16, 64, 1]), the config expects 3",
    ]);
    expect(checkOnnxIo(spec!, { inputs: [{ name: 'a', dtype: 'float32', shape: [1, 3, 32, 64] }, { name: 'b', dtype: 'int64', shape: [5] }], outputs: [{ name: 'o', dtype: 'float32', shape: [1, 30, 64] }] })).toEqual([
      "onnx.m output 'o': dim 1 ('h') is 30 but onnx.m input 'a' dim 2 has 32",
    ]);
  });

  it("configs/sot/nanotrack/nanotrack_v2.py matches the real NanoTrack v2 models' inputs and outputs", async () => {
    const modelDir = `${repoRoot}../shared/models`;
    const source = readFileSync(`${repoRoot}configs/sot/nanotrack/nanotrack_v2.py`, 'utf8');
    const specs = await onnxOf(source);
    expect(specs.map((s) => s.role)).toEqual(['backbone', 'head']);
    for (const spec of specs) {
      const io = onnxIo(readFileSync(resolveOnnxFile(spec, modelDir).replace('/nanotrack_v2/', '/nanotrack-v2/')));
      expect(io.inputs.length).toBeGreaterThan(0);
      expect(checkOnnxIo(spec, io), spec.role).toEqual([]);
    }
    // And a mismatch is caught on the real file: the backbone's output has 48 channels, not 64.
    const wrong = await onnxOf(source.replace("output=dict(dtype='float32', shape=[1, 48, None, None])", "output=dict(dtype='float32', shape=[1, 64, None, None])"));
    const backbone = onnxIo(readFileSync(`${modelDir}/nanotrack-v2/backbone.onnx`));
    expect(checkOnnxIo(wrong[0]!, backbone)).toEqual(["onnx.backbone output 'output': dim 1 is 48, the config expects 64"]);
  });
});
