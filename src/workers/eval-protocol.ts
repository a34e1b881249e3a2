import type { EvalJobInput, EvalReport } from '../core/eval/eval-run.ts';
import type { Method } from './rpc.ts';

/** The eval worker's API. */
export type EvalApi = {
  /** Runs an evaluation (src/core/eval); progress is `[fraction, stage]`. */
  evaluate: Method<EvalJobInput, EvalReport, [fraction: number, stage: string]>;
};
