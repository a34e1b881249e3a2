// Issue 15's peak-memory benchmark: a 10-minute 1080p video tracked end to end in the app (vite build + preview,
// system Chromium), configs/mot/default.py on the wasm EP (BENCH_MEMORY_EP), memory sampled every 2 s while it runs.
// The video is generated here with ffmpeg: ../shared's 1080p street clip looped to 10 minutes, H.264. Its frame rate
// is BENCH_MEMORY_FPS (1 by default): on this 2-core machine a 1080p frame takes ~0.5 s to detect on the wasm EP, so
// 30 frames/s (18 000 frames) would take hours; the duration, the resolution and the container are a real 10-minute
// video's, the frame count is what a run here can do. What the app keeps per frame (results, tracks) grows with the
// frame count; decoded frames must not be kept at all.
// Memory: resident set (VmRSS, /proc) of the browser's processes, walked down from this process: the renderer (the
// tab: the page and its workers, ORT's wasm heap included), the GPU process and the rest. "Flat": the renderer's
// resident set over the second half of the run against the first (the largest sample of each half).
// BENCH_MEMORY_LIVE=1 also prints, every 20 s, the live JavaScript/DOM memory of the page and of each worker
// (`performance.measureUserAgentSpecificMemory`, made immediate by a Blink flag; it collects garbage first, so it
// lowers the resident peaks: use it to see what is live, not for the table).
// BENCH_MEMORY_MINUTES shortens the video (for trying the bench). Run: npm run bench -- memory
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { printTable, sharedDir, startBenchBrowser } from './lib/browser.ts';

const EP = process.env.BENCH_MEMORY_EP ?? 'wasm';
const FPS = Number(process.env.BENCH_MEMORY_FPS ?? '1');
const MINUTES = Number(process.env.BENCH_MEMORY_MINUTES ?? '10');
const SAMPLE_MS = 2000;
const LIVE = process.env.BENCH_MEMORY_LIVE === '1';
const LIVE_EVERY_MS = 20_000;
const MB = 1024 * 1024;

interface Proc { pid: number; ppid: number; type: string; rssBytes: number }

/** Every process below `root` with its Chromium `--type` (browser: none) and resident set. */
function descendants(root: number): Proc[] {
  const all: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
      // Chromium rewrites its children's command lines into one space-separated string.
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const type = /--type=(\S+)/.exec(cmdline)?.[1] ?? (/chrom/.test(cmdline.split(' ')[0] ?? '') ? 'browser' : 'other');
      all.push({ pid: Number(name), ppid, type, rssBytes: rssKb * 1024 });
    } catch {
      // the process ended while being read
    }
  }
  const below = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) if (!below.has(p.pid) && below.has(p.ppid)) { below.add(p.pid); grew = true; }
  }
  return all.filter((p) => p.pid !== root && below.has(p.pid));
}

function sample(): Record<string, number> {
  const by: Record<string, number> = {};
  // Chromium's processes only (not vite preview's node, also a child of this process).
  for (const p of descendants(process.pid)) if (p.type !== 'other') by[p.type] = (by[p.type] ?? 0) + p.rssBytes;
  return by;
}

const dir = mkdtempSync(join(tmpdir(), 'mmtrack-bench-memory-'));
const video = join(dir, `street-1080p-${MINUTES}min.mp4`);
const frames = Math.round(MINUTES * 60 * FPS);
const source = resolve(sharedDir, 'media/street-1080p-mpeg4.mp4');
if (!existsSync(source)) throw new Error(`${source} not found`);
let t = Date.now();
const ff = spawnSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '-1', '-i', source, '-t', String(MINUTES * 60), '-vf', `fps=${FPS}`, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', video], { stdio: 'inherit' });
if (ff.status !== 0) throw new Error('ffmpeg failed to generate the video');
console.log(`generated ${video}: ${frames} frames, 1920x1080, ${MINUTES} min at ${FPS} frame/s (${((Date.now() - t) / 1000).toFixed(0)} s)`);

/** Live JS/DOM bytes by realm (the page, each worker by its script's file name), after a garbage collection. */
async function liveMemory(page: Page): Promise<string> {
  const m = await page.evaluate(async () => {
    type Measured = { bytes: number; breakdown: Array<{ bytes: number; attribution: Array<{ scope?: string; url?: string }> }> };
    const perf = performance as Performance & { measureUserAgentSpecificMemory(this: Performance): Promise<Measured> };
    const r = await perf.measureUserAgentSpecificMemory();
    const by: Record<string, number> = {};
    for (const b of r.breakdown) {
      const a = b.attribution[0];
      const realm = a?.scope === 'Window' ? 'page' : a ? (a.url?.split('/').pop()?.replace(/-[\w]+\.js$/, '') ?? a.scope ?? '?') : 'shared';
      by[realm] = (by[realm] ?? 0) + b.bytes;
    }
    return { total: r.bytes, by };
  });
  const parts = Object.entries(m.by).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / MB).toFixed(1)}`);
  return `live ${(m.total / MB).toFixed(1)} MB: ${parts.join(', ')}`;
}

const bench = await startBenchBrowser(4191, LIVE ? ['--enable-blink-features=ForceEagerMeasureMemory'] : []);
const samples: Array<{ s: number; frame: number; by: Record<string, number> }> = [];
let result: { wallS: number; fps: string; tracks: string };
try {
  const page = await bench.browser.newPage();
  await page.goto(`${bench.baseUrl}/?ep=${EP}`);
  await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-testid="config-select"]')?.value.includes('bytetrack'), null, { timeout: 60_000 });
  const idle = sample();
  await page.getByTestId('video-input').setInputFiles(video);
  await page.waitForFunction((n) => document.querySelector('[data-testid="frame-count"]')?.textContent === String(n), frames, { timeout: 300_000 });
  samples.push({ s: 0, frame: 0, by: sample() });
  console.log(`opened; renderer ${((samples[0]!.by.renderer ?? 0) / MB).toFixed(0)} MB (idle page before opening: ${((idle.renderer ?? 0) / MB).toFixed(0)} MB)`);
  t = Date.now();
  await page.getByTestId('track-run').click();
  const status = () => page.evaluate(() => document.querySelector('[data-testid="track-status"]')?.textContent ?? '');
  const done = async () => {
    const s = await status();
    if (/cancelled|error|fail/i.test(s) || (s && !/tracks$/.test(s))) throw new Error(`the run stopped: ${s}`);
    return /tracks$/.test(s);
  };
  const frameNow = () => page.evaluate(() => document.querySelector<HTMLProgressElement>('[data-testid="track-progress"]')?.value ?? NaN);
  let last = 0;
  let lastLive = 0;
  while (!(await done())) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    samples.push({ s: (Date.now() - t) / 1000, frame: await frameNow(), by: sample() });
    if (LIVE && Date.now() - lastLive > LIVE_EVERY_MS) {
      lastLive = Date.now();
      const s = samples.at(-1)!;
      console.log(`  ${s.s.toFixed(0)} s, frame ${s.frame}: renderer ${((s.by.renderer ?? 0) / MB).toFixed(0)} MB resident; ${await liveMemory(page)}`);
    }
    if (Date.now() - last > 60_000) {
      last = Date.now();
      const s = samples.at(-1)!;
      console.log(`  ${s.s.toFixed(0)} s, frame ${s.frame}: renderer ${((s.by.renderer ?? 0) / MB).toFixed(0)} MB, gpu-process ${((s.by['gpu-process'] ?? 0) / MB).toFixed(0)} MB`);
    }
  }
  samples.push({ s: (Date.now() - t) / 1000, frame: frames, by: sample() });
  const progress = (await page.getByTestId('track-progress').locator('xpath=following-sibling::span').textContent()) ?? '';
  result = { wallS: (Date.now() - t) / 1000, fps: /([\d.]+) frames\/s/.exec(progress)?.[1] ?? '?', tracks: (await page.getByTestId('track-count').textContent()) ?? '' };
} finally {
  await bench.close();
  rmSync(dir, { recursive: true, force: true });
}

const types = [...new Set(samples.flatMap((s) => Object.keys(s.by)))].sort();
const peak = (k: string, from = 0, to = samples.length) => Math.max(...samples.slice(from, to).map((s) => s.by[k] ?? 0));
const total = (s: (typeof samples)[number]) => Object.values(s.by).reduce((a, b) => a + b, 0);
const half = Math.floor(samples.length / 2);
printTable(
  `Peak resident memory, 10-minute 1080p video tracked in the app (configs/mot/default.py, ?ep=${EP}; ${frames} frames at ${FPS} frame/s; ${result.fps} frames/s, ${result.wallS.toFixed(0)} s, ${result.tracks}; ${samples.length} samples every ${SAMPLE_MS / 1000} s)`,
  ['process', 'after opening MB', 'peak, first half MB', 'peak, second half MB', 'peak MB', 'at the end MB'],
  [
    ...types.map((k) => [k, ((samples[0]!.by[k] ?? 0) / MB).toFixed(0), (peak(k, 0, half) / MB).toFixed(0), (peak(k, half) / MB).toFixed(0), (peak(k) / MB).toFixed(0), ((samples.at(-1)!.by[k] ?? 0) / MB).toFixed(0)]),
    ['all Chromium processes', (total(samples[0]!) / MB).toFixed(0), (Math.max(...samples.slice(0, half).map(total)) / MB).toFixed(0), (Math.max(...samples.slice(half).map(total)) / MB).toFixed(0), (Math.max(...samples.map(total)) / MB).toFixed(0), (total(samples.at(-1)!) / MB).toFixed(0)],
  ],
);
const tab = peak('renderer');
console.log(`\nthe tab (renderer) peaked at ${(tab / MB).toFixed(0)} MB: ${tab < 1024 * MB ? 'under' : 'OVER'} 1 GB; second half vs first half ${(peak('renderer', half) / peak('renderer', 0, half)).toFixed(2)}x`);
