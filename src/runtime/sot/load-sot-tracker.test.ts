// loadSotTracker with NanoTrack v2's real files: open dims become symbolic, a pinned sha256 is checked on the file
// as distributed, a model that does not match the config fails with the differences, and trackers built on the
// same sessions with other parameters behave as fresh ones.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import type { NanoTrackSettings } from '../../core/models/sot/sot-models.ts';
import type { SotFrame } from '../../core/models/sot/sot-tracker.ts';
import { seededRandom } from '../../core/ops/seeded-random.ts';
import { ModelLoadError } from '../model-session.ts';
import { loadSotTracker, openDims } from './load-sot-tracker.ts';

const models = resolve(import.meta.dirname, '../../../../shared/models');
const read = (spec: OnnxModelSpec) => Promise.resolve({ bytes: new Uint8Array(readFileSync(resolve(models, spec.file))), name: spec.file });
const f32 = (shape: (number | null)[]) => ({ dtype: 'float32' as const, rank: shape.length, shape });

const settings: NanoTrackSettings = {
  type: 'NanoTrack',
  test: { exemplarSize: 127, searchSize: 255, contextAmount: 0.5, stride: 16, scoreSize: 16, rpn: { penaltyK: 0.15, windowInfluence: 0.49, lr: 0.385 } },
  onnx: {
    backbone: { role: 'backbone', file: 'nanotrack-v2/backbone.onnx', inputs: [{ name: 'input', ...f32([1, 3, null, null]) }], outputs: [{ name: 'output', ...f32([1, 48, null, null]) }] },
    head: {
      role: 'head',
      file: 'nanotrack-v2/head.onnx',
      inputs: [{ name: 'input1', ...f32([1, 48, 8, 8]) }, { name: 'input2', ...f32([1, 48, 16, 16]) }],
      outputs: [{ name: 'output1', ...f32([1, 2, 16, 16]) }, { name: 'output2', ...f32([1, 4, 16, 16]) }],
    },
  },
};

function frame(seed: number): SotFrame {
  const rnd = seededRandom(seed);
  return { data: Uint8Array.from({ length: 160 * 120 * 4 }, () => Math.floor(rnd() * 256)), width: 160, height: 120 };
}

describe('loadSotTracker (NanoTrack v2 files)', () => {
  it('makes the dims the config leaves open symbolic', () => {
    expect(openDims(settings.onnx.backbone)).toEqual({ input: { 2: 'input_dim2', 3: 'input_dim3' }, output: { 2: 'output_dim2', 3: 'output_dim3' } });
    expect(openDims(settings.onnx.head)).toEqual({});
  });

  it('loads, tracks, and gives identical results from a tracker made on the same sessions', async () => {
    const sot = await loadSotTracker(ort, settings, read, { providers: ['wasm'] });
    try {
      const run = async (tracker: typeof sot.tracker) => {
        await tracker.init(frame(1), [50, 40, 30, 20]);
        return [await tracker.track(frame(2)), await tracker.track(frame(3))];
      };
      const a = await run(sot.tracker);
      expect(sot.timings.backbone).toBeGreaterThan(0);
      const b = await run(sot.withSettings(settings));
      expect(b).toEqual(a);
      const c = await run(sot.withSettings({ ...settings, test: { ...settings.test, rpn: { ...settings.test.rpn, lr: 0 } } }));
      // lr 0: the size never changes.
      expect(c[1]!.box.slice(2)).toEqual([30, 20]);
      expect(() => sot.withSettings({ ...settings, type: 'SiamFC' } as never)).toThrow(/a SiamFC config for a NanoTrack model/);
    } finally {
      await sot.release();
    }
  });

  it('checks a pinned sha256 on the original file and reports I/O that disagrees with the config', async () => {
    const pinned = { ...settings, onnx: { ...settings.onnx, backbone: { ...settings.onnx.backbone, sha256: '0'.repeat(64) } } };
    await expect(loadSotTracker(ort, pinned, read, { providers: ['wasm'] })).rejects.toThrow(/sha256 is [0-9a-f]{64}, the config \(onnx\.backbone\.sha256\) pins 0{64}/);
    const wrongHead = { ...settings, onnx: { ...settings.onnx, head: { ...settings.onnx.head, inputs: [{ name: 'input1', ...f32([1, 64, 8, 8]) }, settings.onnx.head.inputs[1]!] } } };
    const err = await loadSotTracker(ort, wrongHead, read, { providers: ['wasm'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toMatch(/head\.onnx: onnx\.head input 'input1': dim 1 is 48, the config expects 64/);
  });
});
