import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import type { OnnxModelSpec } from '../core/config/onnx-spec.ts';
import { loadModel, ModelLoadError } from './model-session.ts';
import { sha256Hex } from './sha256.ts';

// NanoTrack v2's head (a real pretrained ONNX model in ../shared) exercises the loader and the I/O check.
const headPath = resolve(__dirname, '../../../shared/models/nanotrack-v2/head.onnx');
const head = new Uint8Array(readFileSync(headPath));

const headSpec: OnnxModelSpec = {
  role: 'head',
  file: 'nanotrack-v2/head.onnx',
  inputs: [
    { name: 'input1', dtype: 'float32', rank: 4, shape: [1, 48, 8, 8] },
    { name: 'input2', dtype: 'float32', rank: 4, shape: [1, 48, 16, 16] },
  ],
  outputs: [
    { name: 'output1', dtype: 'float32', rank: 4, shape: [1, 2, 's', 's'] },
    { name: 'output2', dtype: 'float32', rank: 4, shape: [1, 4, 's', 's'] },
  ],
};

describe('loadModel', () => {
  it('loads a model whose inputs and outputs match the config and runs it', async () => {
    const m = await loadModel(ort, head, 'head.onnx', headSpec, { providers: ['wasm'] });
    expect(m.ep).toBe('wasm');
    expect(m.sha256).toBe(await sha256Hex(head));
    expect(m.inputs.map((t) => t.name)).toEqual(['input1', 'input2']);
    const out = await m.session.run({
      input1: new ort.Tensor('float32', new Float32Array(48 * 64), [1, 48, 8, 8]),
      input2: new ort.Tensor('float32', new Float32Array(48 * 256), [1, 48, 16, 16]),
    });
    expect(out.output1?.dims).toEqual([1, 2, 16, 16]);
    await m.session.release();
  });

  it('lists every difference from what the config expects', async () => {
    const wrong: OnnxModelSpec = {
      ...headSpec,
      inputs: [{ name: 'template', dtype: 'float32', rank: 4 }, { name: 'input2', dtype: 'float16', rank: 4, shape: [1, 48, 16, 16] }],
      outputs: [{ name: 'output1', dtype: 'float32', rank: 3 }],
    };
    const err = await loadModel(ort, head, 'head.onnx', wrong, { providers: ['wasm'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    const problems = (err as ModelLoadError).problems;
    expect(problems).toContain("onnx.head: the model has no input 'template' (its inputs: input1, input2)");
    expect(problems).toContain("onnx.head input 'input2': dtype is float32, the config expects float16");
    expect(problems.some((p) => p.startsWith("onnx.head output 'output1': rank is 4"))).toBe(true);
    expect((err as Error).message).toMatch(/^head\.onnx: /);
  });

  it('refuses garbage and a pinned sha256 that does not match', async () => {
    await expect(loadModel(ort, new Uint8Array([1, 2, 3, 4, 5]), 'junk.onnx', headSpec, { providers: ['wasm'] })).rejects.toThrow(/^junk\.onnx: /);
    await expect(loadModel(ort, head, 'head.onnx', { ...headSpec, sha256: '0'.repeat(64) }, { providers: ['wasm'] })).rejects.toThrow(/sha256 is [0-9a-f]{64}, the config \(onnx\.head\.sha256\) pins 0{64}/);
  });
});
