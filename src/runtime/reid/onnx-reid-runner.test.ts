import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { type OnnxReidSettings, reidSettings } from '../../core/models/mot/reid-settings.ts';
import { meanColourReidOnnx } from './mean-colour-reid.fixture.ts';
import { loadReidRunner } from './reid-runner.ts';

/** A 64x32 frame: left half pure red, right half pure blue. */
function frame(): Uint8Array {
  const f = new Uint8Array(64 * 32 * 4);
  for (let y = 0; y < 32; y++) for (let x = 0; x < 64; x++) f.set(x < 32 ? [255, 0, 0, 255] : [0, 0, 255, 255], (y * 64 + x) * 4);
  return f;
}

const settingsFor = (batch: 'N' | 1): OnnxReidSettings =>
  reidSettings({
    model: { reid: { type: 'BaseReID' }, tracker: { reid: { img_scale: [16, 8], img_norm_cfg: null } } },
    onnx: { reid: { file: 'reid.onnx', inputs: { input: { dtype: 'float32', shape: [batch === 'N' ? null : 1, 3, 16, 8] } }, outputs: { output: { dtype: 'float32', rank: 2 } } } },
  }) as OnnxReidSettings;

describe('OnnxReidRunner (BaseReID as ONNX)', () => {
  for (const batch of ['N', 1] as const) {
    it(`crops the boxes, runs the graph (batch ${batch}) and L2-normalises its embeddings`, async () => {
      const runner = await loadReidRunner(ort, settingsFor(batch), meanColourReidOnnx(batch, [16, 8]), 'reid.onnx', { providers: ['wasm'] });
      // Red box, blue box, and a box half over each (left 16 px red, right 16 px blue).
      const e = await runner.embed(frame(), 64, 32, Float32Array.from([0, 0, 16, 32, 40, 4, 60, 30, 16, 0, 48, 32]));
      await runner.release();
      expect(e.dim).toBe(3);
      const row = (i: number) => Array.from(e.data.subarray(i * 3, i * 3 + 3)).map((v) => Math.round(v * 1e5) / 1e5);
      expect(row(0)).toEqual([1, 0, 0]);
      expect(row(1)).toEqual([0, 0, 1]);
      expect(row(2)).toEqual([Math.round(Math.SQRT1_2 * 1e5) / 1e5, 0, Math.round(Math.SQRT1_2 * 1e5) / 1e5]);
    });
  }
  it('refuses a graph whose inputs differ from the config', async () => {
    const s = settingsFor('N');
    await expect(loadReidRunner(ort, { ...s, onnx: { ...s.onnx, inputs: [{ ...s.onnx.inputs[0]!, name: 'images' }] } }, meanColourReidOnnx('N', [16, 8]), 'reid.onnx', { providers: ['wasm'] })).rejects.toThrow(/reid\.onnx: onnx\.reid: no graph input or output named 'images'/);
  });
});
