import type { MotRows } from '../core/datasets/mot-challenge.ts';
import type { MotSearchResult, MotSearchRow } from '../core/models/mot/mot-param-search.ts';
import type { VideoComparison } from '../core/models/mot/mot-compare.ts';
import type { MotCompareJob, MotSearchApi, MotSearchJob } from './mot-search-protocol.ts';
import { type Job, RpcClient } from './rpc.ts';

const client = new RpcClient<MotSearchApi>('mot-search', () => new Worker(new URL('./mot-search.worker.ts', import.meta.url), { type: 'module', name: 'mot-search' }));

/** Runs a parameter search in the worker; `cancel()` stops it between combinations (the promise rejects with CancelledError). */
export function startMotSearch(job: MotSearchJob, onProgress: (done: number, total: number, row: MotSearchRow) => void): Job<MotSearchResult> {
  return client.start('search', job, { onProgress: (p) => onProgress(p.done, p.total, p.row) });
}

/** Compares trackers on one video's cached detections in the worker; `cancel()` stops between trackers. */
export function startMotCompare(job: MotCompareJob, onProgress: (done: number, total: number) => void): Job<VideoComparison> {
  return client.start('compare', job, { onProgress: (p) => onProgress(p.done, p.total) });
}

/** TrackEval's HOTA/CLEAR/Identity (every scalar field) of one sequence, computed in the worker. */
export function evaluateMotInWorker(name: string, gt: MotRows, tracker: MotRows, seqLength: number): Promise<Record<string, number>> {
  return client.call('evaluate', { name, gt, tracker, seqLength });
}
