/**
 * Test-time parameter search for MOT trackers, as MMTracking's `tools/analysis/mot/mot_param_search.py`: every value
 * of `model.tracker` written as a list becomes a search axis, the grid is their Cartesian product
 * (`itertools.product`, the last axis varying fastest), each combination tracks the same cached detections, and the
 * run is scored with the `search_metrics` (default MOTA, IDF1, FN, FP, IDs, MT, ML and HOTA) by TrackEval's
 * MOTChallenge metrics. Pure: detections come from the caller (the app's cache or `mmtrack detect` output).
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigDict, type ConfigValue, cloneConfig, isConfigDict, previewValue } from '../../config/config-value.ts';
import { isConfigTuple } from '../../config/python-evaluator.ts';
import type { MotRows } from '../../datasets/mot-challenge.ts';
import { evalMot, motSummaryRow } from '../../eval/eval-mot.ts';
import type { Detections } from '../../structures/detections.ts';
import { needsFrame, type TrackerRequirements } from '../../trackers/tracker.ts';
import { MotRun } from './mot-run.ts';

/** One search axis: the dotted key under `model.tracker` and its values. */
export interface SearchAxis {
  key: string;
  values: ConfigValue[];
}

/** MMTracking's default `search_metrics`, plus HOTA (TrackEval's headline metric). */
export const DEFAULT_SEARCH_METRICS = ['MOTA', 'IDF1', 'FN', 'FP', 'IDs', 'MT', 'ML', 'HOTA'] as const;

/** motmetrics' names (MMTracking 0.x's MOT evaluation) for fields TrackEval names differently. */
const METRIC_ALIASES: Readonly<Record<string, string>> = { IDs: 'IDSW', FM: 'Frag' };
/** Metrics where fewer is better; every other search metric is better when higher. */
const LOWER_IS_BETTER = new Set(['FN', 'FP', 'IDSW', 'ML', 'Frag', 'PT']);

/** The TrackEval field a search metric reads (`IDs` → `IDSW`). */
export function metricField(metric: string): string {
  return METRIC_ALIASES[metric] ?? metric;
}

/** Whether a larger value of the metric is better (MOTA, IDF1, MT, HOTA, ...) or a smaller one (FN, FP, IDs, ML). */
export function higherIsBetter(metric: string): boolean {
  return !LOWER_IS_BETTER.has(metricField(metric));
}

/**
 * The search axes of a tracker dict, depth first in key order, as `get_search_params` walks it: a list value is an
 * axis, a dict is searched recursively. Tuples are values, not axes (`isinstance(v, list)` is false for them), so
 * `reid.img_scale=(256, 128)` stays as it is. Call it on the config as loaded: copies lose the tuple marks.
 */
export function getSearchAxes(tracker: ConfigValue | undefined, prefix = ''): SearchAxis[] {
  if (!isConfigDict(tracker)) return [];
  const out: SearchAxis[] = [];
  for (const [k, v] of Object.entries(tracker)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v) && !isConfigTuple(v)) {
      if (v.length === 0) throw new ConfigError(`model.tracker.${key}: an empty list cannot be searched (give the values to try, or one value)`, undefined);
      out.push({ key, values: v });
    } else if (isConfigDict(v)) out.push(...getSearchAxes(v, key));
  }
  return out;
}

/** The search axes of a config's `model.tracker` (none without a tracker dict). Call it where the config was loaded. */
export function trackerSearchAxes(config: ConfigDict): SearchAxis[] {
  const model = config.model;
  return isConfigDict(model) ? getSearchAxes(model.tracker) : [];
}

/** The most combinations a search grid may have (each re-tracks every sequence). */
export const MAX_SEARCH_COMBINATIONS = 100_000;

/**
 * Every combination of the axes' values, `itertools.product` order; one empty combination when there is no axis.
 * A grid past {@link MAX_SEARCH_COMBINATIONS} is refused before anything is built.
 */
export function searchCombinations(axes: readonly SearchAxis[]): Array<Record<string, ConfigValue>> {
  const size = axes.reduce((n, a) => n * a.values.length, 1);
  if (size > MAX_SEARCH_COMBINATIONS) {
    throw new ConfigError(`model.tracker: the search grid has ${size} combinations (${axes.map((a) => `${a.key}: ${a.values.length}`).join(' x ')}); at most ${MAX_SEARCH_COMBINATIONS}`, undefined);
  }
  let combos: Array<Record<string, ConfigValue>> = [{}];
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.key]: v })));
  return combos;
}

/** The grid's first combination (`itertools.product`'s first: each axis's first value), without building the grid. */
export function firstCombination(axes: readonly SearchAxis[]): Record<string, ConfigValue> {
  return Object.fromEntries(axes.map((a) => [a.key, a.values[0]!]));
}

/** A copy of the tracker dict with the combination's values set at their dotted keys. */
export function applyCombination(tracker: ConfigDict, combination: Readonly<Record<string, ConfigValue>>): ConfigDict {
  const out = cloneConfig(tracker);
  for (const [key, value] of Object.entries(combination)) {
    const parts = key.split('.');
    let d: ConfigDict = out;
    for (const p of parts.slice(0, -1)) {
      const next = d[p];
      if (!isConfigDict(next)) throw new ConfigError(`model.tracker.${key}: '${p}' is not a dict`, undefined);
      d = next;
    }
    d[parts[parts.length - 1]!] = value;
  }
  return out;
}

/** The config with `model.tracker` replaced by one combination (every other key shared, not copied). */
export function configWithCombination(config: ConfigDict, combination: Readonly<Record<string, ConfigValue>>): ConfigDict {
  const model = config.model;
  if (!isConfigDict(model) || !isConfigDict(model.tracker)) throw new ConfigError('model.tracker: expected the tracker dict', undefined);
  return { ...config, model: { ...model, tracker: applyCombination(model.tracker, combination) } };
}

/** The config's `search_metrics`, checked against the fields the MOT evaluation gives. */
export function searchMetricsOf(config: ConfigDict): string[] {
  const value = config.search_metrics;
  if (value === undefined || value === null) return [...DEFAULT_SEARCH_METRICS];
  if (!Array.isArray(value) || value.length === 0 || value.some((m) => typeof m !== 'string')) {
    throw new ConfigError(`search_metrics: expected a list of metric names such as ${previewValue([...DEFAULT_SEARCH_METRICS])}, got ${previewValue(value)}`, undefined);
  }
  const known = Object.keys(motSummaryRow(emptyMetrics(), true));
  for (const m of value as string[]) {
    if (!known.includes(metricField(m))) throw new ConfigError(`search_metrics: unknown metric '${m}' (known: ${[...known, 'IDs', 'FM'].sort().join(', ')})`, undefined);
  }
  return value as string[];
}

/** Metrics of an empty evaluation, used only for the list of field names. */
function emptyMetrics() {
  const empty: MotRows = { count: 0, frame: new Int32Array(0), id: new Int32Array(0), boxes: new Float64Array(0), conf: new Float64Array(0), cls: new Int32Array(0), visibility: new Float64Array(0) };
  return evalMot([{ name: 's', gt: empty, tracker: empty, seqLength: 1 }]).combined;
}

/** One sequence of the search: its cached detections per 0-based frame and its MOTChallenge ground truth. */
export interface MotSearchSequence {
  name: string;
  /** Detections of frame `f` (0-based) at index `f`; the run tracks frames 0 … length-1. */
  detections: readonly Detections[];
  gt: MotRows;
  /** `seqinfo.ini` seqLength (frames). */
  seqLength: number;
}

/** One combination's result: the values of the axes and the search metrics (fractions and counts, as TrackEval). */
export interface MotSearchRow {
  params: Record<string, ConfigValue>;
  metrics: Record<string, number>;
}

export interface MotSearchOptions {
  /** The axes, when {@link getSearchAxes} ran where the config was loaded (a worker's structured clone of the
   * config no longer knows its tuples). Default: the config's. */
  axes?: readonly SearchAxis[];
  /** Default: {@link searchMetricsOf} the config. */
  searchMetrics?: readonly string[];
  /** Drop detections below this score before tracking (the app's score slider; default 0). */
  minScore?: number;
  /** After each combination: (done, total). */
  onProgress?: (done: number, total: number, row: MotSearchRow) => void;
  /** Checked before each combination; true stops the search with {@link MotSearchCancelled}. */
  isCancelled?: () => boolean;
}

export class MotSearchCancelled extends Error {
  override name = 'MotSearchCancelled';
}

export interface MotSearchResult {
  axes: SearchAxis[];
  metrics: string[];
  rows: MotSearchRow[];
}

/**
 * Tracks every sequence with every combination of the config's tracker grid and scores it. The tracker must work on
 * what was cached: boxes (SORT, ByteTrack), plus embeddings for DeepSORT; Tracktor's regression needs the frames.
 */
export async function runMotParamSearch(config: ConfigDict, classNames: readonly string[], sequences: readonly MotSearchSequence[], options: MotSearchOptions = {}): Promise<MotSearchResult> {
  const model = config.model;
  if (!isConfigDict(model) || !isConfigDict(model.tracker)) throw new ConfigError('model.tracker: the config has no tracker to search', undefined);
  const metrics = [...(options.searchMetrics ?? searchMetricsOf(config))];
  const axes = [...(options.axes ?? getSearchAxes(model.tracker))];
  const combos = searchCombinations(axes);
  if (sequences.length === 0) throw new Error('parameter search: no sequence to track');
  const rows: MotSearchRow[] = [];
  for (const params of combos) {
    if (options.isCancelled?.()) throw new MotSearchCancelled('parameter search cancelled');
    const cfg = configWithCombination(config, params);
    const inputs = [];
    for (const seq of sequences) {
      const run = new MotRun(cfg, classNames);
      const needs = cachedDetectionsLack(run.tracker.requires, seq.detections);
      if (needs) throw new ConfigError(`model.tracker: parameter search runs on cached detections, which ${run.tracker.type} cannot track alone (it needs ${needs}); search SORT (reid=None) or ByteTrack configs`, undefined);
      for (let f = 0; f < seq.detections.length; f++) await run.step(f, seq.detections[f]!, options.minScore ?? 0);
      inputs.push({ name: seq.name, gt: seq.gt, tracker: run.motRows(), seqLength: seq.seqLength });
    }
    const summary = motSummaryRow(evalMot(inputs).combined, true);
    const row: MotSearchRow = { params, metrics: Object.fromEntries(metrics.map((m) => [m, summary[metricField(m)]!])) };
    rows.push(row);
    options.onProgress?.(rows.length, combos.length, row);
    // Let a worker's message loop run (cancel) between combinations.
    await new Promise<void>((resolve) => (globalThis as unknown as { setTimeout(fn: () => void, ms: number): unknown }).setTimeout(resolve, 0));
  }
  return { axes, metrics, rows };
}

/**
 * What a tracker needs that cached detections do not give it (a ReID model, the detector's regression, the frames,
 * or embeddings the detections lack), said in words; null when they are enough.
 */
export function cachedDetectionsLack(r: TrackerRequirements, detections: readonly Detections[]): string | null {
  const embeddings = r.embeddings && !detections.every((d) => d.embeddings);
  if (!embeddings && !needsFrame(r)) return null;
  return [embeddings && 'appearance embeddings', r.embedder && 'a ReID model', r.regressor && "the detector's box regression", r.image && 'the frames'].filter(Boolean).join(', ');
}

/**
 * Index of the best row by a metric (the first of equals, so the grid's order breaks ties), or -1 for no rows.
 * NaN values never win.
 */
export function bestRowIndex(rows: readonly MotSearchRow[], metric: string): number {
  const sign = higherIsBetter(metric) ? 1 : -1;
  let best = -1;
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]!.metrics[metric];
    if (v === undefined || Number.isNaN(v)) continue;
    if (best < 0 || sign * (v - rows[best]!.metrics[metric]!) > 0) best = i;
  }
  return best;
}
