import { type EpochLog, type JsonLog, logKeys } from './json-log.ts';

/**
 * The data of MMTracking's `plot_curve` (`tools/analysis/analyze_logs.py`): one series per (log, key).
 * Reference: https://github.com/open-mmlab/mmtracking/blob/v0.8.0/tools/analysis/analyze_logs.py
 *
 * - A per-epoch key (its name contains `mAP`, the script's rule, or it only occurs on `val` lines, e.g. MOTA or
 *   success) gives one point per logged value at x = epoch.
 * - Any other key is plotted against the global iteration `iter + (epoch - 1) * itersPerEpoch`, from the
 *   non-`val` lines. The script takes `itersPerEpoch` from the first epoch's last `iter`, which is the validation
 *   line's `iter` when that epoch ends with an evaluation; we take the first epoch's last training `iter`, as
 *   MMDetection later fixed it. Each value is paired with its own line's `iter` (the script pairs list positions,
 *   which shifts when a key is missing from some lines).
 * - x by epoch (`xAxis: 'epoch'`) places an iteration value at `epoch - 1 + iter / itersPerEpoch`, and with
 *   `xAxis: 'iter'` a per-epoch value sits at the epoch's end, `epoch * itersPerEpoch`, so both kinds share a chart.
 */
export type XAxis = 'iter' | 'epoch';

export interface CurveSeries {
  /** The log's name. */
  run: string;
  key: string;
  /** Legend entry: `{run}_{key}` unless given. */
  label: string;
  /** One point per epoch (drawn with markers, as the script's `marker='o'`). */
  perEpoch: boolean;
  /** Ascending x (global iteration or epoch, see {@link XAxis}). */
  x: Float64Array;
  y: Float64Array;
}

export interface CurveData {
  xAxis: XAxis;
  series: CurveSeries[];
}

/** The script's KeyError, listing the keys the log does have. */
export class LogKeyError extends Error {
  override name = 'LogKeyError';
  constructor(
    readonly log: string,
    readonly key: string,
    readonly available: string[],
  ) {
    super(`${log} does not contain metric ${key}; its keys are: ${available.join(', ') || '(none)'}`);
  }
}

function modeAt(e: EpochLog, row: number): unknown {
  const mode = e.columns.get('mode');
  return mode ? mode.valueAt(mode.indexOfRow(row)) : undefined;
}

/** True when `key` is drawn one point per epoch (see the module comment). */
export function isPerEpochKey(log: JsonLog, key: string): boolean {
  if (key.includes('mAP')) return true;
  let seen = false;
  for (const e of log.epochs) {
    const c = e.columns.get(key);
    if (!c) continue;
    for (let i = 0; i < c.length; i++) {
      if (modeAt(e, c.rowAt(i)) !== 'val') return false;
      seen = true;
    }
  }
  return seen;
}

/** Iterations per epoch: the last training line's `iter` in the first epoch (see the module comment). */
export function itersPerEpoch(log: JsonLog): number {
  const first = log.epochs[0];
  const iter = first?.columns.get('iter');
  if (!first || !iter || iter.length === 0) return 1;
  for (let i = iter.length - 1; i >= 0; i--) {
    const v = iter.numberAt(i);
    if (modeAt(first, iter.rowAt(i)) !== 'val' && Number.isFinite(v) && v > 0) return v;
  }
  const last = iter.numberAt(iter.length - 1);
  return Number.isFinite(last) && last > 0 ? last : 1;
}

/** Checks that `key` exists in `log` (in any epoch); throws {@link LogKeyError} naming the keys that do. */
export function assertKey(log: JsonLog, key: string): void {
  if (!log.epochs.some((e) => e.columns.has(key))) throw new LogKeyError(log.name, key, logKeys(log));
}

/** One series: `key` of `log` against `xAxis`. */
export function curveSeries(log: JsonLog, key: string, xAxis: XAxis, label = `${log.name}_${key}`): CurveSeries {
  assertKey(log, key);
  const perEpoch = isPerEpochKey(log, key);
  const n = itersPerEpoch(log);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const e of log.epochs) {
    const c = e.columns.get(key);
    if (!c) continue;
    const iter = e.columns.get('iter');
    for (let i = 0; i < c.length; i++) {
      const row = c.rowAt(i);
      if (perEpoch) {
        xs.push(xAxis === 'epoch' ? e.epoch : e.epoch * n);
      } else {
        if (modeAt(e, row) === 'val' || !iter) continue;
        const it = iter.numberAt(iter.indexOfRow(row));
        if (!Number.isFinite(it)) continue;
        xs.push(xAxis === 'epoch' ? e.epoch - 1 + it / n : it + (e.epoch - 1) * n);
      }
      ys.push(c.numberAt(i));
    }
  }
  return { run: log.name, key, label, perEpoch, x: Float64Array.from(xs), y: Float64Array.from(ys) };
}

export interface PlotCurveOptions {
  /** One entry per (log, key), logs outer, keys inner, as the script's `--legend`. Default `{log}_{key}`. */
  legend?: string[];
  /** Default: `epoch` when every key is per-epoch (the script's x label for mAP keys), else `iter`. */
  xAxis?: XAxis;
}

/** The script's `assert len(legend) == len(json_logs) * len(keys)`, as a RangeError that says the numbers. */
export function checkLegend(logCount: number, keyCount: number, legend: string[] | undefined): void {
  if (legend && legend.length !== logCount * keyCount) {
    throw new RangeError(`--legend needs ${logCount * keyCount} entries (${logCount} logs × ${keyCount} keys), got ${legend.length}`);
  }
}

/** All series of `plot_curve LOGS --keys KEYS` in the script's order (log by log, key by key). */
export function plotCurveData(logs: JsonLog[], keys: string[], options: PlotCurveOptions = {}): CurveData {
  const { legend } = options;
  checkLegend(logs.length, keys.length, legend);
  for (const log of logs) for (const key of keys) assertKey(log, key);
  const xAxis = options.xAxis ?? (logs.every((log) => keys.every((k) => isPerEpochKey(log, k))) ? 'epoch' : 'iter');
  const series: CurveSeries[] = [];
  logs.forEach((log, i) => keys.forEach((key, j) => series.push(curveSeries(log, key, xAxis, legend?.[i * keys.length + j]))));
  return { xAxis, series };
}
