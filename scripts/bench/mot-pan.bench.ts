// Issue 6's camera-pan measurement: a pan over one still frame of ../shared/media/street-1080p-mpeg4.mp4 (crop
// window 1280x720 moving 22 px a frame, scaled to 960x540, 30 frames at 10 fps). Ground truth: the person boxes the
// default detector finds on the full-resolution still (score >= 0.3), moved exactly with the crop window (kept while
// at least half visible). Tracked by the default MOT config (ByteTrack) through the CLI's runner; scored with our
// TrackEval port. Also the same ground truth fed as perfect detections (the tracker alone). PAN_STEP (px/frame) and
// PAN_CROP (w,h,y of the window) change the pan, e.g. PAN_STEP=4 PAN_CROP=1792,1008,36 for a near-full-frame window.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-web';
import { runMotTrack } from '../../src/cli/commands/track-mot.ts';
import { openFrames } from '../../src/cli/frame-reader.ts';
import { nodeConfigFs } from '../../src/cli/node-config-fs.ts';
import { loadConfig } from '../../src/core/config/config-loader.ts';
import { parseMotGt, parseMotTracker, writeMotTracker } from '../../src/core/datasets/mot-challenge.ts';
import { evalMot } from '../../src/core/eval/eval-mot.ts';
import { centerNetSettings } from '../../src/core/models/det/centernet.ts';
import { MotRun } from '../../src/core/models/mot/mot-run.ts';
import { makeDetections } from '../../src/core/structures/detections.ts';
import { CenterNetCpuRunner } from '../../src/runtime/detectors/centernet-cpu.ts';
import { loadModel } from '../../src/runtime/model-session.ts';
import { printTable, repoRoot, sharedDir } from './lib/browser.ts';

const FRAMES = 30;
const STEP = Number(process.env.PAN_STEP ?? 22);
const [CROP_W, CROP_H, CROP_Y] = (process.env.PAN_CROP ?? '1280,720,180').split(",").map(Number) as [number, number, number];
const SCALE = 960 / CROP_W;
const dir = mkdtempSync(join(tmpdir(), 'mmtrack-pan-'));
const still = join(dir, 'still.png');
const video = join(dir, 'pan.mp4');
execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', resolve(sharedDir, 'media/street-1080p-mpeg4.mp4'), '-frames:v', '1', still]);
execFileSync('ffmpeg', ['-v', 'error', '-y', '-framerate', '10', '-loop', '1', '-i', still, '-vf', `crop=${CROP_W}:${CROP_H}:n*${STEP}:${CROP_Y},scale=960:540:flags=bicubic`, '-frames:v', String(FRAMES), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-crf', '12', video]);

const { config } = await loadConfig(resolve(repoRoot, 'configs/mot/default.py'), nodeConfigFs);
const settings = centerNetSettings(config);
const model = await loadModel(ort, new Uint8Array(readFileSync(resolve(repoRoot, 'public/models/centernet_mobilenetv3_coco.onnx'))), 'centernet', settings.onnx, { providers: ['wasm'] });
const rows: Array<Array<string | number>> = [];
for (const gtThr of [0.3, 0.2]) {
  const detector = new CenterNetCpuRunner(ort, model.session, { ...settings, scoreThr: gtThr });
  let frame;
  for await (const f of openFrames(still).frames()) frame = f;
  if (!frame) throw new Error('no still frame');
  const d = (await detector.detect(frame.data, frame.width, frame.height)).detections;
  const objects: number[][] = [];
  for (let i = 0; i < d.scores.length; i++) if (d.labels[i] === 0) objects.push(Array.from(d.boxes.subarray(i * 4, i * 4 + 4)));
  const gtLines: string[] = [];
  for (let n = 0; n < FRAMES; n++) {
    objects.forEach((b, id) => {
      const [x1, y1, x2, y2] = [(b[0]! - n * STEP) * SCALE, (b[1]! - CROP_Y) * SCALE, (b[2]! - n * STEP) * SCALE, (b[3]! - CROP_Y) * SCALE];
      const [cx1, cy1, cx2, cy2] = [Math.max(0, x1), Math.max(0, y1), Math.min(960, x2), Math.min(540, y2)];
      if (cx2 <= cx1 || cy2 <= cy1 || (cx2 - cx1) * (cy2 - cy1) < 0.5 * (x2 - x1) * (y2 - y1)) return;
      gtLines.push(`${n + 1},${id + 1},${cx1},${cy1},${cx2 - cx1},${cy2 - cy1},1,1,1`);
    });
  }
  const gt = parseMotGt(gtLines.join('\n'), 'gt.txt').value;
  const out = join(dir, `out-${gtThr}`);
  const started = performance.now();
  await runMotTrack(config, ['--input', video, '--out', out], { stdout: () => undefined, stderr: () => undefined });
  const seconds = (performance.now() - started) / 1000;
  const tracked = parseMotTracker(readFileSync(join(out, 'pan.txt'), 'utf8'), 'pan.txt').value;
  const r = evalMot([{ name: 'pan', gt, tracker: tracked, seqLength: FRAMES }]).combined;
  rows.push([`detector on pan frames`, gtThr, objects.length, r.identity.IDF1.toFixed(3), r.identity.IDP.toFixed(3), r.identity.IDR.toFixed(3), r.clear.MOTA.toFixed(3), r.clear.IDSW, (FRAMES / seconds).toFixed(1)]);
  // The tracker alone: ground truth as detections.
  const perfect = new MotRun(config, settings.classNames);
  for (let n = 0; n < FRAMES; n++) {
    const fr = gtLines.filter((l) => l.startsWith(`${n + 1},`)).map((l) => l.split(',').map(Number));
    await perfect.step(n, makeDetections({ boxes: fr.flatMap((v) => [v[2]!, v[3]!, v[2]! + v[4]!, v[3]! + v[5]!]), scores: fr.map(() => 0.9), labels: fr.map(() => 0) }));
  }
  const p = evalMot([{ name: 'pan', gt, tracker: parseMotTracker(writeMotTracker(perfect.motRows()), 'perfect.txt').value, seqLength: FRAMES }]).combined;
  rows.push([`ground truth as detections`, gtThr, objects.length, p.identity.IDF1.toFixed(3), p.identity.IDP.toFixed(3), p.identity.IDR.toFixed(3), p.clear.MOTA.toFixed(3), p.clear.IDSW, '']);
}
await model.session.release();
printTable(`Camera pan (${FRAMES} frames, ${STEP * SCALE} px/frame at 960x540) — ByteTrack (configs/mot/default.py)`, ['detections', 'gt score >=', 'gt objects', 'IDF1', 'IDP', 'IDR', 'MOTA', 'IDSW', 'frames/s (wasm, CPU)'], rows);
