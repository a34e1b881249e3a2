// mmtrack batch against a real redis-server: 8 videos over 3 worker processes, one worker SIGKILLed in the middle
// of a job, Redis restarted once; every result exactly once and equal to the single-process mmtrack test.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeMotDataset } from '../test-datasets.fixture.ts';
import { RedisServer } from './redis-server.fixture.ts';

const repo = resolve(__dirname, '../../..');
const bin = join(repo, 'bin/mmtrack');
const mmtrack = (args: string[]) => spawnSync(bin, args, { cwd: repo, encoding: 'utf8' });
/** The same, without blocking the event loop (the workers' output is read meanwhile). */
const mmtrackAsync = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const p = spawn(bin, args, { cwd: repo });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('exit', (status) => done({ status, stdout, stderr }));
  });
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

interface WorkerProc {
  proc: ChildProcess;
  log: string;
}

const workers: WorkerProc[] = [];
let redis: RedisServer | null = null;

afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
  await redis?.dispose();
});

function startWorker(url: string): WorkerProc {
  // Short lock and stalled check so a killed worker's job moves on in seconds (BullMQ's defaults are 30 s).
  const proc = spawn(bin, ['batch', 'worker', '--redis', url, '--lock-duration', '10000', '--stalled-interval', '2000'], { cwd: repo });
  const w: WorkerProc = { proc, log: '' };
  proc.stderr.on('data', (d: Buffer) => (w.log += d.toString()));
  workers.push(w);
  return w;
}

async function until(what: string, test: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${workers.map((w) => w.log).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('mmtrack batch on BullMQ + redis-server', () => {
  it('8 videos, 3 workers, one SIGKILLed mid-job, Redis restarted: each result once, equal to mmtrack test; a bad video fails once with its message', async () => {
    redis = await RedisServer.start();
    const url = redis.url;
    const root = tmp('mmtrack-batchds-');
    const cars = Array.from({ length: 7 }, (_, k) => ({ first: k * 3, count: 3 }));
    const prefix = makeMotDataset(root, cars);
    const data = ['--cfg-options', `data.test.img_prefix=${prefix}`, 'data.test.ann_file=None'];

    const out = tmp('mmtrack-batch-out-');
    const submit = mmtrack(['batch', 'submit', 'configs/mot/default.py', '--redis', url, '--out', out, '--name', 'mot8', ...data]);
    expect(submit.status, submit.stderr).toBe(0);
    expect(submit.stdout).toBe('mot8\n');
    expect(submit.stderr).toMatch(/batch mot8: 8 video jobs/);

    // A dataset with an unreadable frame: its job fails once, with the file named, and is not retried.
    const badRoot = tmp('mmtrack-badds-');
    const badPrefix = makeMotDataset(badRoot, [{ first: 0, count: 3 }], false);
    writeFileSync(join(badPrefix, 'car1/img1/000002.jpg'), 'not a jpeg');
    const bad = mmtrack(['batch', 'submit', 'configs/mot/default.py', '--redis', url, '--out', tmp('mmtrack-bad-out-'), '--name', 'bad', '--cfg-options', `data.test.img_prefix=${badPrefix}`, 'data.test.ann_file=None']);
    expect(bad.status, bad.stderr).toBe(0);

    const [w1] = [startWorker(url), startWorker(url), startWorker(url)];
    // Kill the first worker that starts a job, while it runs it (its models are still loading).
    await until('a worker to start a job', () => workers.some((w) => /job mot8--\S+ \(.*\) started/.test(w.log)));
    const victim = workers.find((w) => /job mot8--\S+ \(.*\) started/.test(w.log))!;
    const killedJob = /job (mot8--\S+) \(/.exec(victim.log)![1]!;
    victim.proc.kill('SIGKILL');
    expect(w1).toBeDefined();

    // Restart Redis while the other two work.
    const doneLines = () => workers.reduce((n, w) => n + (w.log.match(/job mot8--\S+ done/g)?.length ?? 0), 0);
    await until('two jobs done', () => doneLines() >= 2);
    const doneAtRestart = doneLines();
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1000));
    await redis.launch();

    const collect = await mmtrackAsync(['batch', 'collect', '--redis', url, '--batch', 'mot8', '--wait']);
    expect(collect.status, `${collect.stderr}\n${workers.map((w) => w.log).join('\n---\n')}`).toBe(0);
    const alive = workers.filter((w) => w !== victim);
    // Redis went away with jobs still to do: the workers reconnected and finished them.
    expect(doneAtRestart).toBeLessThan(8);

    // The killed job ran again elsewhere; status says who did what.
    const status = mmtrack(['batch', 'status', '--redis', url, '--batch', 'mot8', '--json']);
    expect(status.status, status.stderr).toBe(0);
    const s = JSON.parse(status.stdout) as { done: number; failed: number; jobs: Array<{ video: string; state: string; attempts: number; worker: string }> };
    expect(s.done).toBe(8);
    expect(s.failed).toBe(0);
    const retried = s.jobs.find((j) => `mot8--${j.video}` === killedJob)!;
    expect(retried.attempts).toBeGreaterThanOrEqual(2);
    expect(victim.log).toContain(`job ${killedJob}`);
    expect(victim.log).not.toContain(`job ${killedJob} done`);
    expect(retried.worker).not.toBe(`${/^(\S+): waiting/m.exec(victim.log)![1]}`);

    // Every video's result exists once (no temporaries left), identical to one process running mmtrack test.
    const single = tmp('mmtrack-single-');
    const test = await mmtrackAsync(['test', 'configs/mot/default.py', '--out', single, ...data]);
    expect(test.status, test.stderr).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['car1.txt', 'car2.txt', 'car3.txt', 'car4.txt', 'car5.txt', 'car6.txt', 'car7.txt', 'street.txt']);
    for (const f of files) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(single, f), 'utf8'));
    expect(collect.stdout).toBe(test.stdout);

    // The bad video: failed after one attempt, reported with the file's name; collect names it and exits 2.
    const badCollect = await mmtrackAsync(['batch', 'collect', '--redis', url, '--batch', 'bad', '--wait']);
    expect(badCollect.status).toBe(2);
    expect(badCollect.stderr).toContain(`failed: car1: ${join(badPrefix, 'car1/img1/000002.jpg')}: not an image`);
    const badStatus = JSON.parse(mmtrack(['batch', 'status', '--redis', url, '--batch', 'bad', '--json']).stdout) as { failed: number; jobs: Array<{ attempts: number }> };
    expect(badStatus.failed).toBe(1);
    expect(badStatus.jobs[0]!.attempts).toBe(1);

    // Redis gone for longer than a blip while the workers wait: each says so (and keeps trying).
    await redis.stop();
    await until('the workers to report the outage', () => alive.every((w) => /: Redis at redis:\/\/127\.0\.0\.1:\d+ unreachable \(\w+\); reconnecting\n/.test(w.log)), 30_000);
    await redis.launch();
    for (const w of alive) w.proc.kill('SIGTERM');
    await until('the workers to stop', () => alive.every((w) => w.proc.exitCode !== null), 30_000);
    expect(alive.map((w) => w.proc.exitCode)).toEqual([0, 0]);
  }, 400_000);

  it('names an unreachable Redis and a URL that is not one', () => {
    const r = mmtrack(['batch', 'status', '--redis', 'redis://127.0.0.1:1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^mmtrack batch: cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\): start redis-server there or fix --redis\n$/);
    const u = mmtrack(['batch', 'worker', '--redis', 'localhost:6379']);
    expect(u.stderr).toBe('mmtrack batch: --redis localhost:6379: expected a redis:// or rediss:// URL\n');
  });
});
