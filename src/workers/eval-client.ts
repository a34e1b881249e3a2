import type { EvalJobInput, EvalReport } from '../core/eval/eval-run.ts';
import type { EvalApi } from './eval-protocol.ts';
import { type Job, RpcClient } from './rpc.ts';

/** Starts an evaluation; `onProgress(fraction, stage)`. A cancelled job rejects with `CancelledError`. */
export type EvalRunner = (input: EvalJobInput, onProgress: (fraction: number, stage: string) => void) => Job<EvalReport>;

const client = new RpcClient<EvalApi>('eval', () => new Worker(new URL('./eval.worker.ts', import.meta.url), { type: 'module', name: 'eval' }));

/** Runs the evaluation in the eval worker. */
export const startEvalInWorker: EvalRunner = (input, onProgress) => client.start('evaluate', input, { onProgress: ([fraction, stage]) => onProgress(fraction, stage) });
