/// <reference lib="webworker" />
// Runs evaluations (src/core/eval) off the main thread, reporting progress; a cancel stops the run between steps.
import { EvalCancelled, runEvalJob } from '../core/eval/eval-run.ts';
import type { EvalRequest, EvalResponse } from './eval-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const cancelled = new Set<number>();
const post = (msg: EvalResponse) => scope.postMessage(msg);

async function run(req: Extract<EvalRequest, { type: 'start' }>): Promise<void> {
  try {
    const report = await runEvalJob(req.input, {
      onProgress: (fraction, stage) => post({ type: 'progress', jobId: req.jobId, fraction, stage }),
      isCancelled: () => cancelled.has(req.jobId),
    });
    post({ type: 'done', jobId: req.jobId, report });
  } catch (err) {
    const wasCancelled = err instanceof EvalCancelled;
    post({ type: 'failed', jobId: req.jobId, cancelled: wasCancelled, message: wasCancelled ? 'Evaluation cancelled.' : err instanceof Error ? err.message : String(err) });
  } finally {
    cancelled.delete(req.jobId);
  }
}

scope.onmessage = (ev: MessageEvent<EvalRequest>) => {
  const msg = ev.data;
  if (msg.type === 'start') void run(msg);
  else cancelled.add(msg.jobId);
};
