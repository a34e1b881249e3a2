// Issue 6's camera-pan measurement: pans over one still frame of ../shared/media/street-1080p-mpeg4.mp4, every
// object's box known exactly from the crop window. Ground truth: the person boxes the default detector finds on the
// full-resolution still (score >= GT_THR, default 0.25: the default ByteTrack config's high and init thresholds),
// moved with the window (kept while at least half visible). Tracked by the default MOT config (ByteTrack) through
// the CLI's runner, scored with our TrackEval port; also the ground truth fed as perfect detections (the tracker
// alone). Scenarios:
//   native  the window is the still's size (1920x1080) moving over it (black beyond its right edge): the detector
//           sees every person at the still's scale; STEP px a frame at 1080p
//   zoomed  a 1280x720 window (1.5x zoom) moving 22 px a frame: the detector sees the people larger than on the still
// PAN_STEPS (comma list, native scenario) and GT_THR change them. Output frames are 960x540, 30 frames at 10 fps.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-web';
import { runMotTrack } from '../../src/cli/commands/track-mot.ts';
import { openFrames } from '../../src/media/ffmpeg-frame-reader.node.ts';
import { nodeConfigFs } from '../../src/core/config/node-config-fs.node.ts';
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
const GT_THR = Number(process.env.GT_THR ?? 0.25);
const STEPS = (process.env.PAN_STEPS ?? '8,22').split(',').map(Number);

interface Pan {
  name: string;
  /** Window size and top edge in still pixels; it moves `step` px right a frame. */
  w: number;
  h: number;
  y: number;
  step: number;
}
const pans: Pan[] = [...STEPS.map((step) => ({ name: `native scale, ${step} px/frame`, w: 1920, h: 1080, y: 0, step })), { name: 'zoomed 1.5x, 22 px/frame', w: 1280, h: 720, y: 180, step: 22 }];

const dir = mkdtempSync(join(tmpdir(), 'mmtrack-pan-'));
const still = join(dir, 'still.png');
execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', resolve(sharedDir, 'media/street-1080p-mpeg4.mp4'), '-frames:v', '1', still]);

const { config } = await loadConfig(resolve(repoRoot, 'configs/mot/default.py'), nodeConfigFs);
const settings = centerNetSettings(config);
const model = await loadModel(ort, new Uint8Array(readFileSync(resolve(repoRoot, 'public/models/centernet_mobilenetv3_coco.onnx'))), 'centernet', settings.onnx, { providers: ['wasm'] });
const detector = new CenterNetCpuRunner(ort, model.session, { ...settings, scoreThr: GT_THR });
let frame;
for await (const f of openFrames(still).frames()) frame = f;
if (!frame) throw new Error('no still frame');
const d = (await detector.detect(frame.data, frame.width, frame.height)).detections;
const objects: number[][] = [];
for (let i = 0; i < d.scores.length; i++) if (d.labels[i] === 0) objects.push(Array.from(d.boxes.subarray(i * 4, i * 4 + 4)));

const rows: Array<Array<string | number>> = [];
for (const pan of pans) {
  const scale = 960 / pan.w;
  const video = join(dir, `pan-${pan.w}-${pan.step}.mp4`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-framerate', '10', '-loop', '1', '-i', still, '-vf', `pad=${1920 + FRAMES * pan.step}:1080:0:0:black,crop=${pan.w}:${pan.h}:n*${pan.step}:${pan.y},scale=960:540:flags=bicubic`, '-frames:v', String(FRAMES), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-crf', '12', video]);
  const gtLines: string[] = [];
  for (let n = 0; n < FRAMES; n++) {
    objects.forEach((b, id) => {
      const [x1, y1, x2, y2] = [(b[0]! - n * pan.step) * scale, (b[1]! - pan.y) * scale, (b[2]! - n * pan.step) * scale, (b[3]! - pan.y) * scale];
      const [cx1, cy1, cx2, cy2] = [Math.max(0, x1), Math.max(0, y1), Math.min(960, x2), Math.min(540, y2)];
      if (cx2 <= cx1 || cy2 <= cy1 || (cx2 - cx1) * (cy2 - cy1) < 0.5 * (x2 - x1) * (y2 - y1)) return;
      gtLines.push(`${n + 1},${id + 1},${cx1},${cy1},${cx2 - cx1},${cy2 - cy1},1,1,1`);
    });
  }
  const gt = parseMotGt(gtLines.join('\n'), 'gt.txt').value;
  const out = join(dir, `out-${pan.w}-${pan.step}`);
  const started = performance.now();
  await runMotTrack(config, { input: video, out, 'cfg-options': [] }, { stdout: () => undefined, stderr: () => undefined });
  const seconds = (performance.now() - started) / 1000;
  const name = `pan-${pan.w}-${pan.step}`;
  const tracked = parseMotTracker(readFileSync(join(out, `${name}.txt`), 'utf8'), `${name}.txt`).value;
  const r = evalMot([{ name, gt, tracker: tracked, seqLength: FRAMES }]).combined;
  rows.push([pan.name, 'detector on the pan frames', objects.length, r.identity.IDF1.toFixed(3), r.identity.IDP.toFixed(3), r.identity.IDR.toFixed(3), r.clear.MOTA.toFixed(3), r.clear.IDSW, (FRAMES / seconds).toFixed(1)]);
  // The tracker alone: ground truth as detections.
  const perfect = new MotRun(config, settings.classNames);
  for (let n = 0; n < FRAMES; n++) {
    const fr = gtLines.filter((l) => l.startsWith(`${n + 1},`)).map((l) => l.split(',').map(Number));
    await perfect.step(n, makeDetections({ boxes: fr.flatMap((v) => [v[2]!, v[3]!, v[2]! + v[4]!, v[3]! + v[5]!]), scores: fr.map(() => 0.9), labels: fr.map(() => 0) }));
  }
  const p = evalMot([{ name, gt, tracker: parseMotTracker(writeMotTracker(perfect.motRows()), 'perfect.txt').value, seqLength: FRAMES }]).combined;
  rows.push([pan.name, 'ground truth as detections', objects.length, p.identity.IDF1.toFixed(3), p.identity.IDP.toFixed(3), p.identity.IDR.toFixed(3), p.clear.MOTA.toFixed(3), p.clear.IDSW, '']);
}
await model.session.release();
printTable(`Camera pans over one still (${FRAMES} frames at 960x540; gt = the detector's people on the full still, score >= ${GT_THR}) — ByteTrack (configs/mot/default.py)`, ['pan', 'detections', 'gt objects', 'IDF1', 'IDP', 'IDR', 'MOTA', 'IDSW', 'frames/s (wasm, CPU)'], rows);
