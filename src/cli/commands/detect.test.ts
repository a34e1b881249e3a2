import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CocoDetection } from '../../core/datasets/coco-vid.ts';

const repo = resolve(__dirname, '../../..');
const annotations = JSON.parse(readFileSync(join(repo, 'e2e/data/street-540p-boxes.json'), 'utf8')) as { frames: number; objects: Array<{ label: string; box: number[] }> };
const COCO_ID: Record<string, number> = { person: 1, car: 3 };

function iou(a: number[], b: number[]): number {
  const iw = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const ih = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = iw * ih;
  return inter / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter);
}

function mmtrack(args: string[]) {
  return spawnSync(join(repo, 'bin/mmtrack'), args, { cwd: repo, encoding: 'utf8' });
}

describe('mmtrack detect (default CenterNet, converted at install)', () => {
  it('finds the hand-annotated people and the white car in every frame of street-540p', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mmtrack-detect-')), 'dets.json');
    const r = mmtrack(['detect', 'configs/det/centernet_mobilenetv3_coco.py', '--input', resolve(repo, '../shared/media/street-540p-h264.mp4'), '--out', out]);
    expect(r.stderr).toMatch(/dets\.json: \d+ detections in 8 frames of street-540p-h264\.mp4/);
    expect(r.status).toBe(0);
    const dets = JSON.parse(readFileSync(out, 'utf8')) as CocoDetection[];
    expect(new Set(dets.map((d) => d.image_id))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
    for (let frame = 1; frame <= annotations.frames; frame++) {
      for (const o of annotations.objects) {
        const best = Math.max(0, ...dets.filter((d) => d.image_id === frame && d.category_id === COCO_ID[o.label]).map((d) => iou(o.box, [d.bbox[0], d.bbox[1], d.bbox[0] + d.bbox[2], d.bbox[1] + d.bbox[3]])));
        expect(best, `frame ${frame}: ${o.label} at [${o.box.join(', ')}]`).toBeGreaterThanOrEqual(0.5);
      }
    }
    expect(dets.every((d) => d.score >= 0.15 && d.bbox[2] > 0 && d.bbox[3] > 0)).toBe(true);
  }, 120_000);

  it('fails clearly on a missing model directory, a bad config and a non-video', () => {
    let r = mmtrack(['detect', 'configs/det/centernet_mobilenetv3_coco.py', '--input', 'x.mp4', '--out', '/tmp/x.json', '--model-dir', '/nonexistent']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/onnx\.detector: model file not found: \/nonexistent\/centernet_mobilenetv3_coco\.onnx/);
    r = mmtrack(['detect', 'configs/det/centernet_mobilenetv3_coco.py', '--input', resolve(repo, '../shared/media/not-a-video.mp4'), '--out', '/tmp/x.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not-a-video\.mp4: not a video or image ffmpeg can read/);
    r = mmtrack(['detect', 'configs/det/centernet_mobilenetv3_coco.py', '--input', 'x', '--out', 'y', '--cfg-options', 'model.detector.test_cfg.local_maximum_kernel=5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/local_maximum_kernel: only 3/);
  }, 60_000);
});

describe('mmtrack detect on VID configs', () => {
  // Score tolerances: SELSA's and TRoI's as in src/runtime/vid/{selsa,troi}-cpu.test.ts (attention over reference RoIs).
  for (const [method, name, summary, scoreTol] of [
    ['DFF', 'dff_tiny', /dets\.json: \d+ detections in 7 frames of .* \(DFF: 3 key frames, one every 3 frames\)/, 1e-4],
    ['FGFA', 'fgfa_tiny', /dets\.json: \d+ detections in 7 frames of .* \(FGFA, reading up to 2 frames ahead\)/, 1e-4],
    ['SELSA', 'selsa_tiny', /dets\.json: \d+ detections in 7 frames of .* \(SELSA: references 0, 2, 3, 4, 6\)/, 3e-4],
    ['Temporal RoI Align', 'troi_tiny', /dets\.json: \d+ detections in 7 frames of .* \(SELSA \+ Temporal RoI Align: references 0, 2, 3, 4, 6\)/, 3e-4],
    // The causal mode: the restatement's detections in float64 (selsa-cpu.test.ts), the frames the offline fixture's.
    ['SELSA causal', 'selsa_tiny_causal', /dets\.json: \d+ detections in 7 frames of .* \(SELSA, causal: frames up to 3 before each, none ahead\)/, 3e-4],
  ] as const) {
    it(`runs ${method} over a frame folder and writes the PyTorch restatement's detections of every frame (fixtures/${name})`, () => {
      const fixtureDir = join(repo, 'src/core/models/vid/fixtures');
      type Frames = { frames: { frame_id: number; width: number; height: number; rgb_base64: string; detections: { boxes: number[]; scores: number[]; labels: number[] } }[] };
      const read = (n: string) => JSON.parse(readFileSync(join(fixtureDir, `${n}.json`), 'utf8')) as Frames;
      const fixture = read(name);
      // A causal fixture keeps its offline fixture's frames.
      if (name.endsWith('_causal')) fixture.frames = read(name.replace('_causal', '')).frames.map((f, i) => ({ ...f, ...fixture.frames[i]! }));
      const dir = mkdtempSync(join(tmpdir(), `mmtrack-detect-${name}-`));
      for (const f of fixture.frames) {
        const png = spawnSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${f.width}x${f.height}`, '-i', '-', join(dir, `frame_${String(f.frame_id).padStart(3, '0')}.png`)], { input: Buffer.from(f.rgb_base64, 'base64') });
        expect(png.status).toBe(0);
      }
      const out = join(dir, 'dets.json');
      const r = mmtrack(['detect', join(fixtureDir, `${name}.py`), '--input', dir, '--out', out, '--model-dir', fixtureDir]);
      expect(r.stderr).toMatch(summary);
      expect(r.status).toBe(0);
      const dets = JSON.parse(readFileSync(out, 'utf8')) as CocoDetection[];
      const expected = fixture.frames.flatMap((f) =>
        f.detections.scores.map((score, i) => {
          const [x1, y1, x2, y2] = f.detections.boxes.slice(i * 4, i * 4 + 4) as [number, number, number, number];
          return { image_id: f.frame_id + 1, category_id: f.detections.labels[i]! + 1, bbox: [x1, y1, x2 - x1, y2 - y1], score };
        }),
      );
      expect(dets.length).toBe(expected.length);
      // Each restatement detection has one of ours: same frame and class, box within rounding (2 decimals), the score.
      const used = new Set<number>();
      for (const e of expected) {
        const j = dets.findIndex((d, k) => !used.has(k) && d.image_id === e.image_id && d.category_id === e.category_id && Math.abs(d.score - e.score) <= scoreTol && d.bbox.every((v, c) => Math.abs(v - e.bbox[c]!) <= 0.011));
        expect(j, `frame ${e.image_id}: class ${e.category_id}, score ${e.score}`).toBeGreaterThanOrEqual(0);
        used.add(j);
      }
    }, 120_000);
  }
});
