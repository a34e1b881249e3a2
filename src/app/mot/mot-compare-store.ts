import { create } from 'zustand';
import { loadConfig } from '../../core/config/config-loader.ts';
import { type CompareEntry, type VideoComparison } from '../../core/models/mot/mot-compare.ts';
import { DEFAULT_SEARCH_METRICS, searchMetricsOf, trackerSearchAxes } from '../../core/models/mot/mot-param-search.ts';
import type { EvalReport, MetricValue } from '../../core/report/report-schema.ts';
import { validateReport } from '../../core/report/report-schema.ts';
import { buildReport } from '../../core/report/report-build.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { startMotCompare } from '../../workers/mot-search-client.ts';
import { isCancelled } from '../../workers/rpc.ts';
import { configFileSystem } from '../config/config-files.ts';
import { configStore } from '../config/config-store.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { useOverlayStore } from '../stores/overlay-store.ts';
import { useMotSearchStore } from './mot-search-store.ts';
import { currentMotRun, useMotStore, withTickedClasses } from './mot-store.ts';
import { RunScenes } from './run-scenes.ts';

/**
 * Trackers compared on the current run's cached detections: the run's own config (with its overrides and ticked
 * classes) and the MOT configs picked here. Only the trackers run again (in the search worker); their tracks can be
 * shown on the video one at a time (the overlay switches between them), and with the ground truth loaded their
 * metrics fill one table, exportable as one report.
 */
export interface MotCompareState {
  /** Config paths to compare the run's config with. */
  others: string[];
  status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  progress: { done: number; total: number } | null;
  error: string | null;
  result: VideoComparison | null;
  /** The config path of each row (null: the run's config as it tracked). */
  configs: (string | null)[];
  /** The row whose tracks the overlay shows; null: the run's own (the MOT panel's). */
  shown: number | null;
  toggle: (path: string) => void;
  run: () => Promise<void>;
  cancel: () => void;
  show: (row: number | null) => void;
  /** A report of the comparison (schema v1 with `comparison`); throws when there is nothing to report. */
  report: () => EvalReport;
}

/** The MOT configs one can compare with: the bundled configs/mot/ ones and the user's, except `_base_`. */
export function compareChoices(): string[] {
  return configStore.getState().choices.filter((p) => p.includes('/mot/') && !p.includes('/_base_/'));
}

let job: { cancel(): void } | null = null;

export const useMotCompareStore = create<MotCompareState>()((set, get) => {
  // A new video, or a new run, makes the comparison stale.
  usePlayerStore.subscribe((s, prev) => {
    if (s.info !== prev.info) reset();
  });
  useMotStore.subscribe((s, prev) => {
    if (s.session !== prev.session || s.tracks !== prev.tracks) reset();
  });
  // Ground truth dropped (or replaced) after a comparison: score it again.
  useMotSearchStore.subscribe((s, prev) => {
    if (s.gt !== prev.gt && get().result && get().status !== 'running') void get().run();
  });
  function reset(): void {
    job?.cancel();
    job = null;
    if (get().result || get().status !== 'idle') set({ status: 'idle', result: null, progress: null, error: null, shown: null });
  }

  return {
    others: [],
    status: 'idle',
    progress: null,
    error: null,
    result: null,
    configs: [],
    shown: null,

    toggle(path) {
      const others = get().others.includes(path) ? get().others.filter((p) => p !== path) : [...get().others, path];
      set({ others });
    },

    async run() {
      const session = currentMotRun();
      const info = usePlayerStore.getState().info;
      if (!session || !info || get().status === 'running') return;
      const gt = useMotSearchStore.getState().gt;
      set({ status: 'running', error: null, result: null, shown: null, progress: { done: 0, total: get().others.length + 1 } });
      let entries: CompareEntry[];
      let metrics: string[];
      try {
        const files = configStore.getState().files;
        entries = [{ name: `${label(session.configPath)} (this run)`, config: session.config, axes: trackerSearchAxes(session.config) }];
        for (const path of get().others) {
          const { config } = await loadConfig(path, configFileSystem(files));
          entries.push({ name: label(path), config: withTickedClasses(config), axes: trackerSearchAxes(config) });
        }
        metrics = session.config.search_metrics !== undefined ? searchMetricsOf(session.config) : [...DEFAULT_SEARCH_METRICS];
      } catch (err) {
        set({ status: 'error', error: err instanceof Error ? err.message : String(err) });
        return;
      }
      const detections: Detections[] = [];
      for (let i = 0; session.detections.has(i); i++) detections.push(session.detections.get(i)!);
      const j = startMotCompare(
        { entries, classNames: [...session.classNames], video: { name: info.name, detections, gt: gt?.gt ?? null, seqLength: gt?.seqLength ?? detections.length }, minScore: session.minScore, metrics },
        (done, total) => set({ progress: { done, total } }),
      );
      job = j;
      try {
        const result = await j.result;
        if (job === j) set({ status: 'done', result, configs: [session.configPath, ...get().others] });
      } catch (err) {
        if (job === j) set(isCancelled(err) ? { status: 'cancelled' } : { status: 'error', error: err instanceof Error ? err.message : String(err) });
      }
    },

    cancel() {
      job?.cancel();
    },

    show(row) {
      const { result } = get();
      const session = currentMotRun();
      if (!session) return;
      if (row === null || !result?.runs[row]) {
        set({ shown: null });
        useOverlayStore.getState().setSource(session.scenes(), session.overlayLabel);
        return;
      }
      const run = result.runs[row];
      set({ shown: row });
      useOverlayStore.getState().setSource(new RunScenes(new Map(run.frames), session.classNames, null), `${run.label} tracks (compare)`);
    },

    report() {
      const { result, configs } = get();
      const info = usePlayerStore.getState().info;
      if (!result || !info || result.runs.some((r) => !r.metrics)) throw new Error('load the ground truth and compare first: a report needs the metrics');
      const values = (r: (typeof result.runs)[number]): Record<string, MetricValue> => Object.fromEntries(result.metrics.map((m) => [m, Number.isFinite(r.metrics![m]) ? r.metrics![m]! : null]));
      // The first row (this run) as an ordinary MOT report, in the shape `mmtrack eval mot` prints; the rows beside it.
      const first = result.runs[0]!.metrics!;
      const report: EvalReport = {
        ...buildReport({
          metrics: { COMBINED_SEQ: first, [info.name]: first },
          metricsName: info.name,
          title: `MOT trackers compared on ${info.name}`,
          task: 'mot',
          createdAt: new Date().toISOString(),
          dataset: { name: info.name, sequences: 1, frames: info.frameCount },
          environment: { tool: 'mmtrack-web (browser)', browser: navigator.userAgent },
        }),
        comparison: { metrics: result.metrics, rows: result.runs.map((r, i) => ({ label: r.label, config: configs[i] ?? null, values: values(r) })) },
      };
      const checked = validateReport(report);
      if (!checked.ok) throw new Error(`the report would not be valid: ${checked.errors.join('; ')}`);
      return checked.report;
    },
  };
});

const label = (path: string | null): string => (path ? path.split('/').pop()!.replace(/\.py$/, '') : 'config');
