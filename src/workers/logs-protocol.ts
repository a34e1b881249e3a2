import type { XAxis } from '../core/logs/curves.ts';
import type { MalformedLine } from '../core/logs/json-log.ts';
import type { TrainTime } from '../core/logs/train-time.ts';
import type { Method } from './rpc.ts';

/**
 * The logs worker's API. The worker keeps the parsed logs by `runId` (a 500 MB log's numbers stay there, off the main
 * thread) and answers curve requests with at most `maxPoints` points per series.
 */
export type LogsApi = {
  /** Streams `file` into the parser; progress is bytes read of `total`. Rejects with CancelledError when cancelled. */
  parse: Method<{ runId: number; file: Blob; name: string }, RunSummary, { bytes: number; total: number }>;
  /** Forgets a parsed log. */
  remove: Method<number, void>;
  curves: Method<CurveRequest, { xAxis: XAxis; series: WorkerSeries[] }>;
};

/** What the UI shows about one parsed log. */
export interface RunSummary {
  name: string;
  bytes: number;
  lines: number;
  epochs: number;
  /** Numeric keys other than `iter` (the x axis), in first-seen order. */
  numericKeys: string[];
  /** The subset drawn one point per epoch (bbox_mAP...). */
  perEpochKeys: string[];
  malformedCount: number;
  /** The first malformed lines. */
  malformed: MalformedLine[];
  /** cal_train_time without / with the first value of each epoch; null when the log has no `time`. */
  trainTime: TrainTime | null;
  trainTimeWithOutliers: TrainTime | null;
  /** `env_info` of the first line, if any. */
  envInfo: string | null;
}

export interface CurveRequest {
  series: { runId: number; key: string; label: string }[];
  xAxis: XAxis;
  /** TensorBoard-style EMA weight in [0, 1), applied to per-iteration series. */
  smoothing: number;
  /** Visible x range, or null for everything. */
  xRange: [number, number] | null;
  /** Points per series at most (min/max decimation). */
  maxPoints: number;
}

export interface WorkerSeries {
  runId: number;
  key: string;
  label: string;
  perEpoch: boolean;
  x: Float64Array;
  y: Float64Array;
  /** Points before decimation (after the x-range cut). */
  fullLength: number;
}
