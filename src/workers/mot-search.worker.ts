/// <reference lib="webworker" />
// MOT parameter search and in-place evaluation off the main thread: the grid re-tracks cached detections for every
// combination and scores each with TrackEval's metrics (src/core/models/mot/mot-param-search.ts).
import { evalMot, motSummaryRow } from '../core/eval/eval-mot.ts';
import { MotSearchCancelled, runMotParamSearch } from '../core/models/mot/mot-param-search.ts';
import type { MotSearchRequest, MotSearchResponse } from './mot-search-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const cancelled = new Set<number>();
const post = (msg: MotSearchResponse) => scope.postMessage(msg);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function search(req: Extract<MotSearchRequest, { type: 'search' }>): Promise<void> {
  const { job, jobId } = req;
  try {
    const result = await runMotParamSearch(job.config, job.classNames, [job.sequence], {
      axes: job.axes,
      searchMetrics: job.searchMetrics,
      minScore: job.minScore,
      onProgress: (done, total, row) => post({ type: 'progress', jobId, done, total, row }),
      isCancelled: () => cancelled.has(jobId),
    });
    post({ type: 'searched', jobId, result });
  } catch (err) {
    const wasCancelled = err instanceof MotSearchCancelled;
    post({ type: 'failed', jobId, cancelled: wasCancelled, message: wasCancelled ? 'Parameter search cancelled.' : message(err) });
  } finally {
    cancelled.delete(jobId);
  }
}

scope.onmessage = (ev: MessageEvent<MotSearchRequest>) => {
  const msg = ev.data;
  if (msg.type === 'search') void search(msg);
  else if (msg.type === 'evaluate') {
    try {
      const report = evalMot([{ name: msg.name, gt: msg.gt, tracker: msg.tracker, seqLength: msg.seqLength }]);
      post({ type: 'evaluated', jobId: msg.jobId, metrics: motSummaryRow(report.combined, true) });
    } catch (err) {
      post({ type: 'failed', jobId: msg.jobId, cancelled: false, message: message(err) });
    }
  } else cancelled.add(msg.jobId);
};
