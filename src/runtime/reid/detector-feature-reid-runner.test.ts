// The detector-features ReID on real frames: the people of frame 1 of street-540p found again in frame 4 by their
// embeddings alone (no boxes), a check that the pooled features carry appearance.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { openFrames } from '../../media/ffmpeg-frame-reader.node.ts';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import { centerNetSettings } from '../../core/models/det/centernet.ts';
import type { DetectorFeatureReidSettings } from '../../core/models/mot/detector-feature-reid.ts';
import { reidSettings } from '../../core/models/mot/reid-settings.ts';
import { CenterNetCpuRunner } from '../detectors/centernet-cpu.ts';
import { loadModel } from '../model-session.ts';
import { DetectorFeatureReidRunner } from './detector-feature-reid-runner.ts';

function iouXyxy(p: Float32Array, q: Float32Array): number {
  const w = Math.max(0, Math.min(p[2]!, q[2]!) - Math.max(p[0]!, q[0]!));
  const h = Math.max(0, Math.min(p[3]!, q[3]!) - Math.max(p[1]!, q[1]!));
  const inter = w * h;
  return inter / ((p[2]! - p[0]!) * (p[3]! - p[1]!) + (q[2]! - q[0]!) * (q[3]! - q[1]!) - inter);
}

const repo = resolve(import.meta.dirname, '../../..');
const models = resolve(repo, 'public/models');

describe('DetectorFeatureReidRunner', () => {
  it('embeds whole frames through the 255x255-exported graph and re-finds most people of frame 1 in frame 4', async () => {
    const { config } = await loadConfig(resolve(repo, 'configs/mot/deepsort/deepsort_centernet_mobilenetv3_coco-person_detector-features.py'), nodeConfigFs);
    const s = reidSettings(config) as DetectorFeatureReidSettings;
    const reid = await DetectorFeatureReidRunner.load(ort, new Uint8Array(readFileSync(resolve(models, s.onnx.file))), s.onnx.file, s, { providers: ['wasm'] });
    const det = centerNetSettings(config);
    const model = await loadModel(ort, new Uint8Array(readFileSync(resolve(models, det.onnx.file))), det.onnx.file, det.onnx, { providers: ['wasm'] });
    const detector = new CenterNetCpuRunner(ort, model.session, { ...det, scoreThr: 0.3 });
    const people: Array<{ boxes: Float32Array; emb: Float32Array; dim: number }> = [];
    for await (const f of openFrames(resolve(repo, '../shared/media/street-540p-h264.mp4')).frames()) {
      if (f.index !== 0 && f.index !== 3) continue;
      const d = (await detector.detect(f.data, f.width, f.height)).detections;
      const keep = [...d.labels.keys()].filter((i) => d.labels[i] === 0);
      const boxes = Float32Array.from(keep.flatMap((i) => Array.from(d.boxes.subarray(i * 4, i * 4 + 4))));
      const e = await reid.embed(f.data, f.width, f.height, boxes);
      expect(e.dim).toBe(32 * 4 * 2);
      people.push({ boxes, emb: e.data, dim: e.dim });
    }
    await reid.release();
    await model.session.release();
    const [a, b] = people as [(typeof people)[0], (typeof people)[0]];
    const n = (p: typeof a) => p.boxes.length / 4;
    expect(n(a)).toBeGreaterThanOrEqual(10);
    // The same person in frame 4: the box overlapping most (the scene barely moves in 3 frames).
    let pairs = 0;
    let found = 0;
    for (let i = 0; i < n(a); i++) {
      let same = -1;
      let bestIou = 0.5;
      for (let j = 0; j < n(b); j++) {
        const iou = iouXyxy(a.boxes.subarray(i * 4, i * 4 + 4), b.boxes.subarray(j * 4, j * 4 + 4));
        if (iou > bestIou) [same, bestIou] = [j, iou];
      }
      if (same < 0) continue;
      pairs++;
      const dist = (j: number) => Math.hypot(...Array.from(a.emb.subarray(i * a.dim, (i + 1) * a.dim), (v, k) => v - b.emb[j * b.dim + k]!));
      const nearest = [...Array(n(b)).keys()].reduce((best, j) => (dist(j) < dist(best) ? j : best), 0);
      if (nearest === same) found++;
    }
    expect(pairs).toBeGreaterThanOrEqual(8);
    // Appearance alone re-finds at least 80 % of them among all people of frame 4.
    expect(found / pairs).toBeGreaterThanOrEqual(0.8);
  }, 60_000);
});
