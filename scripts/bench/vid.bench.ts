// Issue 13's default VID benchmark: configs/vid/default.py (DFF on the default CenterNet, the Lucas–Kanade flow)
// against per-frame detection with the same detector (configs/det/centernet_mobilenetv3_coco.py), side by side in one
// run on the same decoded frames, on the CLI's path (`mmtrack detect`'s runners on the CLI's runtime: onnxruntime-node,
// or the wasm build with MMTRACK_ORT=wasm; CPU twins for flow, warp and decoding). Per video and key-frame interval (1, 5, 10):
// - frames/s of each and their ratio (model load and decoding excluded; the frames are decoded once, up front);
// - agreement: bbox mAP@50 (COCO's evaluation, src/core/eval/coco-bbox.ts) of the default VID's detections taking the
//   per-frame detector's detections with score >= 0.3 as ground truth (class-aware, COCO's 80 classes);
// - mean milliseconds per stage over the key frames and over the warped frames.
// Videos: ../shared/sot/street-car/video.mp4 (150 frames, 640x360) and the three 8-frame street clips.
// BENCH_VID_VIDEOS=a,b (paths under ../shared) and BENCH_VID_INTERVALS=1,5,10 override. Run: npm run bench -- vid
import { resolve } from 'node:path';
import { cpus } from 'node:os';
import { applyCfgOptions, parseCfgOptions } from '../../src/core/config/cfg-options.ts';
import { loadConfig } from '../../src/core/config/config-loader.ts';
import { nodeConfigFs } from '../../src/core/config/node-config-fs.node.ts';
import type { CocoDetection } from '../../src/core/datasets/coco-vid.ts';
import { openFrames } from '../../src/media/ffmpeg-frame-reader.node.ts';
import { loadDetectorRunner } from '../../src/runtime/detectors/detector-runner.ts';
import type { LoadedModel } from '../../src/runtime/model-session.ts';
import { loadVidRunner, type RgbaFrame } from '../../src/runtime/vid/vid-runner.ts';
import { DEFAULT_MODEL_DIR, loadCliModel } from '../../src/cli/model-dir.ts';
import { nodeOrt } from '../../src/runtime/node-ort.node.ts';
import { printTable, repoRoot, sharedDir } from './lib/browser.ts';
import { agreement, GT_SCORE, toCoco } from './lib/vid-agreement.ts';

const VIDEOS = (process.env.BENCH_VID_VIDEOS ?? 'sot/street-car/video.mp4,media/street-360p-vp9.webm,media/street-540p-h264.mp4,media/street-1080p-mpeg4.mp4').split(',');
const INTERVALS = (process.env.BENCH_VID_INTERVALS ?? '1,5,10').split(',').map(Number);

const load = (spec: Parameters<typeof loadCliModel>[0]): Promise<LoadedModel> => loadCliModel(spec, DEFAULT_MODEL_DIR);
const config = async (path: string) => (await loadConfig(resolve(repoRoot, path), nodeConfigFs)).config;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');

async function main(): Promise<void> {
  const { ort, label } = await nodeOrt();
  console.log(`vid bench: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${label}`);
  const detConfig = await config('configs/det/centernet_mobilenetv3_coco.py');
  const vidConfig = await config('configs/vid/default.py');
  const rows: Array<Array<string | number>> = [];
  const stageRows: Array<Array<string | number>> = [];
  for (const video of VIDEOS) {
    const frames: RgbaFrame[] = [];
    for await (const f of openFrames(resolve(sharedDir, video)).frames()) frames.push(f);
    const name = video.split('/').slice(-2).join('/');
    // The per-frame detector, once per video: the reference for every interval.
    const det = await loadDetectorRunner(ort, detConfig, load);
    await det.detect(frames[0]!.data, frames[0]!.width, frames[0]!.height); // warm-up
    const reference: CocoDetection[] = [];
    let t0 = performance.now();
    for (const [i, f] of frames.entries()) reference.push(...toCoco((await det.detect(f.data, f.width, f.height)).detections, i));
    const detFps = (frames.length * 1000) / (performance.now() - t0);
    await det.release();
    for (const interval of INTERVALS) {
      const vid = await loadVidRunner(ort, applyCfgOptions(vidConfig, parseCfgOptions([`model.test_cfg.key_frame_interval=${interval}`])), load);
      const source = { get: (j: number) => Promise.resolve(frames[j] ?? null) };
      await vid.detect(0, source); // warm-up (frame 0 is a key frame; the loop below starts over from it)
      const dets: CocoDetection[] = [];
      const stages = { key: new Map<string, number[]>(), warped: new Map<string, number[]>() };
      t0 = performance.now();
      for (let i = 0; i < frames.length; i++) {
        const r = await vid.detect(i, source);
        dets.push(...toCoco(r.detections, i));
        const into = r.keyFrame ? stages.key : stages.warped;
        for (const s of r.stages) into.set(s.name, [...(into.get(s.name) ?? []), s.ms]);
      }
      const vidFps = (frames.length * 1000) / (performance.now() - t0);
      await vid.release();
      const a = agreement(reference, dets, frames.length);
      rows.push([name, frames.length, interval, detFps.toFixed(2), vidFps.toFixed(2), `${(vidFps / detFps).toFixed(2)}x`, a.gtBoxes, a.map50.toFixed(3)]);
      const stage = (kind: 'key' | 'warped', s: string) => ms(mean(stages[kind].get(s) ?? []));
      stageRows.push([name, interval, ...['preprocess', 'backbone', 'head', 'postprocess'].map((s) => stage('key', s)), ...['preprocess', 'flow', 'warp', 'head', 'postprocess'].map((s) => stage('warped', s))]);
      console.log(`  ${name} interval ${interval}: ${vidFps.toFixed(2)} vs ${detFps.toFixed(2)} frames/s, mAP@50 agreement ${a.map50.toFixed(3)}`);
    }
  }
  printTable(
    `Default VID (DFF on CenterNet, Lucas–Kanade flow) vs per-frame CenterNet, CLI path (wasm), agreement = bbox mAP@50 against the per-frame detections with score >= ${GT_SCORE}`,
    ['video', 'frames', 'key-frame interval', 'per-frame det frames/s', 'default VID frames/s', 'ratio', 'reference boxes', 'mAP@50 agreement'],
    rows,
  );
  printTable(
    'Mean ms per stage: key frames | warped frames',
    ['video', 'interval', 'key: preprocess', 'backbone', 'head', 'postprocess', 'warped: preprocess', 'flow', 'warp', 'head', 'postprocess'],
    stageRows,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
