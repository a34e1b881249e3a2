// Shared helpers of the evaluation benches: timing the CLI in this process and as a new process, and running the
// real reference tools of ../shared/references (TrackEval, MMTracking's eval_sot_ope) through their drivers.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';

export const REFERENCES = fileURLToPath(new URL('../../../shared/references', import.meta.url));

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

/**
 * Wall and CPU seconds (user + system, the process and its children: bash's `time`) of `COMMAND ARGS` as a new
 * process, median of `reps` runs; the last run's stdout and stderr. `env`: variables added to this process's.
 */
export function timeProcess(command: string, args: string[], reps: number, env: Record<string, string> = {}): Timing & { stdout: string; stderr: string } {
  const walls: number[] = [];
  const cpus: number[] = [];
  let stdout = '';
  let stderr = '';
  const quoted = [command, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  for (let r = 0; r < reps; r++) {
    // The command's stdout and stderr go to file descriptors of their own (3, 5) so `time`'s line (4) stays apart.
    const p = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; { time ${quoted} >&3 2>&5; } 3>&1 2>&4`], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const timing = String(p.output[4] ?? '').trim().split('\n').pop() ?? '';
    const [wall, user, sys] = timing.split(' ').map(Number);
    if (p.status !== 0 || !(wall! >= 0)) throw new Error(`${command} ${args.join(' ')} failed (${p.status}): ${String(p.output[5] ?? '').slice(-500)}`);
    walls.push(wall!);
    cpus.push(user! + sys!);
    stdout = p.stdout;
    stderr = String(p.output[5] ?? '');
  }
  return { wallS: median(walls), cpuS: median(cpus), stdout, stderr };
}

/** `./bin/mmtrack ARGS` as a new process. */
export function timeSpawnedCli(args: string[], reps: number): Timing & { stdout: string; stderr: string } {
  return timeProcess(fileURLToPath(new URL('../../bin/mmtrack', import.meta.url)), args, reps);
}

/**
 * A reference driver (`run_trackeval.py`, `run_sot_ope.py`) `reps` times: the median of the CPU and wall seconds it
 * reports for its whole process (`_timing`) and its metrics; `missing` when the references or python3 are absent.
 */
export function timeReference(driver: string, args: string[], reps: number): (Timing & { result: Record<string, Record<string, number>> }) | { missing: string } {
  const script = `${REFERENCES}/${driver}`;
  if (!existsSync(script)) return { missing: `${script} not found (../shared/references)` };
  const walls: number[] = [];
  const cpus: number[] = [];
  let result: Record<string, Record<string, number>> = {};
  for (let r = 0; r < reps; r++) {
    const p = spawnSync('python3', [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (p.error || p.status !== 0) return { missing: `${driver} failed (python3 with numpy and scipy needed): ${p.error?.message ?? p.stderr.trim().split('\n').pop()}` };
    result = JSON.parse(p.stdout) as Record<string, Record<string, number>>;
    walls.push(result._timing!.wall_s!);
    cpus.push(result._timing!.cpu_s!);
  }
  return { wallS: median(walls), cpuS: median(cpus), result };
}

export function printTable(rows: (string | number)[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(`| ${r.map((v, c) => String(v).padEnd(widths[c]!)).join(' | ')} |`);
}
