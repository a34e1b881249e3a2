/**
 * Trackers compared on the same cached detections: each entry (a MOT config, its tracker written with list values
 * becoming one row per combination, as in the parameter search) tracks every sequence, and every row is scored with
 * the same metrics by TrackEval's MOTChallenge metrics. The detector does not run again, so the rows differ only by
 * their trackers. Used by `mmtrack compare` and the app's MOT panel.
 */
import { ConfigError } from '../../config/config-error.ts';
import type { ConfigDict, ConfigValue } from '../../config/config-value.ts';
import type { MotRows } from '../../datasets/mot-challenge.ts';
import { evalMot, motSummaryRow } from '../../eval/eval-mot.ts';
import type { Detections } from '../../structures/detections.ts';
import { MotRun } from './mot-run.ts';
import {
  type MotSearchSequence,
  type SearchAxis,
  bestRowIndex,
  cachedDetectionsLack,
  configWithCombination,
  DEFAULT_SEARCH_METRICS,
  firstCombination,
  metricField,
  MotSearchCancelled,
  runMotParamSearch,
  searchMetricsOf,
  trackerSearchAxes,
} from './mot-param-search.ts';

export interface CompareEntry {
  /** How the entry is shown: its config's file name, or a name the user gave. */
  name: string;
  config: ConfigDict;
  /** As for the search: the axes, when the config was loaded elsewhere (a worker's clone forgets tuples). */
  axes?: readonly SearchAxis[];
}

export interface CompareRow {
  /** The entry's name, with the combination's values when its tracker has list values. */
  label: string;
  entry: number;
  params: Record<string, ConfigValue>;
  metrics: Record<string, number>;
}

export interface CompareResult {
  metrics: string[];
  rows: CompareRow[];
  /** Per metric, the rows with the best value (ties all listed; none when every value is NaN). */
  best: Record<string, number[]>;
  /** The metrics whose values are not all equal: where the trackers differ. */
  differing: string[];
}

export interface CompareOptions {
  /** Default: the first entry's `search_metrics`, else MMTracking's default search metrics plus HOTA. */
  metrics?: readonly string[];
  minScore?: number;
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}

const showValue = (v: ConfigValue): string => (typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : JSON.stringify(v));

export async function compareTrackers(entries: readonly CompareEntry[], classNames: readonly string[], sequences: readonly MotSearchSequence[], options: CompareOptions = {}): Promise<CompareResult> {
  if (entries.length === 0) throw new ConfigError('compare: no config to compare', undefined);
  const metrics = [...(options.metrics ?? (entries[0]!.config.search_metrics !== undefined ? searchMetricsOf(entries[0]!.config) : DEFAULT_SEARCH_METRICS))];
  const rows: CompareRow[] = [];
  for (const [k, entry] of entries.entries()) {
    const r = await runMotParamSearch(entry.config, classNames, sequences, {
      searchMetrics: metrics,
      ...(entry.axes ? { axes: entry.axes } : {}),
      ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
      ...(options.isCancelled ? { isCancelled: options.isCancelled } : {}),
    });
    for (const row of r.rows) {
      const values = Object.entries(row.params).map(([key, v]) => `${key}=${showValue(v)}`);
      rows.push({ label: values.length ? `${entry.name} (${values.join(', ')})` : entry.name, entry: k, params: row.params, metrics: row.metrics });
    }
    options.onProgress?.(k + 1, entries.length);
  }
  if (rows.length < 2) throw new ConfigError('compare: one tracker setting only; give two or more configs, or write tracker values as lists', undefined);
  return { metrics, rows, ...rankRows(rows, metrics) };
}

/** Per metric the rows holding the best value (ties all listed), and the metrics whose values are not all equal. */
export function rankRows(rows: readonly { metrics: Record<string, number> }[], metrics: readonly string[]): { best: Record<string, number[]>; differing: string[] } {
  const best: Record<string, number[]> = {};
  const differing: string[] = [];
  for (const m of metrics) {
    const b = bestRowIndex(rows.map((r) => ({ params: {}, metrics: r.metrics })), m);
    best[m] = b < 0 ? [] : rows.flatMap((r, i) => (r.metrics[m] === rows[b]!.metrics[m] ? [i] : []));
    if (new Set(rows.map((r) => r.metrics[m])).size > 1) differing.push(m);
  }
  return { best, differing };
}

/** One video's cached detections (0-based frames) and, when loaded, its ground truth. */
export interface CompareVideo {
  name: string;
  detections: readonly Detections[];
  gt: MotRows | null;
  seqLength: number;
}

export interface VideoCompareRun {
  label: string;
  /** Tracked boxes (with ids) per frame, for the overlay. */
  frames: Array<[number, Detections]>;
  trackCount: number;
  /** The metrics against the ground truth; null without one. */
  metrics: Record<string, number> | null;
}

export interface VideoComparison {
  runs: VideoCompareRun[];
  metrics: string[];
  /** Empty without ground truth. */
  best: Record<string, number[]>;
  differing: string[];
}

/**
 * The app's comparison: each entry's tracker (its grid's first combination, as a Track run uses) over one video's
 * cached detections, keeping every frame's tracks for the overlay, scored when the ground truth is there.
 */
export async function compareOnVideo(entries: readonly CompareEntry[], classNames: readonly string[], video: CompareVideo, options: CompareOptions = {}): Promise<VideoComparison> {
  if (entries.length < 2) throw new ConfigError(`compare: pick at least one config to compare with (${entries.length} tracker)`, undefined);
  const metrics = [...(options.metrics ?? DEFAULT_SEARCH_METRICS)];
  const runs: VideoCompareRun[] = [];
  for (const [k, entry] of entries.entries()) {
    if (options.isCancelled?.()) throw new MotSearchCancelled('compare cancelled');
    const axes = entry.axes ?? trackerSearchAxes(entry.config);
    const run = new MotRun(axes.length ? configWithCombination(entry.config, firstCombination(axes)) : entry.config, classNames);
    const needs = cachedDetectionsLack(run.tracker.requires, video.detections);
    if (needs) throw new ConfigError(`${entry.name}: ${run.tracker.type} needs more than the cached boxes (${needs}), so it cannot be compared on them`, undefined);
    for (let f = 0; f < video.detections.length; f++) await run.step(f, video.detections[f]!, options.minScore ?? 0);
    let scored: Record<string, number> | null = null;
    if (video.gt) {
      const summary = motSummaryRow(evalMot([{ name: video.name, gt: video.gt, tracker: run.motRows(), seqLength: video.seqLength }]).combined, true);
      scored = Object.fromEntries(metrics.map((m) => [m, summary[metricField(m)]!]));
    }
    runs.push({ label: entry.name, frames: [...run.frames.entries()], trackCount: run.trackList().length, metrics: scored });
    options.onProgress?.(k + 1, entries.length);
  }
  const ranked = video.gt ? rankRows(runs.map((r) => ({ metrics: r.metrics! })), metrics) : { best: {}, differing: [] };
  return { runs, metrics, ...ranked };
}
