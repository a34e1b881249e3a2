/// <reference lib="webworker" />
// MOT parameter search, tracker comparison and in-place evaluation off the main thread: the grid re-tracks cached detections for every
// combination and scores each with TrackEval's metrics (src/core/models/mot/mot-param-search.ts).
import { evalMot, motSummaryRow } from '../core/eval/eval-mot.ts';
import { compareOnVideo } from '../core/models/mot/mot-compare.ts';
import { runMotParamSearch } from '../core/models/mot/mot-param-search.ts';
import type { MotSearchApi } from './mot-search-protocol.ts';
import { serveRpc } from './rpc.ts';

serveRpc<MotSearchApi>({
  search: (job, { signal, progress }) =>
    runMotParamSearch(job.config, job.classNames, [job.sequence], {
      axes: job.axes,
      searchMetrics: job.searchMetrics,
      minScore: job.minScore,
      onProgress: (done, total, row) => progress({ done, total, row }),
      isCancelled: () => signal.aborted,
    }),
  compare: (job, { signal, progress }) =>
    compareOnVideo(job.entries, job.classNames, job.video, {
      metrics: job.metrics,
      minScore: job.minScore,
      onProgress: (done, total) => progress({ done, total }),
      isCancelled: () => signal.aborted,
    }),
  evaluate: ({ name, gt, tracker, seqLength }) => motSummaryRow(evalMot([{ name, gt, tracker, seqLength }]).combined, true),
});
