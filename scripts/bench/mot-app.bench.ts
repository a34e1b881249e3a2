// Issue 6's end-to-end figure: detector + ByteTrack in Chromium, the app as users get it (vite build + preview):
// open the video, press Track with the default MOT config, read the run's frames/s (decode, transfer, detection in
// the worker, tracking, drawing) and the detector's stage timings from the app. BENCH_MOT_EP picks the execution
// provider (`wasm` by default: on this machine's software WebGPU adapter the WebGPU EP needs ~40 s a frame; use
// `webgpu` on a machine with a GPU). A second table times Tracktor's per-frame requests to the worker against
// ByteTrack on the same (tiny) two-stage detector.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { meanColourReidOnnx } from '../../src/runtime/reid/mean-colour-reid.fixture.ts';
import { printTable, repoRoot, sharedDir, startBenchBrowser } from './lib/browser.ts';

const EP = process.env.BENCH_MOT_EP ?? 'wasm';
const videos = [
  { name: 'street-540p-h264.mp4 (960x540, 8 frames)', path: resolve(sharedDir, 'media/street-540p-h264.mp4'), frames: 8 },
  { name: 'street-car video.mp4 (640x360, 150 frames)', path: resolve(sharedDir, 'sot/street-car/video.mp4'), frames: 150 },
];

/** Presses Track and waits for the run: wall seconds, the run's frames/s and the execution provider shown. */
async function trackAndMeasure(page: Page): Promise<{ wallS: number; fps: string; ep: string }> {
  const started = Date.now();
  await page.getByTestId('track-run').click();
  await page.waitForFunction(() => /tracks$/.test(document.querySelector('[data-testid="track-status"]')?.textContent ?? ''), null, { timeout: 1_800_000 });
  const wallS = (Date.now() - started) / 1000;
  const progress = (await page.getByTestId('track-progress').locator('xpath=following-sibling::span').textContent()) ?? '';
  const fps = /([\d.]+) frames\/s/.exec(progress)?.[1] ?? '?';
  const ep = (await page.getByTestId('execution-provider').textContent().catch(() => null)) ?? EP;
  return { wallS, fps, ep };
}

const bench = await startBenchBrowser(4187);
const rows: Array<Array<string | number>> = [];
const tracktorRows: Array<Array<string | number>> = [];
try {
  for (const v of videos) {
    const page = await bench.browser.newPage();
    await page.goto(`${bench.baseUrl}/?ep=${EP}`);
    await page.getByTestId('config-select').waitFor();
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-testid="config-select"]')?.value.includes('bytetrack'), null, { timeout: 60_000 });
    await page.getByTestId('video-input').setInputFiles(v.path);
    await page.waitForFunction((n) => document.querySelector('[data-testid="frame-count"]')?.textContent === String(n), v.frames, { timeout: 120_000 });
    const { wallS, fps, ep } = await trackAndMeasure(page);
    const timing = async (k: string) => (await page.getByTestId(`timing-${k}`).textContent()) ?? '';
    rows.push([v.name, ep.trim(), fps, wallS.toFixed(1), await timing('ort'), await timing('total'), (await page.getByTestId('track-count').textContent()) ?? '']);
    await page.close();
  }
  // What Tracktor's per-frame requests to the worker cost (regression on the frame's features, ReID embeddings of
  // the regressed boxes, the grayscale frame for ECC): the same tiny two-stage detector (the torchvision-checked
  // fixture, random weights) under ByteTrack and under Tracktor, on the 150-frame video.
  const dir = mkdtempSync(join(tmpdir(), 'mmtrack-bench-tracktor-'));
  const fixtures = resolve(repoRoot, 'src/core/models/det/fixtures');
  for (const f of ['faster_rcnn_tiny.py', 'tracktor_tiny.py']) writeFileSync(join(dir, f), readFileSync(join(fixtures, f)));
  const reidPath = join(dir, 'reid.onnx');
  writeFileSync(reidPath, meanColourReidOnnx('N'));
  // Each config with the files it inherits from; Tracktor as in the fixture, with ECC as MMTracking configures it.
  const configs: Record<string, { lines: string[]; bases: string[] }> = {
    'bytetrack_tiny.py': {
      lines: [
        "_base_ = ['faster_rcnn_tiny.py']",
        "model = dict(_delete_=True, type='ByteTrack', detector={{ _base_.model }}, motion=dict(type='KalmanFilter'),",
        "    tracker=dict(type='ByteTracker', obj_score_thrs=dict(high=0.3, low=0.1), init_track_thr=0.3, weight_iou_with_det_scores=True,",
        '        match_iou_thrs=dict(high=0.1, low=0.5, tentative=0.3), num_frames_retain=30))',
      ],
      bases: ['faster_rcnn_tiny.py'],
    },
    'tracktor_tiny_ecc100.py': {
      lines: ["_base_ = ['tracktor_tiny.py']", 'model = dict(motion=dict(num_iters=100, stop_eps=0.00001))'],
      bases: ['tracktor_tiny.py', 'faster_rcnn_tiny.py'],
    },
  };
  for (const [name, c] of Object.entries(configs)) writeFileSync(join(dir, name), `${c.lines.join('\n')}\n`);
  const video = videos[1]!;
  for (const name of Object.keys(configs)) {
    const page = await bench.browser.newPage();
    await page.goto(`${bench.baseUrl}/?ep=${EP}`);
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-testid="config-select"]')?.value.includes('bytetrack'), null, { timeout: 60_000 });
    await page.getByTestId('config-file-input').setInputFiles([name, ...configs[name]!.bases].map((f) => join(dir, f)));
    await page.waitForFunction((n) => document.querySelector<HTMLSelectElement>('[data-testid="config-select"]')?.value === `user/${n}`, name, { timeout: 60_000 });
    await page.getByTestId('video-input').setInputFiles(video.path);
    await page.waitForFunction((n) => document.querySelector('[data-testid="frame-count"]')?.textContent === String(n), video.frames, { timeout: 120_000 });
    await page.getByTestId('model-input').setInputFiles([join(fixtures, 'faster_rcnn_tiny_backbone.onnx'), join(fixtures, 'faster_rcnn_tiny_bbox_head.onnx')]);
    if (name.startsWith('tracktor')) await page.getByTestId('reid-model-input').setInputFiles(reidPath);
    await page.waitForFunction(() => (document.querySelector('[data-testid="model-status"]')?.textContent ?? '').includes('faster_rcnn_tiny_backbone.onnx'), null, { timeout: 120_000 });
    const { wallS, fps, ep } = await trackAndMeasure(page);
    tracktorRows.push([name, ep.trim(), fps, ((wallS * 1000) / video.frames).toFixed(1), (await page.getByTestId('track-count').textContent()) ?? '']);
    await page.close();
  }
} finally {
  await bench.close();
}
printTable(`Tracktor's per-frame worker requests: the tiny Faster R-CNN fixture under ByteTrack and Tracktor (${videos[1]!.name}, ?ep=${EP})`, ['config', 'execution provider', 'frames/s (run)', 'ms per frame (wall)', 'tracks'], tracktorRows);
printTable(`Detector + ByteTrack in Chromium (configs/mot/default.py, ?ep=${EP}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`, ['video', 'execution provider', 'frames/s (run)', 'wall s (press to done)', 'last frame ORT', 'last frame detector total', 'tracks'], rows);

