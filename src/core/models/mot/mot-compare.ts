/**
 * Trackers compared on the same cached detections: each entry (a MOT config, its tracker written with list values
 * becoming one row per combination, as in the parameter search) tracks every sequence, and every row is scored with
 * the same metrics by TrackEval's MOTChallenge metrics. The detector does not run again, so the rows differ only by
 * their trackers. Used by `mmtrack compare` and the app's MOT panel.
 */
import { ConfigError } from '../../config/config-error.ts';
import type { ConfigDict, ConfigValue } from '../../config/config-value.ts';
import { type MotSearchSequence, type SearchAxis, bestRowIndex, DEFAULT_SEARCH_METRICS, runMotParamSearch, searchMetricsOf } from './mot-param-search.ts';

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
  const best: Record<string, number[]> = {};
  const differing: string[] = [];
  for (const m of metrics) {
    const b = bestRowIndex(rows.map((r) => ({ params: r.params, metrics: r.metrics })), m);
    best[m] = b < 0 ? [] : rows.flatMap((r, i) => (r.metrics[m] === rows[b]!.metrics[m] ? [i] : []));
    if (new Set(rows.map((r) => r.metrics[m])).size > 1) differing.push(m);
  }
  return { metrics, rows, best, differing };
}
