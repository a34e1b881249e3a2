// Issue 6's end-to-end figure: detector + ByteTrack in Chromium, the app as users get it (vite build + preview):
// open the video, press Track with the default MOT config, read the run's frames/s (decode, transfer, detection in
// the worker, tracking, drawing) and the detector's stage timings from the app. BENCH_MOT_EP picks the execution
// provider (`wasm` by default: on this machine's software WebGPU adapter the WebGPU EP needs ~40 s a frame; use
// `webgpu` on a machine with a GPU).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { printTable, sharedDir, startBenchBrowser } from './lib/browser.ts';

const EP = process.env.BENCH_MOT_EP ?? 'wasm';
const videos = [
  { name: 'street-540p-h264.mp4 (960x540, 8 frames)', path: resolve(sharedDir, 'media/street-540p-h264.mp4'), frames: 8 },
  { name: 'street-car video.mp4 (640x360, 150 frames)', path: resolve(sharedDir, 'sot/street-car/video.mp4'), frames: 150 },
];

const bench = await startBenchBrowser(4187);
const rows: Array<Array<string | number>> = [];
try {
  for (const v of videos) {
    const page = await bench.browser.newPage();
    await page.goto(`${bench.baseUrl}/?ep=${EP}`);
    await page.getByTestId('config-select').waitFor();
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-testid="config-select"]')?.value.includes('bytetrack'), null, { timeout: 60_000 });
    await page.getByTestId('video-input').setInputFiles(v.path);
    await page.waitForFunction((n) => document.querySelector('[data-testid="frame-count"]')?.textContent === String(n), v.frames, { timeout: 120_000 });
    const started = Date.now();
    await page.getByTestId('track-run').click();
    await page.waitForFunction(() => /tracks$/.test(document.querySelector('[data-testid="track-status"]')?.textContent ?? ''), null, { timeout: 1_800_000 });
    const wallS = (Date.now() - started) / 1000;
    const progress = (await page.getByTestId('track-progress').locator('xpath=following-sibling::span').textContent()) ?? '';
    const fps = /([\d.]+) frames\/s/.exec(progress)?.[1] ?? '?';
    const ep = (await page.getByTestId('execution-provider').textContent().catch(() => null)) ?? EP;
    const timing = async (k: string) => (await page.getByTestId(`timing-${k}`).textContent()) ?? '';
    rows.push([v.name, ep.trim(), fps, wallS.toFixed(1), await timing('ort'), await timing('total'), (await page.getByTestId('track-count').textContent()) ?? '']);
    await page.close();
  }
} finally {
  await bench.close();
}
printTable(`Detector + ByteTrack in Chromium (configs/mot/default.py, ?ep=${EP}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`, ['video', 'execution provider', 'frames/s (run)', 'wall s (press to done)', 'last frame ORT', 'last frame detector total', 'tracks'], rows);
