// Shared helpers of the evaluation benches: timing an in-process CLI run and the numpy timing stand-in.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';

export const STANDIN = fileURLToPath(new URL('./eval_numpy_standin.py', import.meta.url));

export interface Timing {
  wallS: number;
  cpuS: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Runs `mmtrack ARGS` in this process: one untimed warm-up (JIT), then `reps` timed runs; returns the median wall /
 * CPU seconds of the timed runs, the first (cold) run's, and the last stdout.
 */
export async function timeCli(args: string[], reps: number): Promise<Timing & { stdout: string; coldWallS: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  let stdout = '';
  let coldWallS = 0;
  for (let r = -1; r < reps; r++) {
    let out = '';
    let err = '';
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    if (r < 0) coldWallS = wall;
    else {
      walls.push(wall);
      cpus.push((c.user + c.system) / 1e6);
    }
    if (code !== 0) throw new Error(`mmtrack ${args.join(' ')} failed (${code}): ${err}`);
    stdout = out;
  }
  return { wallS: median(walls), cpuS: median(cpus), stdout, coldWallS };
}

/** Wall seconds of `./bin/mmtrack ARGS` as a fresh process (Node start + TypeScript transpile by tsx included). */
export function timeSpawnedCli(binary: string, args: string[]): number {
  const t0 = performance.now();
  const p = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (p.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed: ${p.stderr}`);
  return (performance.now() - t0) / 1000;
}

/** Runs the numpy stand-in `reps` times; undefined (with the reason) when python3/numpy/scipy are missing. */
export function timeStandin(task: 'mot' | 'sot', gt: string, results: string, reps: number): (Timing & { metrics: Record<string, number> }) | { missing: string } {
  const walls: number[] = [];
  const cpus: number[] = [];
  let metrics: Record<string, number> = {};
  for (let r = 0; r < reps; r++) {
    const p = spawnSync('python3', [STANDIN, task, gt, results], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (p.error || p.status !== 0) return { missing: `python3 with numpy and scipy (apt-get install python3-numpy python3-scipy): ${p.error?.message ?? p.stderr.trim().split('\n').pop()}` };
    const out = JSON.parse(p.stdout) as { seconds: number; cpu_seconds: number; metrics: Record<string, number> };
    walls.push(out.seconds);
    cpus.push(out.cpu_seconds);
    metrics = out.metrics;
  }
  return { wallS: median(walls), cpuS: median(cpus), metrics };
}

export function printTable(rows: (string | number)[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(`| ${r.map((v, c) => String(v).padEnd(widths[c]!)).join(' | ')} |`);
}
