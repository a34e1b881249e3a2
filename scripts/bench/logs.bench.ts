// Training-log analysis on a generated 200 MB MMCV JSON log: streaming parse (64 KiB chunks, UTF-8 decoding) +
// curve data (a loss per iteration, bbox_mAP per epoch) + cal_train_time, next to an independent Python
// re-implementation of MMTracking's load_json_logs + plot_curve data (scripts/bench/logs_load_json_logs.py)
// on the same file when python3 with numpy is present.
//   npx tsx scripts/bench/logs.bench.ts [--mb 200]
// Each side runs in its own process; peak memory is that process's max RSS (and the JS heap peak, sampled).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { curveSeries } from '../../src/core/logs/curves.ts';
import { calTrainTime } from '../../src/core/logs/train-time.ts';
import { readJsonLogFile } from '../../src/cli/read-json-log.ts';

const KEYS = ['loss_cls', 'bbox_mAP'];
const self = fileURLToPath(import.meta.url);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Writes an MMCV-style log of about `mb` MB: env line, then per epoch train lines (every iteration) and one val line. */
function generateLog(path: string, mb: number): { lines: number; bytes: number } {
  const fd = openSync(path, 'w');
  let buffer: string[] = [];
  let size = 0;
  let bytes = 0;
  let lines = 0;
  const put = (line: string) => {
    buffer.push(line);
    size += line.length + 1;
    lines++;
    if (size > 4 << 20) flush();
  };
  const flush = () => {
    bytes += writeSync(fd, `${buffer.join('\n')}\n`);
    buffer = [];
    size = 0;
  };
  put(JSON.stringify({ env_info: 'sys.platform: linux\nPython: 3.7.10\nGPU 0: Tesla V100 — synthetic benchmark log', config: "model = dict(type='DFF')", seed: 1 }));
  const itersPerEpoch = 20000;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const r = (v: number) => Math.round(v * 1e5) / 1e5;
  for (let epoch = 1; bytes + size < mb * 1e6; epoch++) {
    for (let iter = 1; iter <= itersPerEpoch && bytes + size < mb * 1e6; iter++) {
      const p = 1 / (1 + (epoch - 1) * 0.5 + iter / itersPerEpoch);
      put(
        `{"mode": "train", "epoch": ${epoch}, "iter": ${iter}, "lr": ${r(0.01 / epoch)}, "memory": ${2500 + Math.floor(rand() * 100)}, "data_time": ${r(0.01 + rand() * 0.02)}, ` +
          `"loss_rpn_cls": ${r(0.1 * p + rand() * 0.01)}, "loss_rpn_bbox": ${r(0.08 * p)}, "loss_cls": ${r(0.8 * p + rand() * 0.02)}, "acc": ${r(100 - 40 * p)}, ` +
          `"loss_bbox": ${r(0.6 * p)}, "loss": ${r(1.6 * p)}, "grad_norm": ${r(3 + rand() * 8)}, "time": ${r(0.4 + rand() * 0.05)}}`,
      );
    }
    put(`{"mode": "val", "epoch": ${epoch}, "iter": 555, "lr": ${r(0.01 / epoch)}, "bbox_mAP": ${r(0.3 + 0.02 * epoch)}, "bbox_mAP_50": ${r(0.5 + 0.03 * epoch)}, "bbox_mAP_copypaste": "x"}`);
  }
  flush();
  closeSync(fd);
  return { lines, bytes };
}

/** Child process: parse + curves + cal_train_time of one file, JSON on stdout. */
async function measure(path: string): Promise<void> {
  const startRss = process.memoryUsage().rss;
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 10);
  const t0 = performance.now();
  const log = await readJsonLogFile(path);
  const t1 = performance.now();
  const points = KEYS.reduce((n, key) => n + curveSeries(log, key, 'iter').x.length, 0);
  const t2 = performance.now();
  calTrainTime(log);
  const t3 = performance.now();
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  const retained = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  console.log(JSON.stringify({ start_rss_mb: startRss / 1e6, parse_s: (t1 - t0) / 1000, curves_s: (t2 - t1) / 1000, train_time_s: (t3 - t2) / 1000, maxrss_kb: process.resourceUsage().maxRSS, heap_peak_mb: heapPeak / 1e6, retained_mb: retained / 1e6, lines: log.stats.lines, points, malformed: log.stats.malformedCount }));
}

function run(): void {
  const mbArg = process.argv.indexOf('--mb');
  const mb = mbArg > 0 ? Number(process.argv[mbArg + 1]) : 200;
  const dir = mkdtempSync(join(tmpdir(), 'mmtrack-bench-logs-'));
  try {
    const file = join(dir, 'big.log.json');
    let t = performance.now();
    const { lines } = generateLog(file, mb);
    const size = statSync(file).size;
    console.log(`generated ${(size / 1e6).toFixed(1)} MB, ${lines} lines in ${((performance.now() - t) / 1000).toFixed(1)} s (${file})`);

    t = performance.now();
    const ts = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', file], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 20 });
    if (ts.status !== 0) throw new Error(`TypeScript measurement failed: ${ts.stderr}`);
    const m = JSON.parse(ts.stdout.trim().split('\n').pop()!) as Record<string, number>;
    const rows: string[][] = [];
    rows.push([
      'mmtrack-web core (Node 20, streaming, 64 KiB chunks)',
      m.parse_s!.toFixed(2),
      m.curves_s!.toFixed(2),
      (m.parse_s! + m.curves_s!).toFixed(2),
      (size / 1e6 / m.parse_s!).toFixed(0),
      `${(m.maxrss_kb! / 1024).toFixed(0)} (at start ${m.start_rss_mb!.toFixed(0)})`,
      `${m.heap_peak_mb!.toFixed(0)} (retained ${m.retained_mb!.toFixed(0)})`,
    ]);
    const extra = `cal_train_time ${(m.train_time_s! * 1000).toFixed(0)} ms; ${m.points} curve points; ${m.lines} lines, ${m.malformed} malformed`;

    const py = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    if (py.status === 0) {
      const p = spawnSync('python3', [join(repoRoot, 'scripts/bench/logs_load_json_logs.py'), file, ...KEYS], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (p.status !== 0) throw new Error(`python failed: ${p.stderr}`);
      const q = JSON.parse(p.stdout.trim()) as Record<string, number>;
      if (q.points !== m.points) console.log(`note: python built ${q.points} curve points, TypeScript ${m.points}`);
      const version = spawnSync('python3', ['-c', 'import sys, numpy; print(sys.version.split()[0], numpy.__version__)'], { encoding: 'utf8' }).stdout.trim();
      rows.push([
        `Python re-implementation of load_json_logs + plot_curve data (python ${version.replace(' ', ', numpy ')})`,
        q.load_s!.toFixed(2),
        q.curves_s!.toFixed(2),
        (q.load_s! + q.curves_s!).toFixed(2),
        (size / 1e6 / q.load_s!).toFixed(0),
        (q.maxrss_kb! / 1024).toFixed(0),
        '-',
      ]);
    } else {
      rows.push(['Python re-implementation: skipped (no python3 with numpy)', '-', '-', '-', '-', '-', '-']);
    }
    console.log(`\n| what | parse s | curve data s | total s | MB/s (parse) | peak RSS MB | JS heap peak MB |\n|---|---|---|---|---|---|---|`);
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    console.log(`\n${extra}; whole benchmark ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await measure(process.argv[3]!);
else run();
