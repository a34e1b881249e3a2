import { create } from 'zustand';
import { splitCfgOptionsText } from '../../core/config/cfg-options.ts';
import type { ConfigValue } from '../../core/config/config-value.ts';
import { formatIssue } from '../../core/datasets/issues.ts';
import { type MotVideoGt, readMotVideoGt } from '../../core/datasets/mot-video-gt.ts';
import { bestRowIndex, higherIsBetter, type MotSearchRow, type SearchAxis, searchCombinations, searchMetricsOf, trackerSearchAxes } from '../../core/models/mot/mot-param-search.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { evaluateMotInWorker, startMotSearch } from '../../workers/mot-search-client.ts';
import { isCancelled } from '../../workers/rpc.ts';
import { configStore } from '../config/config-store.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { currentMotRun, useMotStore, withTickedClasses } from './mot-store.ts';

/** The overall metrics the panel shows for an in-place evaluation, in order (TrackEval names). */
export const MOT_EVAL_FIELDS = ['HOTA', 'MOTA', 'IDF1', 'IDSW', 'FP', 'FN', 'MT', 'ML', 'DetA', 'AssA'] as const;

export interface MotSearchState {
  /** Ground truth of the video, dropped by the user. */
  gt: MotVideoGt | null;
  gtError: string | null;
  /** TrackEval's metrics of the current run against `gt` (every scalar field). */
  evaluation: Record<string, number> | null;
  evalStatus: 'idle' | 'running' | 'done' | 'error';
  evalError: string | null;
  searchStatus: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  searchProgress: { done: number; total: number } | null;
  searchError: string | null;
  axes: SearchAxis[];
  metrics: string[];
  rows: MotSearchRow[];
  /** The metric the table is sorted by (best first) and "apply best" picks by. */
  sortMetric: string | null;

  /** Reads the dropped ground truth (`gt.txt` + `seqinfo.ini`, or a CocoVID `.json`) and evaluates the run. */
  loadGt: (files: File[]) => Promise<void>;
  evaluate: () => Promise<void>;
  /** Runs the config's search grid on the run's cached detections in a worker. */
  search: () => void;
  cancelSearch: () => void;
  sortBy: (metric: string) => void;
  /** Sets the best row's values as config overrides and re-tracks the cached detections with them. */
  applyBest: () => Promise<void>;
}

/** A config value as `--cfg-options` text. */
function optionText(v: ConfigValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `[${v.map(optionText).join(',')}]`;
  if (typeof v === 'object') throw new Error('a dict cannot be written as a --cfg-options value');
  return String(v);
}

/** The search axes of the config in the Config panel (lists in model.tracker), or none. */
export function configSearchAxes(): SearchAxis[] {
  const config = configStore.getState().config;
  return config ? trackerSearchAxes(config) : [];
}

let searchJob: { cancel(): void } | null = null;

export const useMotSearchStore = create<MotSearchState>()((set, get) => {
  // A new video drops its ground truth and search; a finished or re-tracked run is evaluated again.
  usePlayerStore.subscribe((s, prev) => {
    if (s.info !== prev.info) {
      searchJob?.cancel();
      set({ gt: null, gtError: null, evaluation: null, evalStatus: 'idle', evalError: null, searchStatus: 'idle', searchProgress: null, searchError: null, rows: [], axes: [], metrics: [] });
    }
  });
  useMotStore.subscribe((s, prev) => {
    if (s.status === 'done' && (prev.status !== 'done' || s.tracks !== prev.tracks) && get().gt) void get().evaluate();
  });

  return {
    gt: null,
    gtError: null,
    evaluation: null,
    evalStatus: 'idle',
    evalError: null,
    searchStatus: 'idle',
    searchProgress: null,
    searchError: null,
    axes: [],
    metrics: [],
    rows: [],
    sortMetric: null,

    async loadGt(files) {
      const info = usePlayerStore.getState().info;
      if (!info || files.length === 0) return;
      try {
        const texts: Record<string, string> = {};
        for (const f of files) texts[f.webkitRelativePath || f.name] = await f.text();
        const config = currentMotRun()?.config ?? configStore.getState().config;
        const classes = config?.classes;
        const names = Array.isArray(classes) ? classes.filter((c): c is string => typeof c === 'string') : typeof classes === 'string' ? [classes] : null;
        const gt = readMotVideoGt(texts, info, names);
        set({ gt, gtError: gt.warnings.length ? gt.warnings.slice(0, 3).map(formatIssue).join('; ') : null, evaluation: null, rows: [], searchStatus: 'idle' });
        await get().evaluate();
      } catch (err) {
        set({ gt: null, evaluation: null, gtError: err instanceof Error ? err.message : String(err) });
      }
    },

    async evaluate() {
      const { gt } = get();
      const current = currentMotRun();
      const info = usePlayerStore.getState().info;
      if (!gt || !current || !info) return;
      set({ evalStatus: 'running', evalError: null });
      try {
        const metrics = await evaluateMotInWorker(info.name, gt.gt, current.result.motRows(), gt.seqLength);
        set({ evalStatus: 'done', evaluation: metrics });
      } catch (err) {
        set({ evalStatus: 'error', evaluation: null, evalError: err instanceof Error ? err.message : String(err) });
      }
    },

    search() {
      const { gt } = get();
      const current = currentMotRun();
      const selected = configStore.getState().config;
      if (!gt || !current || !selected || get().searchStatus === 'running') return;
      const config = withTickedClasses(selected);
      let axes: SearchAxis[];
      let metrics: string[];
      let total: number;
      try {
        axes = configSearchAxes();
        metrics = searchMetricsOf(config);
        total = searchCombinations(axes).length;
      } catch (err) {
        set({ searchStatus: 'error', searchError: err instanceof Error ? err.message : String(err) });
        return;
      }
      const detections: Detections[] = [];
      for (let i = 0; current.detections.has(i); i++) detections.push(current.detections.get(i)!);
      set({ searchStatus: 'running', searchProgress: { done: 0, total }, searchError: null, rows: [], axes, metrics, sortMetric: get().sortMetric && metrics.includes(get().sortMetric!) ? get().sortMetric : metrics[0]! });
      const job = startMotSearch(
        { config, axes, classNames: [...useMotStore.getState().classNames], sequence: { name: usePlayerStore.getState().info?.name ?? 'video', detections, gt: gt.gt, seqLength: gt.seqLength }, minScore: current.minScore, searchMetrics: metrics },
        (done, n, row) => set({ searchProgress: { done, total: n }, rows: [...get().rows, row] }),
      );
      searchJob = job;
      job.result.then(
        (result) => {
          if (searchJob === job) set({ searchStatus: 'done', rows: result.rows });
        },
        (err: unknown) => {
          if (searchJob === job) set(isCancelled(err) ? { searchStatus: 'cancelled' } : { searchStatus: 'error', searchError: err instanceof Error ? err.message : String(err) });
        },
      );
    },

    cancelSearch() {
      searchJob?.cancel();
    },

    sortBy(metric) {
      set({ sortMetric: metric });
    },

    async applyBest() {
      const { rows, axes, sortMetric, metrics } = get();
      const metric = sortMetric ?? metrics[0];
      if (!metric || rows.length === 0) return;
      const best = rows[bestRowIndex(rows, metric)];
      if (!best) return;
      const cfg = configStore.getState();
      const keys = axes.map((a) => `model.tracker.${a.key}`);
      const kept = splitCfgOptionsText(cfg.optionsText).filter((w) => !keys.includes(w.split('=')[0]!));
      const added = axes.map((a) => `model.tracker.${a.key}=${optionText(best.params[a.key]!)}`);
      cfg.setOptionsText([...kept, ...added].map((w) => (/[\s'"]/.test(w) ? `'${w}'` : w)).join(' '));
      cfg.applyOptions();
      if (configStore.getState().optionsError) {
        set({ searchError: configStore.getState().optionsError });
        return;
      }
      await useMotStore.getState().retrack(currentMotRun()?.minScore ?? 0, true);
    },
  };
});

/** The rows in display order: best first by the sort metric (the grid order breaks ties). */
export function sortedRows(rows: readonly MotSearchRow[], metric: string | null): MotSearchRow[] {
  if (!metric) return [...rows];
  const sign = higherIsBetter(metric) ? -1 : 1;
  return rows
    .map((r, i) => [r, i] as const)
    .sort((a, b) => sign * ((a[0].metrics[metric] ?? NaN) - (b[0].metrics[metric] ?? NaN)) || a[1] - b[1])
    .map(([r]) => r);
}
