/// <reference lib="webworker" />
// Runs evaluations (src/core/eval) off the main thread, reporting progress; a cancel stops the run between steps.
import { runEvalJob } from '../core/eval/eval-run.ts';
import type { EvalApi } from './eval-protocol.ts';
import { serveRpc } from './rpc.ts';

serveRpc<EvalApi>({
  evaluate: (input, { signal, progress }) => runEvalJob(input, { onProgress: (fraction, stage) => progress([fraction, stage]), isCancelled: () => signal.aborted }),
});
