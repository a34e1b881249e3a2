// Decode throughput of the WebCodecs path and the ffmpeg.wasm path on the same file, in the real app in Chromium,
// and the tab's peak JS heap while streaming the 150-frame video (memory must stay bounded: frames are not kept).
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { printTable, sharedDir, startBenchBrowser } from './lib/browser.ts';

const VIDEO = resolve(sharedDir, 'sot/street-car/video.mp4');

interface Run {
  openMs: number;
  frames: number;
  decodeMs: number;
  peakHeapMB: number;
  startHeapMB: number;
}

/** Opens the video, then steps through every frame as the player does (sequential seeks), timing both. */
async function run(page: Page, url: string): Promise<Run> {
  await page.goto(url);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1e6;
  };
  await cdp.send('HeapProfiler.collectGarbage');
  const startHeapMB = await heap();
  let peakHeapMB = startHeapMB;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakHeapMB = Math.max(peakHeapMB, await heap());
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const t0 = Date.now();
  await page.getByTestId('video-input').setInputFiles(VIDEO);
  await page.getByTestId('frame-count').filter({ hasText: /^[1-9]/ }).waitFor({ timeout: 300_000 });
  const openMs = Date.now() - t0;
  const result = await page.evaluate(async () => {
    type Store = { getState(): { info: { frameCount: number } | null; seek(i: number): Promise<void> } };
    const player = (window as unknown as { mmtrack: { player: Store } }).mmtrack.player;
    const n = player.getState().info?.frameCount ?? 0;
    const t = performance.now();
    for (let i = 0; i < n; i++) await player.getState().seek(i);
    return { frames: n, decodeMs: performance.now() - t };
  });
  sampling = false;
  await sampler;
  return { openMs, ...result, peakHeapMB, startHeapMB };
}

const bench = await startBenchBrowser();
try {
  const page = await bench.browser.newPage();
  const rows: Array<Array<string | number>> = [];
  for (const [label, query] of [['WebCodecs', ''], ['ffmpeg.wasm', '?decoder=ffmpeg']] as const) {
    const r = await run(page, `${bench.baseUrl}/${query}`);
    rows.push([label, r.frames, (r.openMs / 1000).toFixed(2), (r.frames / (r.decodeMs / 1000)).toFixed(1), (r.frames / ((r.openMs + r.decodeMs) / 1000)).toFixed(1), r.startHeapMB.toFixed(1), r.peakHeapMB.toFixed(1)]);
  }
  printTable(`Decode: ${VIDEO} (640x360 H.264, 150 frames), Chromium ${bench.browser.version()}, SwiftShader, 2 cores`,
    ['path', 'frames', 'open s', 'frames/s (decode)', 'frames/s (open+decode)', 'heap start MB', 'heap peak MB'], rows);
} finally {
  await bench.close();
}
