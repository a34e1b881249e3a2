import type { MotRows } from '../core/datasets/mot-challenge.ts';
import type { MotSearchResult, MotSearchRow } from '../core/models/mot/mot-param-search.ts';
import type { MotSearchJob, MotSearchRequest, MotSearchResponse } from './mot-search-protocol.ts';

let worker: Worker | null = null;
let nextJob = 0;
const listeners = new Map<number, (msg: MotSearchResponse) => void>();

function searchWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./mot-search.worker.ts', import.meta.url), { type: 'module', name: 'mot-search' });
    worker.onmessage = (ev: MessageEvent<MotSearchResponse>) => listeners.get(ev.data.jobId)?.(ev.data);
  }
  return worker;
}

function start<T>(request: MotSearchRequest, onMessage: (msg: MotSearchResponse, resolve: (v: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    listeners.set(request.jobId, (msg) => {
      if (msg.type === 'failed') {
        listeners.delete(request.jobId);
        reject(Object.assign(new Error(msg.message), { cancelled: msg.cancelled }));
      } else
        onMessage(msg, (v) => {
          listeners.delete(request.jobId);
          resolve(v);
        });
    });
    searchWorker().postMessage(request);
  });
}

/** Runs a parameter search in the worker; `cancel()` stops it between combinations (the promise rejects with `cancelled`). */
export function startMotSearch(job: MotSearchJob, onProgress: (done: number, total: number, row: MotSearchRow) => void): { result: Promise<MotSearchResult>; cancel(): void } {
  const jobId = ++nextJob;
  const result = start<MotSearchResult>({ type: 'search', jobId, job }, (msg, resolve) => {
    if (msg.type === 'progress') onProgress(msg.done, msg.total, msg.row);
    else if (msg.type === 'searched') resolve(msg.result);
  });
  return { result, cancel: () => searchWorker().postMessage({ type: 'cancel', jobId } satisfies MotSearchRequest) };
}

/** TrackEval's HOTA/CLEAR/Identity (every scalar field) of one sequence, computed in the worker. */
export function evaluateMotInWorker(name: string, gt: MotRows, tracker: MotRows, seqLength: number): Promise<Record<string, number>> {
  return start<Record<string, number>>({ type: 'evaluate', jobId: ++nextJob, name, gt, tracker, seqLength }, (msg, resolve) => {
    if (msg.type === 'evaluated') resolve(msg.metrics);
  });
}
