// Issue 4's detector benchmark, one table from one run on ../shared/media/street-540p-h264.mp4 (8 frames, 960x540):
// - our full detector pipeline in the real app in Chromium (decode → worker → pre-process → ORT → peaks/boxes →
//   read-back → draw), `?ep=webgpu` (ORT WebGPU EP + our WGSL kernels on one device) and `?ep=wasm` (ORT wasm EP +
//   CPU twins), frames stepped with the player's `seek(i)`, which awaits the frame's detection;
// - the same CenterNet weights (@vladmandic/human's TFJS graph model) run by TensorFlow.js as human runs it, on its
//   WebGPU and wasm backends, in a bench page (scripts/bench/pages/tfjs-centernet.*) in the same Chromium;
// - NMS for 1 000 and 10 000 boxes: scripts/bench/nms.bench.ts, run as a child process, its rows folded in.
// Frame 1 is a warm-up (WebGPU compiles its pipelines on the first run) and reported on its own; frames/s and the
// stage means are over the frames after it, excluding model load. Without a GPU, WebGPU is SwiftShader on the CPU
// (tens of seconds a frame), so the WebGPU paths time only BENCH_DETECTOR_GPU_FRAMES frames (default 1) and the
// wasm paths BENCH_DETECTOR_CPU_FRAMES (default 7 = frames 2-8); on a GPU machine raise the first to 7.
// BENCH_DETECTOR_PATHS=app-webgpu,app-wasm,tfjs-webgpu,tfjs-wasm,nms picks paths (default all);
// BENCH_DETECTOR_TIMEOUT_S bounds each browser path (default 420); BENCH_DETECTOR_VERBOSE=1 prints the pages'
// console. Run: npm run bench -- detector
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { relative, resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { loadConfig } from '../../src/core/config/config-loader.ts';
import { centerNetSettings } from '../../src/core/models/det/centernet.ts';
import { nodeConfigFs } from '../../src/core/config/node-config-fs.node.ts';
import type { StageTimings } from '../../src/runtime/detectors/stage-timings.ts';
import { startBenchPages } from './lib/bench-pages.ts';
import { printTable, repoRoot, sharedDir, startBenchBrowser } from './lib/browser.ts';
import type { TfjsCenterNetOptions, TfjsCenterNetResult } from './pages/tfjs-centernet.ts';

const VIDEO = resolve(sharedDir, 'media/street-540p-h264.mp4');
const VIDEO_FRAMES = 8;
const DETECTOR_CONFIG = resolve(repoRoot, 'configs/det/centernet_mobilenetv3_coco.py');
const HUMAN_MODELS = resolve(repoRoot, 'node_modules/@vladmandic/human/models');
const TFJS_WASM_DIST = resolve(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

function envInt(name: string, fallback: number, min: number, max: number): number {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name}=${process.env[name]}: expected an integer in ${min}..${max}`);
  return v;
}
const GPU_FRAMES = envInt('BENCH_DETECTOR_GPU_FRAMES', 1, 1, VIDEO_FRAMES - 1);
const CPU_FRAMES = envInt('BENCH_DETECTOR_CPU_FRAMES', VIDEO_FRAMES - 1, 1, VIDEO_FRAMES - 1);
const PATH_TIMEOUT_MS = envInt('BENCH_DETECTOR_TIMEOUT_S', 420, 10, 3600) * 1000;
const VERBOSE = process.env.BENCH_DETECTOR_VERBOSE === '1';
/** "All threads" for both wasm sides: the machine's cores, at most 4 (the app's default leaves one core to the page). */
const THREADS = Math.min(4, cpus().length);
const PATHS = ['app-webgpu', 'app-wasm', 'tfjs-webgpu', 'tfjs-wasm', 'nms'] as const;
type PathName = (typeof PATHS)[number];
const chosen = new Set((process.env.BENCH_DETECTOR_PATHS ?? PATHS.join(',')).split(',').map((s) => s.trim()));
for (const p of chosen) if (!(PATHS as readonly string[]).includes(p)) throw new Error(`BENCH_DETECTOR_PATHS: unknown path '${p}' (known: ${PATHS.join(', ')})`);

/** Timed frames after the warm-up frame 0 (0-based). */
const timedFrames = (gpu: boolean) => Array.from({ length: gpu ? GPU_FRAMES : CPU_FRAMES }, (_, i) => i + 1);
const frameRange = (frames: number[]) => (frames.length === 1 ? `frame ${frames[0]! + 1}` : `frames ${frames[0]! + 1}-${frames.at(-1)! + 1}`);

/** One row of the table: a detector path over frames, or one NMS implementation at one size. */
interface Row {
  benchmark: string;
  implementation: string;
  timed: string;
  loadS?: number;
  firstFrameS?: number;
  /** Mean wall ms per frame (detector) or median ms per call (NMS). */
  msPerRun?: number;
  framesPerS?: number;
  stages?: { preprocess: number; model: number; post: number; readback?: number; total: number };
  output: string;
  error?: string;
  /** The WebGPU adapter a WebGPU path ran on (vendor · architecture). */
  adapter?: string;
  /** What happened on the way (e.g. a lost GPU device, recovered from), printed under the table. */
  notes?: string[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;

async function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one path in its own browser context, so a failure or a timeout (context closed) costs only its row. */
async function inContext(browser: Browser, row: Omit<Row, 'output'>, work: (page: Page) => Promise<Row>): Promise<Row> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const t = Date.now();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  if (VERBOSE) {
    page.on('console', (m) => console.log(`    [${((Date.now() - t) / 1000).toFixed(1)} s, console.${m.type()}] ${m.text().slice(0, 300)}`));
    page.on('response', (r) => {
      if (r.status() >= 400) console.log(`    [${((Date.now() - t) / 1000).toFixed(1)} s] HTTP ${r.status()} ${r.url()}`);
    });
  }
  try {
    const r = await withTimeout(`${row.benchmark} / ${row.implementation}`, PATH_TIMEOUT_MS, work(page));
    console.log(`  ${r.implementation}: done in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    return r;
  } catch (err) {
    const error = `${message(err)}${pageErrors.length ? ` (page errors: ${pageErrors.slice(0, 2).join('; ')})` : ''}`;
    console.log(`  ${row.implementation}: FAILED after ${((Date.now() - t) / 1000).toFixed(0)} s: ${error}`);
    return { ...row, output: '-', error };
  } finally {
    await context.close().catch(() => undefined);
  }
}

// --- Our pipeline in the app ---

interface AppMarks {
  t0: number;
  ready?: number;
  /** Page time at which each 0-based frame's detections arrived. */
  landed: Record<number, number>;
  failed?: string;
  errors: string[];
}

interface AppFrame {
  frame: number;
  /** From `seek(i)` called to its return (decode, detect, draw), and to the frame's boxes arriving. */
  wallMs: number;
  landedMs: number;
  timings: StageTimings;
  boxes: number;
}

async function appPath(browser: Browser, baseUrl: string, ep: 'webgpu' | 'wasm', threads?: number): Promise<Row> {
  const frames = timedFrames(ep === 'webgpu');
  const query = `?ep=${ep}${threads ? `&threads=${threads}` : ''}`;
  const row = { benchmark: 'detector, 960x540 frames', implementation: `mmtrack-web app ${query}`, timed: frameRange(frames) };
  console.log(`- ${row.implementation}, ${row.timed}`);
  return inContext(browser, row, async (page) => {
    await page.goto(`${baseUrl}/${query}`);
    await page.getByTestId('video-input').setInputFiles(VIDEO);
    await page.getByTestId('frame-count').filter({ hasText: String(VIDEO_FRAMES) }).waitFor({ timeout: 90_000 });
    // Marks, in page time, when the detector is loaded, when each frame's boxes arrive, and every error the detect
    // and player stores show meanwhile (a lost GPU device is recovered from, but costs a reload and a warm-up).
    await page.evaluate(() => {
      type Store<S> = { subscribe(f: (s: S) => void): void };
      const { detect, player } = (window as unknown as {
        mmtrack: { detect: Store<{ status: string; error: string | null; results: ReadonlyMap<number, unknown> }>; player: Store<{ error: string | null }> };
      }).mmtrack;
      const marks: AppMarks = { t0: performance.now(), landed: {}, errors: [] };
      Object.assign(window, { detectorBenchMarks: marks });
      // No named helper functions in here: tsx's keepNames would wrap them in a `__name` the page does not have.
      const seen = new Set<string>();
      detect.subscribe((s) => {
        if (s.status === 'ready') marks.ready ??= performance.now();
        for (const i of s.results.keys()) marks.landed[i] ??= performance.now();
        if (s.status === 'error') marks.failed ??= s.error ?? 'error';
        if (s.error && !seen.has(s.error) && seen.add(s.error)) marks.errors.push(`${((performance.now() - marks.t0) / 1000).toFixed(1)} s: ${s.error}`);
      });
      player.subscribe((s) => {
        if (s.error && !seen.has(s.error) && seen.add(s.error)) marks.errors.push(`${((performance.now() - marks.t0) / 1000).toFixed(1)} s: ${s.error}`);
      });
    });
    await page.getByTestId('detect-toggle').check();
    await page.getByTestId('execution-provider').waitFor({ timeout: PATH_TIMEOUT_MS });
    const epText = ((await page.getByTestId('execution-provider').textContent()) ?? '').trim();
    const marksHandle = await page.waitForFunction(
      () => {
        const m = (window as unknown as { detectorBenchMarks: AppMarks }).detectorBenchMarks;
        return m.failed !== undefined || (m.ready !== undefined && m.landed[0] !== undefined) ? m : null;
      },
      null,
      { timeout: PATH_TIMEOUT_MS, polling: 200 },
    );
    const loaded = (await marksHandle.jsonValue())!;
    if (loaded.failed) throw new Error(`detector: ${loaded.failed}`);
    const measured = await page.evaluate(async (indices) => {
      type Store<S> = { getState(): S };
      const { player, detect } = (window as unknown as {
        mmtrack: {
          player: Store<{ seek(i: number): Promise<void>; error: string | null }>;
          detect: Store<{ results: ReadonlyMap<number, { scores: ArrayLike<number> }>; timings: StageTimings | null; scoreThreshold: number; error: string | null }>;
        };
      }).mmtrack;
      const out: AppFrame[] = [];
      for (const i of indices) {
        const t = performance.now();
        await player.getState().seek(i);
        const wallMs = performance.now() - t;
        const landed = (window as unknown as { detectorBenchMarks: AppMarks }).detectorBenchMarks.landed[i];
        const s = detect.getState();
        const d = s.results.get(i);
        if (!d || !s.timings) throw new Error(`frame ${i + 1}: no detections (${s.error ?? player.getState().error ?? 'no error reported'})`);
        out.push({ frame: i, wallMs, landedMs: (landed ?? NaN) - t, timings: s.timings, boxes: Array.from(d.scores).filter((v) => v >= s.scoreThreshold).length });
      }
      return out;
    }, frames);
    const marks = await page.evaluate(() => (window as unknown as { detectorBenchMarks: AppMarks }).detectorBenchMarks);
    const m = (k: Exclude<keyof StageTimings, 'video'>) => mean(measured.map((f) => f.timings[k] ?? 0));
    const usedEp = /webgpu/i.test(epText) ? 'webgpu' : 'wasm';
    return {
      ...row,
      implementation: `${row.implementation} → ${epText}${usedEp !== ep ? ' [NOT the requested EP]' : ''}`,
      ...(usedEp === 'webgpu' ? { adapter: epText.replace(/^WebGPU EP · /, '') } : {}),
      loadS: (marks.ready! - marks.t0) / 1000,
      firstFrameS: (marks.landed[0]! - marks.ready!) / 1000,
      msPerRun: mean(measured.map((f) => f.wallMs)),
      framesPerS: 1000 / mean(measured.map((f) => f.wallMs)),
      stages: { preprocess: m('preprocess'), model: m('ort'), post: m('kernels'), readback: m('readback'), total: m('total') },
      output: `${mean(measured.map((f) => f.boxes)).toFixed(1)} boxes/frame`,
      notes: [
        ...marks.errors,
        // The seek's time beyond the worker's own stages (decode, transfers, queueing, draw), when it is large.
        ...measured
          .filter((f) => f.wallMs - f.timings.total > 1000)
          .map((f) => `frame ${f.frame + 1}: seek ${(f.wallMs / 1000).toFixed(1)} s, boxes arrived after ${(f.landedMs / 1000).toFixed(1)} s, worker stages ${(f.timings.total / 1000).toFixed(1)} s`),
      ],
    };
  });
}

// --- TensorFlow.js on the same weights ---

async function tfjsPath(browser: Browser, pagesUrl: string, backend: 'webgpu' | 'wasm', options: Pick<TfjsCenterNetOptions, 'scoreThreshold' | 'iouThreshold' | 'maxDetections'>, threads = 1): Promise<Row> {
  const frames = timedFrames(backend === 'webgpu');
  const row = { benchmark: 'detector, 960x540 frames', implementation: `TensorFlow.js ${backend} backend, human's CenterNet graph`, timed: frameRange(frames) };
  console.log(`- ${row.implementation}, ${row.timed}`);
  return inContext(browser, row, async (page) => {
    // tfjs-backend-wasm caps its thread pool at navigator.hardwareConcurrency / 2 (its backend.cc assumes two
    // hyper-threads a core), so on this 2-core machine it runs 1 thread whatever setThreadsCount asks. For the row at
    // N threads the page reports 2N logical cores, so that the cap is N.
    if (backend === 'wasm' && threads > 1) {
      await page.addInitScript({ content: `Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => ${2 * threads} });` });
    }
    await page.goto(`${pagesUrl}/tfjs-centernet.html`);
    await page.waitForFunction(() => 'tfjsCenterNetBench' in window, null, { timeout: 60_000 });
    const run: TfjsCenterNetOptions = {
      backend,
      modelUrl: `${pagesUrl}/models/centernet.json`,
      videoUrl: `${pagesUrl}/media/street-540p-h264.mp4`,
      wasmPrefix: `${pagesUrl}/tfjs-wasm/`,
      threads,
      warmUpFrame: 0,
      frames,
      ...options,
    };
    const r = await page.evaluate(
      (o) => (window as unknown as { tfjsCenterNetBench: { run(o: TfjsCenterNetOptions): Promise<TfjsCenterNetResult> } }).tfjsCenterNetBench.run(o),
      run,
    );
    // A row "at N threads" must have run N: tfjs-backend-wasm falls back to its 1-thread build without telling.
    if (backend === 'wasm' && r.wasmThreads !== threads) throw new Error(`asked for ${threads} wasm threads, its thread pool has ${r.wasmThreads} (${r.device})`);
    const m = (k: 'preprocess' | 'model' | 'postprocess' | 'total') => mean(r.frames.map((f) => f[k]));
    return {
      ...row,
      implementation: `TensorFlow.js ${r.tfjsVersion} ${r.backend} backend (${r.device}), human's CenterNet graph`,
      ...(backend === 'webgpu' ? { adapter: r.device } : {}),
      loadS: r.loadMs / 1000,
      firstFrameS: r.firstFrameMs / 1000,
      msPerRun: m('total'),
      framesPerS: 1000 / m('total'),
      stages: { preprocess: m('preprocess'), model: m('model'), post: m('postprocess'), total: m('total') },
      output: `${mean(r.frames.map((f) => f.boxes)).toFixed(1)} boxes/frame`,
    };
  });
}

// --- NMS (scripts/bench/nms.bench.ts in its own process) ---

function nmsRows(): { rows: Row[]; note: string } {
  const script = resolve(repoRoot, 'scripts/bench/nms.bench.ts');
  console.log('- NMS: npx tsx scripts/bench/nms.bench.ts');
  const r = spawnSync('npx', ['tsx', script], { cwd: repoRoot, encoding: 'utf8', timeout: PATH_TIMEOUT_MS });
  const lines = (r.stdout ?? '').split('\n');
  const header = lines.findIndex((l) => l.startsWith('boxes '));
  const failed = (error: string): { rows: Row[]; note: string } => {
    console.log(`  NMS: FAILED: ${error}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
    return { rows: [{ benchmark: 'NMS', implementation: 'scripts/bench/nms.bench.ts', timed: '-', output: '-', error }], note: '' };
  };
  if (header < 0) return failed(r.error ? message(r.error) : `exit ${r.status}, no table printed: ${(r.stderr ?? '').trim().split('\n').at(-1) ?? ''}`);
  const names = lines[header]!.split(/\s{2,}/);
  const col = (name: string) => names.indexOf(name);
  const rows: Row[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.trim()) break;
    const cells = line.trim().split(/\s{2,}/);
    const n = Number(cells[col('boxes')]).toLocaleString('en-US').replace(',', ' ');
    const output = `kept ${cells[col('kept')]}, same indices: ${cells[col('same indices')]}`;
    for (const [column, implementation] of [
      ['WGSL kernel', 'our WGSL NMS kernel (Node, Dawn)'],
      ['CPU twin', 'our CPU twin (Node)'],
      ['ORT NonMaxSuppression', 'ORT NonMaxSuppression op (Node, wasm)'],
    ] as const) {
      rows.push({ benchmark: `NMS, ${n} boxes`, implementation, timed: 'median', msPerRun: Number(cells[col(column)]), output });
    }
  }
  if (!rows.length) return failed('no rows in its table');
  if (r.status !== 0) console.log(`  NMS: exit ${r.status} (the bench exits 1 when the three disagree)`);
  return { rows, note: lines[header - 1]?.trim() ?? '' };
}

// --- Run ---

const fmt = (v: number | undefined, digits: number) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));
const { config } = await loadConfig(DETECTOR_CONFIG, nodeConfigFs);
const settings = centerNetSettings(config);
// TFJS post-processes with the thresholds of our default detector config, so both sides keep comparable boxes.
const tfjsOptions = { scoreThreshold: settings.scoreThr, iouThreshold: settings.nms?.iouThreshold ?? 0.5, maxDetections: settings.maxPerImg };
const rows = new Map<PathName, Row[]>();
const started = Date.now();
let chromium = '';
if (['app-webgpu', 'app-wasm', 'tfjs-webgpu', 'tfjs-wasm'].some((p) => chosen.has(p))) {
  let bench: Awaited<ReturnType<typeof startBenchBrowser>> | null = null;
  let pages: Awaited<ReturnType<typeof startBenchPages>> | null = null;
  try {
    bench = await startBenchBrowser();
    chromium = bench.browser.version();
    // wasm paths first: if a SwiftShader path runs out of time, the others are already measured.
    // wasm at 1 thread and at the machine's threads (the page is cross-origin isolated), each side.
    if (chosen.has('app-wasm')) rows.set('app-wasm', [await appPath(bench.browser, bench.baseUrl, 'wasm', 1), await appPath(bench.browser, bench.baseUrl, 'wasm', THREADS)]);
    if (chosen.has('app-webgpu')) rows.set('app-webgpu', [await appPath(bench.browser, bench.baseUrl, 'webgpu')]);
    if (chosen.has('tfjs-webgpu') || chosen.has('tfjs-wasm')) {
      const tfjsMounts = { '/models/': HUMAN_MODELS, '/tfjs-wasm/': TFJS_WASM_DIST, '/media/': resolve(sharedDir, 'media') };
      pages = await startBenchPages(tfjsMounts);
      if (chosen.has('tfjs-wasm')) {
        // 1 thread in a page that is not isolated, as human runs it on most sites; the machine's threads in a
        // cross-origin isolated page (its threaded build needs SharedArrayBuffer), served like the first.
        const isolatedPages = await startBenchPages(tfjsMounts, true);
        try {
          rows.set('tfjs-wasm', [await tfjsPath(bench.browser, pages.baseUrl, 'wasm', tfjsOptions, 1), await tfjsPath(bench.browser, isolatedPages.baseUrl, 'wasm', tfjsOptions, THREADS)]);
        } finally {
          await isolatedPages.close();
        }
      }
      if (chosen.has('tfjs-webgpu')) rows.set('tfjs-webgpu', [await tfjsPath(bench.browser, pages.baseUrl, 'webgpu', tfjsOptions)]);
    }
  } catch (err) {
    console.log(`set-up FAILED (browser, app build or bench page build): ${message(err)}`);
    for (const p of ['app-webgpu', 'app-wasm', 'tfjs-webgpu', 'tfjs-wasm'] as const) {
      if (chosen.has(p) && !rows.has(p)) rows.set(p, [{ benchmark: 'detector', implementation: p, timed: '-', output: '-', error: `set-up: ${message(err)}` }]);
    }
  } finally {
    await pages?.close();
    await bench?.close();
  }
}
let nmsNote = '';
if (chosen.has('nms')) {
  const nms = nmsRows();
  rows.set('nms', nms.rows);
  nmsNote = nms.note;
}

const table = PATHS.flatMap((p) => rows.get(p) ?? []);
const header = ['benchmark', 'implementation', 'timed', 'load s', 'frame 1 s (warm-up)', 'ms / frame or call', 'frames/s', 'pre-process ms', 'model ms', 'post-process ms', 'read-back ms', 'detector total ms', 'output'];
const cells = table.map((r) => [
  r.benchmark,
  r.implementation,
  r.timed,
  fmt(r.loadS, 2),
  fmt(r.firstFrameS, 2),
  fmt(r.msPerRun, 1),
  fmt(r.framesPerS, 2),
  fmt(r.stages?.preprocess, 1),
  fmt(r.stages?.model, 1),
  fmt(r.stages?.post, 1),
  fmt(r.stages?.readback, 1),
  fmt(r.stages?.total, 1),
  r.error ? `FAILED: ${r.error}` : r.output,
]);
const [load1] = loadavg();
const adapters = [...new Set(table.flatMap((r) => (r.adapter ? [r.adapter] : [])))];
const gpu = adapters.length ? `WebGPU adapter ${adapters.join(', ')}${adapters.some((a) => /swiftshader/i.test(a)) ? ' (software: runs on the CPU)' : ''}` : 'no WebGPU path ran';
const title = `Detector, ${relative(repoRoot, VIDEO)} (960x540 H.264, ${VIDEO_FRAMES} frames); Chromium ${chromium || '-'} headless, ${gpu}; ${cpus().length} cores, load average ${fmt(load1, 1)}; whole run ${((Date.now() - started) / 1000).toFixed(0)} s`;
printTable(title, header, cells);
for (const r of table) for (const n of r.notes ?? []) console.log(`note, ${r.implementation}: ${n}`);
if (nmsNote) console.log(`NMS: ${nmsNote}`);
console.log('\nMarkdown:\n');
console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
for (const c of cells) console.log(`| ${c.join(' | ')} |`);
if (table.some((r) => r.error)) process.exitCode = 1;
