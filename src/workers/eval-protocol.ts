import type { EvalJobInput, EvalReport } from '../core/eval/eval-run.ts';

/** Messages to the eval worker. */
export type EvalRequest = { type: 'start'; jobId: number; input: EvalJobInput } | { type: 'cancel'; jobId: number };

/** Messages from the eval worker. */
export type EvalResponse =
  | { type: 'progress'; jobId: number; fraction: number; stage: string }
  | { type: 'done'; jobId: number; report: EvalReport }
  | { type: 'failed'; jobId: number; message: string; cancelled: boolean };
