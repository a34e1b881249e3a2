import type { EvalJobInput, EvalReport } from '../core/eval/eval-run.ts';
import type { EvalRequest, EvalResponse } from './eval-protocol.ts';

export interface EvalJob {
  result: Promise<EvalReport>;
  cancel(): void;
}

/** Starts an evaluation; `onProgress(fraction, stage)`. A cancelled job rejects with `{cancelled: true}`. */
export type EvalRunner = (input: EvalJobInput, onProgress: (fraction: number, stage: string) => void) => EvalJob;

let worker: Worker | null = null;
let nextJob = 0;
const listeners = new Map<number, (msg: EvalResponse) => void>();

function evalWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./eval.worker.ts', import.meta.url), { type: 'module', name: 'eval' });
    worker.onmessage = (ev: MessageEvent<EvalResponse>) => listeners.get(ev.data.jobId)?.(ev.data);
  }
  return worker;
}

/** Runs the evaluation in the eval worker. */
export const startEvalInWorker: EvalRunner = (input, onProgress) => {
  const jobId = ++nextJob;
  const w = evalWorker();
  const result = new Promise<EvalReport>((resolve, reject) => {
    listeners.set(jobId, (msg) => {
      if (msg.type === 'progress') return onProgress(msg.fraction, msg.stage);
      listeners.delete(jobId);
      if (msg.type === 'done') resolve(msg.report);
      else reject(Object.assign(new Error(msg.message), { cancelled: msg.cancelled }));
    });
  });
  w.postMessage({ type: 'start', jobId, input } satisfies EvalRequest);
  return { result, cancel: () => w.postMessage({ type: 'cancel', jobId } satisfies EvalRequest) };
};
