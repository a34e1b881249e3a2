// `mmtrack batch worker`: takes video jobs from the BullMQ queue until stopped. Models are loaded once per config
// and kept (one runner per concurrent job); a job's result is written atomically under its own temporary name, so
// a retried job overwrites its own partial output and never another's.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Job } from 'bullmq';
import type { CliIo } from '../command.ts';
import { announceRuntime } from '../model-dir.ts';
import { loadVideoRunner, type VideoRunner, writeResult } from '../test-set-runner.ts';
import { isUserInputError } from '../user-errors.ts';
import { redisOptions, type VideoJobData, type VideoJobResult } from './batch-queue.ts';

export interface WorkerOptions {
  url: string;
  queue: string;
  concurrency: number;
  /** BullMQ's job lock (ms): a worker silent this long (killed, hung) loses its job to another. */
  lockDuration?: number;
  /** How often (ms) workers look for such stalled jobs. */
  stalledInterval?: number;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function runBatchWorker(options: WorkerOptions, io: CliIo): Promise<number> {
  const { UnrecoverableError, Worker } = await import('bullmq');
  const name = `${hostname()}:${process.pid}`;
  const idle = new Map<string, VideoRunner[]>();
  const all: VideoRunner[] = [];

  async function runJob(job: Job<VideoJobData, VideoJobResult>): Promise<VideoJobResult> {
    const d = job.data;
    io.stderr(`${name}: job ${job.id} (${d.video.name}, ${d.video.frameCount} frames) started, attempt ${job.attemptsStarted}\n`);
    const key = JSON.stringify([d.family, d.modelDir, d.config]);
    const started = performance.now();
    let runner: VideoRunner | undefined = idle.get(key)?.pop();
    try {
      if (!runner) {
        runner = await loadVideoRunner(d.config, d.family, d.modelDir);
        all.push(runner);
        if (all.length === 1) await announceRuntime(io, `${name}: `);
      }
      const r = await runner.run(d.video, (done) => {
        // Progress for `batch status`; a Redis outage must not fail the video (BullMQ keeps the lock's own retries).
        if (done % 5 === 0 || done === d.video.frameCount) job.updateProgress({ frames: done, total: d.video.frameCount }).catch(() => undefined);
      });
      const file = await writeResult(d.out, d.video, r.text, `job-${job.id}`);
      return { file, sha256: sha256(r.text), frames: r.frames, worker: name, seconds: (performance.now() - started) / 1000 };
    } catch (err) {
      // A bad video, config or model fails the same way on every worker: report it once, do not retry.
      if (isUserInputError(err)) throw new UnrecoverableError(err.message);
      throw err;
    } finally {
      if (runner) idle.set(key, [...(idle.get(key) ?? []), runner]);
    }
  }

  const worker = new Worker<VideoJobData, VideoJobResult>(options.queue, runJob, {
    connection: redisOptions(options.url, true),
    concurrency: options.concurrency,
    name,
    ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
  });
  let outage = false;
  worker.on('error', (err) => {
    // Redis gone: BullMQ and ioredis reconnect on their own; say so once per outage.
    if (!outage) io.stderr(`${name}: Redis at ${options.url} unreachable (${(err as NodeJS.ErrnoException).code ?? err.message}); reconnecting\n`);
    outage = true;
  });
  // Back after an outage: BullMQ does not always emit 'ready' again, so the first job taken or finished says so too.
  const back = () => {
    if (outage) io.stderr(`${name}: reconnected to Redis at ${options.url}\n`);
    outage = false;
  };
  worker.on('ready', back);
  worker.on('active', back);
  worker.on('completed', (job, r) => {
    back();
    io.stderr(`${name}: job ${job.id} done: ${r.frames} frames in ${r.seconds.toFixed(1)} s → ${r.file}\n`);
  });
  worker.on('failed', (job, err) => io.stderr(`${name}: job ${job?.id ?? '?'} failed${err instanceof UnrecoverableError ? '' : ` (attempt ${job?.attemptsMade ?? '?'})`}: ${err.message}\n`));
  io.stderr(`${name}: waiting for jobs on queue '${options.queue}' at ${options.url} (concurrency ${options.concurrency}; Ctrl-C stops after the running jobs)\n`);

  // Jobs running now: a stop waits for them, and only for them.
  let running = 0;
  worker.on('active', () => running++);
  worker.on('completed', () => running--);
  worker.on('failed', () => running--);

  return new Promise<number>((resolve) => {
    const release = () => Promise.all(all.map((r) => r.release()));
    /** Closes without waiting (for the queue connection or the jobs); a job left running is retried elsewhere. */
    const forceClose = () => {
      const attempt = (async () => {
        await worker.close(true).catch(() => undefined);
        await worker.disconnect().catch(() => undefined);
        await release();
      })();
      // The connection may not answer at all: give it 2 s.
      return Promise.race([attempt, new Promise((r) => setTimeout(r, 2000))]);
    };
    let stopping = false;
    const stop = () => {
      if (stopping) {
        io.stderr(`${name}: stopping now; its running jobs will be retried by other workers\n`);
        void forceClose().finally(() => resolve(130));
        return;
      }
      stopping = true;
      io.stderr(`${name}: stopping after the running jobs (again to stop now)\n`);
      // BullMQ's close can wait for good on a connection that came back from an outage: once no job runs, it gets 3 s.
      let idleFor = 0;
      const watchdog = setInterval(() => {
        idleFor = running > 0 ? 0 : idleFor + 500;
        if (idleFor < 3000) return;
        clearInterval(watchdog);
        io.stderr(`${name}: the connection to Redis does not close; stopping without it\n`);
        void forceClose().finally(() => resolve(0));
      }, 500);
      void worker
        .close()
        .then(release)
        .finally(() => {
          clearInterval(watchdog);
          resolve(0);
        });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
