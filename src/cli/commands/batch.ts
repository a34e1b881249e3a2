// `mmtrack batch submit|worker|status|collect`: `mmtrack test` spread over any number of machines on a BullMQ queue
// in one Redis. Inputs and outputs live on storage every worker reads (docs/batch.md).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { type ArgsSpec, CFG_OPTIONS_FLAG, listFlag, MODEL_DIR_FLAG, numberFlag, optionalFlag, type ParsedArgs, requiredFlag, switchFlag } from '../args.ts';
import { type CliIo, type Command, UserError } from '../command.ts';
import { jsonText } from '../json-output.ts';
import { DEFAULT_MODEL_DIR } from '../model-dir.ts';
import { prepareOutputFolder } from '../output-path.ts';
import { task, taskCommand } from '../task-command.ts';
import { hasResult } from '../test-set-runner.ts';
import { type BatchRecord, connectRedis, DEFAULT_QUEUE, loadBatch, openQueue, saveBatch, type VideoJobData, type VideoJobResult, videoJobId } from '../batch/batch-queue.ts';
import { runBatchWorker, sha256 } from '../batch/batch-worker.ts';
import { prepareTest, printTestMetrics } from './test.ts';

const REDIS = requiredFlag('URL', 'the Redis every machine reaches, e.g. redis://10.0.0.5:6379');
const QUEUE = optionalFlag('NAME', `BullMQ queue name (default ${DEFAULT_QUEUE})`);
const BATCH = optionalFlag('ID', 'the batch (default: the latest submitted)');

const submitSpec = {
  positionals: [{ name: 'CONFIG', help: 'a MOT or SOT config whose data.test names the dataset (as for mmtrack test)' }],
  flags: {
    redis: REDIS,
    out: requiredFlag('DIR', 'results folder on shared storage: DIR/<video>.txt'),
    name: optionalFlag('ID', 'batch id (default: the config name and the time)'),
    metrics: listFlag('METRIC', "metrics collect prints instead of the config's evaluation.metric"),
    resume: switchFlag('submit only the videos without a result in --out'),
    attempts: optionalFlag('N', 'tries per video on a crash or a lost worker (default 3; a bad input fails at once)'),
    queue: QUEUE,
    'model-dir': MODEL_DIR_FLAG,
    'cfg-options': CFG_OPTIONS_FLAG,
  },
} satisfies ArgsSpec;

const workerSpec = {
  positionals: [],
  flags: {
    redis: REDIS,
    concurrency: optionalFlag('N', 'videos run at once in this process (default 1; each loads its own models)'),
    queue: QUEUE,
    'lock-duration': optionalFlag('MS', "BullMQ's job lock: a worker silent this long loses its job to another (default 30000)"),
    'stalled-interval': optionalFlag('MS', 'how often workers look for jobs whose worker died (default 30000)'),
  },
} satisfies ArgsSpec;

const statusSpec = { positionals: [], flags: { redis: REDIS, batch: BATCH, json: switchFlag('print JSON instead of text') } } satisfies ArgsSpec;
const collectSpec = { positionals: [], flags: { redis: REDIS, batch: BATCH, wait: switchFlag('wait until every job has finished (progress on stderr)') } } satisfies ArgsSpec;

function absolute(p: string): string {
  return path.resolve(p);
}

async function withRedis<T>(url: string, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = await connectRedis(url);
  try {
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

async function runSubmit({ positionals, flags }: ParsedArgs<typeof submitSpec.flags>, io: CliIo): Promise<number> {
  const configName = positionals[0]!;
  const attempts = numberFlag('attempts', flags.attempts, { min: 1, max: 100 }) ?? 3;
  if (!Number.isInteger(attempts)) throw new UserError(`--attempts must be a whole number, got '${flags.attempts}'`);
  // Workers on other machines read these paths: make them absolute here (the same mount on every machine).
  const options = [...(flags['cfg-options'] ?? [])];
  const { config, set, metrics, skipped } = await prepareTest(configName, options, flags.metrics);
  const out = absolute(flags.out);
  await prepareOutputFolder(out, '--out');
  const modelDir = absolute(flags['model-dir'] ?? DEFAULT_MODEL_DIR);
  const absSet = { ...set, imgPrefix: absolute(set.imgPrefix), videos: set.videos.map((v) => ({ ...v, frames: absolute(v.frames), gt: absolute(v.gt), ...(v.seqInfo ? { seqInfo: absolute(v.seqInfo) } : {}) })) };
  const id = (flags.name ?? `${path.basename(configName, '.py')}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`).replace(/[^\w.-]/g, '_');
  const queueName = flags.queue ?? DEFAULT_QUEUE;
  const todo = flags.resume ? absSet.videos.filter((v) => !hasResult(out, v)) : absSet.videos;
  return withRedis(flags.redis, async (redis) => {
    const record: BatchRecord = { id, queue: queueName, configName, set: absSet, metrics, skipped, out, jobIds: absSet.videos.map((v) => videoJobId(id, v)), created: new Date().toISOString() };
    const queue = await openQueue(flags.redis, queueName);
    try {
      await saveBatch(redis, record);
      await queue.addBulk(
        todo.map((video) => ({
          name: video.name,
          data: { batch: id, configName, config, family: set.family, video, out, modelDir } satisfies VideoJobData,
          opts: { jobId: videoJobId(id, video), attempts, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: false, removeOnFail: false },
        })),
      );
    } finally {
      await queue.close();
    }
    io.stderr(`batch ${id}: ${todo.length} video jobs on queue '${queueName}' at ${flags.redis}${todo.length < absSet.videos.length ? ` (${absSet.videos.length - todo.length} already have results in ${out})` : ''}; start workers with mmtrack batch worker --redis ${flags.redis}\n`);
    io.stdout(`${id}\n`);
    return 0;
  });
}

async function runWorker({ flags }: ParsedArgs<typeof workerSpec.flags>, io: CliIo): Promise<number> {
  const concurrency = numberFlag('concurrency', flags.concurrency, { min: 1, max: 64 }) ?? 1;
  const lockDuration = numberFlag('lock-duration', flags['lock-duration'], { min: 1000 });
  const stalledInterval = numberFlag('stalled-interval', flags['stalled-interval'], { min: 500 });
  // Checked once, so a wrong URL is an error now rather than a worker waiting for ever.
  await withRedis(flags.redis, () => Promise.resolve());
  const code = await runBatchWorker({ url: flags.redis, queue: flags.queue ?? DEFAULT_QUEUE, concurrency, ...(lockDuration ? { lockDuration } : {}), ...(stalledInterval ? { stalledInterval } : {}) }, io);
  // A connection left reconnecting after a forced stop would keep the process alive: it exits in a second anyway.
  setTimeout(() => process.exit(code), 1000).unref();
  return code;
}

type JobView = { video: string; state: string; worker?: string; attempts: number; progress?: unknown; error?: string; result?: VideoJobResult };

/** Every job of a batch with its BullMQ state. A video without a job (already done at submit) counts as done. */
async function batchJobs(url: string, record: BatchRecord): Promise<JobView[]> {
  const queue = await openQueue(url, record.queue);
  try {
    return await Promise.all(
      record.set.videos.map(async (video, i): Promise<JobView> => {
        const job: Job<VideoJobData, VideoJobResult> | undefined = await queue.getJob(record.jobIds[i]!);
        if (!job) return { video: video.name, state: hasResult(record.out, video) ? 'completed' : 'missing', attempts: 0 };
        const state = await job.getState();
        return {
          video: video.name,
          state,
          attempts: job.attemptsStarted,
          ...(job.processedBy ? { worker: job.processedBy } : {}),
          ...(state === 'active' && job.progress ? { progress: job.progress } : {}),
          ...(job.failedReason && state === 'failed' ? { error: job.failedReason } : {}),
          ...(state === 'completed' && job.returnvalue ? { result: job.returnvalue } : {}),
        };
      }),
    );
  } finally {
    await queue.close();
  }
}

type Counts = { done: number; running: number; waiting: number; failed: number };

function summarize(jobs: JobView[]): Counts {
  const counts: Counts = { done: 0, running: 0, waiting: 0, failed: 0 };
  for (const j of jobs) {
    const k = j.state === 'completed' ? 'done' : j.state === 'active' ? 'running' : j.state === 'failed' || j.state === 'missing' ? 'failed' : 'waiting';
    counts[k]++;
  }
  return counts;
}

async function runStatus({ flags }: ParsedArgs<typeof statusSpec.flags>, io: CliIo): Promise<number> {
  const record = await withRedis(flags.redis, (redis) => loadBatch(redis, flags.batch, flags.redis));
  const jobs = await batchJobs(flags.redis, record);
  const counts = summarize(jobs);
  const workers: Record<string, { done: number; running: number; failed: number }> = {};
  for (const j of jobs) {
    if (!j.worker) continue;
    const w = (workers[j.worker] ??= { done: 0, running: 0, failed: 0 });
    if (j.state === 'completed') w.done++;
    else if (j.state === 'active') w.running++;
    else if (j.state === 'failed') w.failed++;
  }
  if (flags.json) {
    io.stdout(jsonText({ batch: record.id, videos: jobs.length, ...counts, workers, jobs }, io, 'status', 1));
    return 0;
  }
  const lines = [`batch ${record.id} (${record.configName} → ${record.out}): ${jobs.length} videos: ${counts.done} done, ${counts.running} running, ${counts.waiting} waiting, ${counts.failed} failed`];
  for (const [w, c] of Object.entries(workers).sort()) lines.push(`  worker ${w}: ${c.done} done, ${c.running} running, ${c.failed} failed`);
  for (const j of jobs.filter((x) => x.state === 'active')) {
    const p = j.progress as { frames?: number; total?: number } | undefined;
    lines.push(`  running ${j.video} on ${j.worker ?? '?'}${p?.frames !== undefined ? ` (frame ${p.frames}/${p.total})` : ''}${j.attempts > 1 ? ` (attempt ${j.attempts})` : ''}`);
  }
  for (const j of jobs.filter((x) => x.state === 'failed' || x.state === 'missing')) lines.push(`  failed ${j.video}: ${j.error ?? 'its job is gone from the queue and no result was written'}`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

async function runCollect({ flags }: ParsedArgs<typeof collectSpec.flags>, io: CliIo): Promise<number> {
  const record = await withRedis(flags.redis, (redis) => loadBatch(redis, flags.batch, flags.redis));
  let jobs = await batchJobs(flags.redis, record);
  let last = '';
  for (;;) {
    const c = summarize(jobs);
    if (c.running === 0 && c.waiting === 0) break;
    if (!flags.wait) throw new UserError(`batch ${record.id}: ${c.running + c.waiting} of ${jobs.length} videos not finished (${c.running} running, ${c.waiting} waiting): wait with mmtrack batch collect --wait`);
    const line = `batch ${record.id}: ${c.done}/${jobs.length} done, ${c.running} running, ${c.waiting} waiting, ${c.failed} failed`;
    if (line !== last) io.stderr(`${line}\n`);
    last = line;
    await new Promise((r) => setTimeout(r, 1000));
    jobs = await batchJobs(flags.redis, record);
  }
  // Each result is the file its job recorded, once: a file changed or gone since is an error, not a metric.
  for (const j of jobs) {
    if (j.state !== 'completed' || !j.result) continue;
    if (!existsSync(j.result.file)) throw new UserError(`${j.result.file}: the result of ${j.video} is gone (written by ${j.result.worker})`);
    if (sha256(readFileSync(j.result.file, 'utf8')) !== j.result.sha256) throw new UserError(`${j.result.file}: changed since ${j.result.worker} wrote it for ${j.video}; submit the batch again with --resume after removing it`);
  }
  const failed = jobs.filter((j) => j.state !== 'completed');
  for (const j of failed) io.stderr(`failed: ${j.video}: ${j.error ?? 'no result'}\n`);
  const done = new Set(jobs.filter((j) => j.state === 'completed').map((j) => j.video));
  if (done.size === 0) throw new UserError(`batch ${record.id}: no video has a result`);
  if (failed.length) io.stderr(`warning: the metrics below leave out the ${failed.length} failed video(s): ${failed.map((j) => j.video).join(', ')}\n`);
  await printTestMetrics({ ...record.set, videos: record.set.videos.filter((v) => done.has(v.name)) }, record.out, record.metrics, record.skipped, io);
  return failed.length ? 2 : 0;
}

export const batchCommand: Command = taskCommand({
  name: 'batch',
  summary: 'mmtrack test over many machines: one job per video on a BullMQ queue in Redis',
  description: `Spreads mmtrack test over machines: submit puts one job per video of the config's data.test on a BullMQ
queue in Redis; any number of workers (same two flags on every machine) run them; status shows progress; collect
evaluates when all are done. Dataset, models and --out must be at the same path on every machine (a shared folder);
docs/batch.md has the set-up and what happens when a worker or Redis dies.`,
  tasks: [
    task({ name: 'submit', help: 'put one job per video on the queue; prints the batch id on stdout.', spec: submitSpec, run: runSubmit }),
    task({ name: 'worker', help: 'run jobs until stopped (SIGINT/SIGTERM finish the running ones); reconnects when Redis restarts.', spec: workerSpec, run: runWorker }),
    task({ name: 'status', help: 'done / running / waiting / failed videos, per worker, with the running frames.', spec: statusSpec, run: runStatus }),
    task({ name: 'collect', help: 'check every result and print the metrics as mmtrack test does (exit 2 when a video failed, naming it).', spec: collectSpec, run: runCollect }),
  ],
});
