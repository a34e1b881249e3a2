import type { JsonLog } from './json-log.ts';
import { numpyArgmax, numpyArgmin, numpyMean, numpyStd } from './numpy-reduce.ts';
import { formatFixed } from '../config/python-format.ts';

/**
 * MMTracking's `cal_train_time` (`tools/analysis/analyze_logs.py`): per epoch the average of the logged `time`
 * values (seconds per iteration, each averaged by MMCV over the log interval), without the first value of each
 * epoch unless `includeOutliers` (it carries the data loader's start-up).
 * Reference: https://github.com/open-mmlab/mmtracking/blob/v0.8.0/tools/analysis/analyze_logs.py
 *
 * The script builds a numpy matrix epochs × values, so it only works when every epoch logged the same number of
 * values; here each epoch is averaged on its own and epochs without any value are left out, which gives the
 * script's numbers whenever the script runs.
 */
export interface TrainTime {
  /** 1-based position of the slowest epoch among the log's epochs: the script prints `argmax + 1`. */
  slowestEpoch: number;
  /** Its average iteration time (s/iter). */
  slowestEpochTime: number;
  fastestEpoch: number;
  fastestEpochTime: number;
  /** Population standard deviation (ddof 0) of the per-epoch averages (s/iter). */
  stdOverEpochs: number;
  /** Mean over every value used (s/iter). */
  averageIterTime: number;
  /** The averages behind these numbers, one per epoch that has `time` values. */
  epochs: { epoch: number; position: number; averageTime: number; values: number }[];
}

/** Thrown when a log has no usable `time` values. */
export class TrainTimeError extends Error {
  override name = 'TrainTimeError';
}

export function calTrainTime(log: JsonLog, includeOutliers = false): TrainTime {
  const epochs: TrainTime['epochs'] = [];
  const used: Float64Array[] = [];
  log.epochs.forEach((e, position) => {
    const column = e.columns.get('time');
    if (!column) return;
    if (!column.isNumeric) throw new TrainTimeError(`${log.name}: epoch ${e.epoch} has non-numeric "time" values`);
    const times = column.numbers().subarray(includeOutliers ? 0 : 1);
    if (times.length === 0) return;
    used.push(times);
    epochs.push({ epoch: e.epoch, position: position + 1, averageTime: numpyMean(times), values: times.length });
  });
  if (epochs.length === 0) {
    throw new TrainTimeError(
      `${log.name}: no "time" values to average${includeOutliers ? '' : ' (the first value of each epoch is left out; try --include-outliers)'}`,
    );
  }
  const all = new Float64Array(used.reduce((n, t) => n + t.length, 0));
  let offset = 0;
  for (const t of used) {
    all.set(t, offset);
    offset += t.length;
  }
  const averages = epochs.map((e) => e.averageTime);
  const slowest = epochs[numpyArgmax(averages)]!;
  const fastest = epochs[numpyArgmin(averages)]!;
  return {
    slowestEpoch: slowest.position,
    slowestEpochTime: slowest.averageTime,
    fastestEpoch: fastest.position,
    fastestEpochTime: fastest.averageTime,
    stdOverEpochs: numpyStd(averages),
    averageIterTime: numpyMean(all),
    epochs,
  };
}

/** The text the script prints for one log, line for line (the last line is empty). */
export function formatTrainTime(logPath: string, t: TrainTime): string {
  return [
    `-----Analyze train time of ${logPath}-----`,
    `slowest epoch ${t.slowestEpoch}, average time is ${formatFixed(t.slowestEpochTime, 4)}`,
    `fastest epoch ${t.fastestEpoch}, average time is ${formatFixed(t.fastestEpochTime, 4)}`,
    `time std over epochs is ${formatFixed(t.stdOverEpochs, 4)}`,
    `average iter time: ${formatFixed(t.averageIterTime, 4)} s/iter`,
    '',
    '',
  ].join('\n');
}
