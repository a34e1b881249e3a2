// Issue 13's default VID benchmark on the app's paths: configs/vid/default.py (DFF on the default CenterNet, the
// Lucas–Kanade flow, key frame every 10) against per-frame detection with the same detector
// (configs/det/centernet_mobilenetv3_coco.py) in the real app (vite build + preview, system Chromium), one after the
// other in one run on the same video: each config picked in the Config panel, ../shared/sot/street-car/video.mp4
// opened, detection switched on, then frames stepped with the player's `seek(i)`, which awaits the frame's detection
// (decode, worker, draw: what a user waits for). Frame 0 is a warm-up; frames/s is over frames 1..N. Agreement: bbox
// mAP@50 of the default VID's detections taking the per-frame detector's (score >= 0.3) as ground truth, as in
// vid.bench.ts (the CLI path).
// BENCH_VID_APP_EPS=wasm,webgpu picks the EPs (default wasm: without a GPU, WebGPU is SwiftShader, about a minute a
// CenterNet frame); BENCH_VID_APP_FRAMES=N the timed frames (default 60). Run: npm run bench -- vid-app
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import type { Browser } from '@playwright/test';
import type { CocoDetection } from '../../src/core/datasets/coco-vid.ts';
import { makeDetections } from '../../src/core/structures/detections.ts';
import { printTable, sharedDir, startBenchBrowser } from './lib/browser.ts';
import { agreement, toCoco } from './lib/vid-agreement.ts';

const VIDEO = resolve(sharedDir, 'sot/street-car/video.mp4');
const VIDEO_FRAMES = 150;
const FRAMES = Number(process.env.BENCH_VID_APP_FRAMES ?? 60);
if (!Number.isInteger(FRAMES) || FRAMES < 1 || FRAMES >= VIDEO_FRAMES) throw new Error(`BENCH_VID_APP_FRAMES=${process.env.BENCH_VID_APP_FRAMES}: expected 1..${VIDEO_FRAMES - 1}`);
const EPS = (process.env.BENCH_VID_APP_EPS ?? 'wasm').split(',').map((s) => s.trim());
for (const ep of EPS) if (ep !== 'wasm' && ep !== 'webgpu') throw new Error(`BENCH_VID_APP_EPS: unknown EP '${ep}' (wasm, webgpu)`);
const DETECTOR = 'configs/det/centernet_mobilenetv3_coco.py';
const DEFAULT_VID = 'configs/vid/default.py';

interface Measured {
  epText: string;
  wallMs: number[];
  /** Frame → detections as plain arrays. */
  results: Record<number, { boxes: number[]; scores: number[]; labels: number[] }>;
  /** The VID method's stage means over the warped frames (ms), when it is one. */
  warpedStages: Record<string, number>;
}

async function runConfig(browser: Browser, baseUrl: string, ep: string, config: string): Promise<Measured> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}/?ep=${ep}`);
    await page.getByTestId('config-select').locator(`option[value="${config}"]`).waitFor({ state: 'attached', timeout: 60_000 });
    await page.getByTestId('config-select').selectOption(config);
    await page.getByTestId('video-input').setInputFiles(VIDEO);
    await page.getByTestId('frame-count').filter({ hasText: String(VIDEO_FRAMES) }).waitFor({ timeout: 120_000 });
    await page.getByTestId('detect-toggle').check();
    await page.getByTestId('execution-provider').waitFor({ timeout: 300_000 });
    const epText = ((await page.getByTestId('execution-provider').textContent()) ?? '').trim();
    await page.waitForFunction(() => (window as unknown as { mmtrack: { detect: { getState(): { results: Map<number, unknown> } } } }).mmtrack.detect.getState().results.has(0), null, { timeout: 300_000, polling: 200 });
    const measured = await page.evaluate(async (n) => {
      type Store<S> = { getState(): S };
      type Det = { boxes: Float32Array; scores: Float32Array; labels: Int32Array };
      type Timings = { video?: { keyFrame: boolean; stages: { name: string; ms: number }[] } };
      const { player, detect } = (window as unknown as {
        mmtrack: { player: Store<{ seek(i: number): Promise<void>; error: string | null }>; detect: Store<{ results: ReadonlyMap<number, Det>; timings: Timings | null; error: string | null }> };
      }).mmtrack;
      const wallMs: number[] = [];
      const sums: Record<string, number> = {};
      let warped = 0;
      for (let i = 1; i <= n; i++) {
        const t = performance.now();
        await player.getState().seek(i);
        wallMs.push(performance.now() - t);
        const s = detect.getState();
        if (!s.results.has(i)) throw new Error(`frame ${i + 1}: no detections (${s.error ?? player.getState().error ?? 'no error reported'})`);
        const v = s.timings?.video;
        if (v && !v.keyFrame) {
          warped++;
          for (const st of v.stages) sums[st.name] = (sums[st.name] ?? 0) + st.ms;
        }
      }
      const results: Record<number, { boxes: number[]; scores: number[]; labels: number[] }> = {};
      for (const [i, d] of detect.getState().results) if (i <= n) results[i] = { boxes: Array.from(d.boxes), scores: Array.from(d.scores), labels: Array.from(d.labels) };
      const warpedStages: Record<string, number> = {};
      for (const [k, v] of Object.entries(sums)) warpedStages[k] = v / warped;
      return { wallMs, results, warpedStages };
    }, FRAMES);
    return { epText, ...measured };
  } finally {
    await context.close();
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const coco = (m: Measured): CocoDetection[] =>
  Object.entries(m.results).flatMap(([i, d]) => toCoco(makeDetections({ boxes: Float32Array.from(d.boxes), scores: Float32Array.from(d.scores), labels: Int32Array.from(d.labels) }), Number(i)));

async function main(): Promise<void> {
  const bench = await startBenchBrowser(4184);
  const { browser, baseUrl } = bench;
  const rows: (string | number)[][] = [];
  try {
    for (const ep of EPS) {
      console.log(`- ?ep=${ep}: per-frame detector, then the default VID, frames 2-${FRAMES + 1}`);
      const det = await runConfig(browser, baseUrl, ep, DETECTOR);
      const vid = await runConfig(browser, baseUrl, ep, DEFAULT_VID);
      const [detFps, vidFps] = [det, vid].map((m) => 1000 / mean(m.wallMs)) as [number, number];
      const a = agreement(coco(det), coco(vid), FRAMES + 1);
      const stages = Object.entries(vid.warpedStages).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
      console.log(`  ${vid.epText}: ${vidFps.toFixed(2)} vs ${detFps.toFixed(2)} frames/s, mAP@50 agreement ${a.map50.toFixed(3)}; warped frames: ${stages}`);
      rows.push([`app ?ep=${ep} → ${vid.epText}`, `${FRAMES} (2-${FRAMES + 1})`, detFps.toFixed(2), vidFps.toFixed(2), `${(vidFps / detFps).toFixed(2)}x`, a.gtBoxes, a.map50.toFixed(3), stages]);
    }
  } finally {
    await bench.close();
  }
  printTable(
    `Default VID (key frame every 10) vs per-frame CenterNet in the app, street-car/video.mp4 (640x360); ${cpus().length} cores`,
    ['path', 'timed frames', 'per-frame frames/s', 'default VID frames/s', 'ratio', 'reference boxes', 'mAP@50 agreement', 'warped-frame stages (ms)'],
    rows,
  );
}

await main();
