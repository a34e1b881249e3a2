// mmtrack batch scaling on this machine: the 8-video MOT batch of the integration test (street, 8 frames, and 7
// clips of the pan/zoom sequence, here 10 frames each: 78 frames) run by 1, 2 and 4 worker processes against a real
// redis-server, beside one `mmtrack test` process on the same videos. Wall time from the workers' start to
// `batch collect --wait` returning (model loading included, as a user sees it).
// Run: npx tsx scripts/bench/batch.bench.ts   (or: npm run bench -- batch)
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisServer } from '../../src/cli/batch/redis-server.fixture.ts';
import { makeMotDataset } from '../../src/cli/test-datasets.fixture.ts';

const repo = new URL('../../', import.meta.url).pathname;
const bin = join(repo, 'bin/mmtrack');
const FRAMES = Number(process.env.BENCH_BATCH_FRAMES ?? 10);
const WORKERS = (process.env.BENCH_BATCH_WORKERS ?? '1,2,4').split(',').map(Number);

function run(args: string[]): string {
  const r = spawnSync(bin, args, { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mmtrack ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const root = mkdtempSync(join(tmpdir(), 'mmtrack-bench-batch-'));
const prefix = makeMotDataset(root, Array.from({ length: 7 }, (_, k) => ({ first: k * 3, count: FRAMES })));
const data = ['--cfg-options', `data.test.img_prefix=${prefix}`, 'data.test.ann_file=None'];
const totalFrames = 8 + 7 * FRAMES;

const rows: string[][] = [];
let t0 = performance.now();
const reference = run(['test', 'configs/mot/default.py', '--out', mkdtempSync(join(tmpdir(), 'mmtrack-bench-out-')), ...data]);
const single = (performance.now() - t0) / 1000;
rows.push(['mmtrack test (1 process, no Redis)', single.toFixed(1), (8 / single).toFixed(3), (totalFrames / single).toFixed(2), '1.00']);

const redis = await RedisServer.start();
try {
  for (const n of WORKERS) {
    const out = mkdtempSync(join(tmpdir(), 'mmtrack-bench-out-'));
    run(['batch', 'submit', 'configs/mot/default.py', '--redis', redis.url, '--out', out, '--name', `bench-${n}`, ...data]);
    t0 = performance.now();
    const workers: ChildProcess[] = Array.from({ length: n }, () => spawn(bin, ['batch', 'worker', '--redis', redis.url], { cwd: repo, stdio: 'ignore' }));
    const metrics = run(['batch', 'collect', '--redis', redis.url, '--batch', `bench-${n}`, '--wait']);
    const wall = (performance.now() - t0) / 1000;
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))));
    if (metrics !== reference) throw new Error(`batch with ${n} workers printed other metrics than mmtrack test`);
    rows.push([`mmtrack batch, ${n} worker${n > 1 ? 's' : ''}`, wall.toFixed(1), (8 / wall).toFixed(3), (totalFrames / wall).toFixed(2), (single / wall).toFixed(2)]);
  }
} finally {
  await redis.dispose();
}

console.log(`\nmmtrack batch: 8 videos, ${totalFrames} frames, configs/mot/default.py (wasm EP, 1 thread per process), ${cpus().length} cores; metrics equal to mmtrack test's in every row`);
const header = ['run', 'wall s', 'videos/s', 'frames/s', 'speed-up vs test'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
console.log(`| ${header.map((h, i) => h.padEnd(widths[i]!)).join(' | ')} |`);
console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
