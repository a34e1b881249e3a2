// The shared state of `mmtrack batch` in Redis: one BullMQ queue of video jobs (every batch, every worker), and a
// record per batch (what `status` and `collect` need: the dataset, the metrics, the job ids).
// bullmq and ioredis load when a batch command connects: every other command starts without them (0.2 s).
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ConfigDict } from '../../core/config/config-value.ts';
import type { TestSet, TestVideo } from '../../core/datasets/test-set.ts';
import { UserError } from '../command.ts';

export const DEFAULT_QUEUE = 'mmtrack';

/** What a worker needs to run one video: everything travels with the job, paths on storage every worker reads. */
export interface VideoJobData {
  batch: string;
  configName: string;
  /** The config after `_base_` and `--cfg-options`, so every worker runs the very same one. */
  config: ConfigDict;
  family: TestSet['family'];
  video: TestVideo;
  out: string;
  modelDir: string;
}

/** A finished job's record: the file it wrote, once, and who wrote it. */
export interface VideoJobResult {
  file: string;
  sha256: string;
  frames: number;
  worker: string;
  seconds: number;
}

export interface BatchRecord {
  id: string;
  queue: string;
  configName: string;
  set: TestSet;
  metrics: string[];
  skipped: string[];
  out: string;
  jobIds: string[];
  created: string;
}

/** BullMQ ids cannot hold ':'; one job per batch and video, so a second submit of the same batch adds nothing. */
export function videoJobId(batch: string, video: TestVideo): string {
  return `${batch}--${video.name}`;
}

const recordKey = (id: string) => `mmtrack:batch:${id}`;
const LATEST = 'mmtrack:batches';

/** Redis options: workers wait for Redis forever (it may restart); the short-lived commands give up with a message. */
export function redisOptions(url: string, persistent: boolean) {
  return {
    url,
    maxRetriesPerRequest: persistent ? null : 2,
    ...(persistent ? {} : { retryStrategy: (times: number) => (times > 3 ? null : 200 * times), connectTimeout: 3000 }),
  };
}

/** A connection for the short-lived commands, checked with a PING so an unreachable Redis is named at once. */
export async function connectRedis(url: string): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`--redis ${url}: not a URL (e.g. redis://127.0.0.1:6379)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new UserError(`--redis ${url}: expected a redis:// or rediss:// URL`);
  const { url: _u, ...options } = redisOptions(url, false);
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { ...options, lazyConnect: true });
  let lastError = '';
  redis.on('error', (err: Error) => {
    lastError = (err as NodeJS.ErrnoException).code ?? err.message;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new UserError(`cannot reach Redis at ${url} (${lastError || (err instanceof Error ? err.message : String(err))}): start redis-server there or fix --redis`);
  }
  return redis;
}

export async function openQueue(url: string, name: string): Promise<Queue<VideoJobData, VideoJobResult>> {
  const { Queue } = await import('bullmq');
  return new Queue<VideoJobData, VideoJobResult>(name, { connection: redisOptions(url, false) });
}

export async function saveBatch(redis: Redis, record: BatchRecord): Promise<void> {
  await redis.set(recordKey(record.id), JSON.stringify(record));
  await redis.lrem(LATEST, 0, record.id);
  await redis.lpush(LATEST, record.id);
}

/** The batch named by `--batch`, or the latest one submitted. */
export async function loadBatch(redis: Redis, id: string | undefined, url: string): Promise<BatchRecord> {
  const batchId = id ?? (await redis.lindex(LATEST, 0));
  if (!batchId) throw new UserError(`no batch has been submitted to ${url} (mmtrack batch submit CONFIG --redis ${url} --out DIR)`);
  const text = await redis.get(recordKey(batchId));
  if (!text) throw new UserError(`no batch '${batchId}' in ${url}${id ? ' (mmtrack batch status lists the latest without --batch)' : ''}`);
  return JSON.parse(text) as BatchRecord;
}
