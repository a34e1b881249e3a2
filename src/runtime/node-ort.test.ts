import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeOrt, nodeOrtChoice, NodeOrtError } from './node-ort.node.ts';

const MODEL = resolve(import.meta.dirname, '../../public/models/mobilenetv3_features_s8.onnx');

describe('nodeOrt', () => {
  it('reads MMTRACK_ORT and refuses what it does not know', () => {
    expect(nodeOrtChoice({})).toBe('auto');
    expect(nodeOrtChoice({ MMTRACK_ORT: ' Native ' })).toBe('native');
    expect(() => nodeOrtChoice({ MMTRACK_ORT: 'gpu' })).toThrow(NodeOrtError);
  });

  it('runs the same graph on the native build and on the wasm build, to float precision', async () => {
    const native = await nodeOrt('native');
    const wasm = await nodeOrt('wasm');
    expect(native.provider).toBe('cpu');
    expect(native.label).toMatch(/^onnxruntime-node \d+\.\d+\.\d+ \(native CPU, \d+ threads?\)$/);
    expect(wasm.provider).toBe('wasm');
    expect(wasm.label).toMatch(/^onnxruntime-web \d+\.\d+\.\d+ \(wasm, \d+ threads?\)$/);
    // Auto prefers the native build where it loads.
    expect((await nodeOrt('auto')).provider).toBe('cpu');
    const bytes = new Uint8Array(readFileSync(MODEL));
    const outputs: Float32Array[] = [];
    for (const r of [native, wasm]) {
      const session = await r.ort.InferenceSession.create(bytes, { executionProviders: [r.provider] });
      const [name] = session.inputNames;
      const dims = session.inputMetadata[0]!.isTensor ? session.inputMetadata[0]!.shape.map((d) => (typeof d === 'number' ? d : 64)) : [];
      const n = dims.reduce((a, b) => a * b, 1);
      const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37));
      const out = await session.run({ [name!]: new r.ort.Tensor('float32', x, dims) });
      outputs.push(out[session.outputNames[0]!]!.data as Float32Array);
      await session.release();
    }
    expect(outputs[0]!.length).toBe(outputs[1]!.length);
    let maxAbs = 0;
    let maxDiff = 0;
    for (let i = 0; i < outputs[0]!.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(outputs[1]![i]!));
      maxDiff = Math.max(maxDiff, Math.abs(outputs[0]![i]! - outputs[1]![i]!));
    }
    expect(maxAbs).toBeGreaterThan(0.01);
    expect(maxDiff).toBeLessThan(1e-4 * Math.max(1, maxAbs));
  });
});
