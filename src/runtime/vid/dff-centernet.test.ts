/**
 * The default VID method (configs/vid/default.py: DFF on the default CenterNet, the Lucas–Kanade flow) on real frames
 * of the street-car clip with the models `npm install` converts: the CPU runner's key frame is exactly the whole
 * detector, its warped frames still find what the whole detector finds on them, and the GPU runner (flow,
 * warp and decoding kernels on a Dawn device; graphs on the wasm EP behind GPU buffers) gives the CPU runner's
 * detections.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { applyCfgOptions, parseCfgOptions } from '../../core/config/cfg-options.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';
import { dffCenterNetModel } from '../../core/models/vid/vid-config.ts';
import { preprocessImage } from '../../core/ops/preprocess.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { uploadBuffer } from '../../gpu/device.ts';
import { testKernelContext } from '../../gpu/parity-testing.node.ts';
import { loadDetectorRunner } from '../detectors/detector-runner.ts';
import { loadModel } from '../model-session.ts';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import { wasmOnGpu } from '../detectors/wasm-on-gpu.node.ts';
import { DffCenterNetGpuRunner } from './dff-centernet-gpu.ts';
import { loadVidRunner, type RgbaFrame } from './vid-runner.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const seq = resolve(repoRoot, '../shared/sot/street-car');
// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx = await testKernelContext();
// Key frames every 3 frames: frame 0 is a key frame, 1 and 2 are warped from it.
const base = (await loadConfig(resolve(repoRoot, 'configs/vid/default.py'), nodeConfigFs)).config;
const config = applyCfgOptions(base, parseCfgOptions(['model.test_cfg.key_frame_interval=3']));
/** The default models as `npm install` wrote them (public/models). */
const load = (spec: OnnxModelSpec) => loadModel(ort, readFileSync(resolve(repoRoot, 'public/models', spec.file)), spec.file, spec, { providers: ['wasm'] });

/** Frame i (0-based) of the sequence as RGBA. */
function frame(i: number): RgbaFrame {
  const file = resolve(seq, 'img', `${String(i + 1).padStart(6, '0')}.jpg`);
  const data = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], { maxBuffer: 1 << 24 });
  return { data: new Uint8Array(data), width: 640, height: 360 };
}
const frames = [0, 1, 2].map(frame);
const iou = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const w = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
  const h = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
  if (w <= 0 || h <= 0) return 0;
  const area = (r: ArrayLike<number>) => (r[2]! - r[0]!) * (r[3]! - r[1]!);
  return (w * h) / (area(a) + area(b) - w * h);
};
/** For each of `ref`'s detections scoring >= 0.4, the best IoU of one of ours with its label. */
function matchedIous(ours: Detections, ref: Detections): number[] {
  const out: number[] = [];
  for (let i = 0; i < ref.scores.length; i++) {
    if (ref.scores[i]! < 0.4) continue;
    let best = 0;
    for (let k = 0; k < ours.scores.length; k++) if (ours.labels[k] === ref.labels[i]) best = Math.max(best, iou(ours.boxes.subarray(k * 4, k * 4 + 4), ref.boxes.subarray(i * 4, i * 4 + 4)));
    out.push(best);
  }
  return out;
}

describe('the default VID config (DFF on CenterNet)', () => {
  const cpuResults: Detections[] = [];

  it('CPU: the key frame is the whole detector; warped frames run flow + warp + head and find what it finds', async () => {
    const vid = await loadVidRunner(ort, config, load);
    const whole = await loadDetectorRunner(ort, (await loadConfig(resolve(repoRoot, 'configs/det/centernet_mobilenetv3_coco.py'), nodeConfigFs)).config, load);
    const source = { get: (j: number) => Promise.resolve(frames[j] ?? null) };
    for (let i = 0; i < frames.length; i++) {
      const r = await vid.detect(i, source);
      cpuResults.push(r.detections);
      expect(r.keyFrame).toBe(i === 0);
      expect(r.stages.map((s) => s.name)).toEqual(i === 0 ? ['preprocess', 'backbone', 'head', 'postprocess'] : ['preprocess', 'flow', 'warp', 'head', 'postprocess']);
      const ref = (await whole.detect(frames[i]!.data, 640, 360)).detections;
      // The frame's confident per-frame detections (people walking by) are found again on the warped features.
      const ious = matchedIous(r.detections, ref);
      expect(ious.length, `frame ${i}`).toBeGreaterThan(1);
      expect(Math.min(...ious), `frame ${i}: ${ious.map((v) => v.toFixed(2)).join(' ')}`).toBeGreaterThan(0.6);
      if (i === 0) {
        expect(Array.from(r.detections.labels)).toEqual(Array.from(ref.labels));
        expect(Array.from(r.detections.scores)).toEqual(Array.from(ref.scores));
        expect(Array.from(r.detections.boxes)).toEqual(Array.from(ref.boxes));
      }
    }
    // A frame whose key frame has not run is refused.
    const fresh = await loadVidRunner(ort, config, load);
    await expect(fresh.detect(2, source)).rejects.toThrow('DFF: frame 2 warps the features of key frame 0, which has not been run');
    for (const r of [vid, whole, fresh]) await r.release();
  }, 120_000);

  it('GPU: the same detections as the CPU runner on every frame; only the key frame stays alive', async () => {
    const model = dffCenterNetModel(config);
    const sessions = { backbone: (await load(model.backbone.spec)).session, head: (await load(model.detector.onnx)).session };
    const onGpu = wasmOnGpu(ctx.device);
    const runner = new DffCenterNetGpuRunner(model, (role, feeds) => onGpu.run(sessions[role], feeds), ctx);
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i]!;
      const { data, geometry } = preprocessImage(f.data, f.width, f.height, model.detector.preprocess);
      const input = uploadBuffer(ctx.device, data, 'image');
      const r = await runner.detectTensor(input, geometry, f.width, f.height, i);
      input.destroy();
      expect(r.keyFrame).toBe(i === 0);
      expect(onGpu.live(), 'the key frame features').toBe(1);
      const cpu = cpuResults[i]!;
      expect(Array.from(r.detections.labels), `frame ${i}`).toEqual(Array.from(cpu.labels));
      // The flow is summed in float32 on the GPU, float64 on the CPU: the warped features differ by float noise.
      for (let k = 0; k < cpu.scores.length; k++) expect(Math.abs(r.detections.scores[k]! - cpu.scores[k]!)).toBeLessThan(i === 0 ? 1e-5 : 2e-3);
      for (let k = 0; k < cpu.boxes.length; k++) expect(Math.abs(r.detections.boxes[k]! - cpu.boxes[k]!)).toBeLessThan(i === 0 ? 1e-3 : 0.1);
    }
    runner.release();
    expect(onGpu.live()).toBe(0);
    for (const s of Object.values(sessions)) await s.release();
  }, 300_000);
});
