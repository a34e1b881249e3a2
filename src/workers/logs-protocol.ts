import type { XAxis } from '../core/logs/curves.ts';
import type { MalformedLine } from '../core/logs/json-log.ts';
import type { TrainTime } from '../core/logs/train-time.ts';

/**
 * Messages of the logs worker. The worker keeps the parsed logs (a 500 MB log's numbers stay there, off the main
 * thread) and answers curve requests with at most `maxPoints` points per series.
 */
export type LogsRequest =
  | { type: 'parse'; runId: number; file: Blob; name: string }
  | { type: 'cancel'; runId: number }
  | { type: 'remove'; runId: number }
  | { type: 'curves'; reqId: number; request: CurveRequest };

export type LogsResponse =
  | { type: 'progress'; runId: number; bytes: number; total: number }
  | { type: 'parsed'; runId: number; summary: RunSummary }
  | { type: 'parse-failed'; runId: number; cancelled: boolean; message: string }
  | { type: 'curves'; reqId: number; xAxis: XAxis; series: WorkerSeries[] }
  | { type: 'curves-failed'; reqId: number; message: string };

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
