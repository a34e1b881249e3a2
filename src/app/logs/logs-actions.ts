import type { XAxis } from '../../core/logs/curves.ts';
import { SERIES_COLORS } from '../../core/logs/svg-chart.ts';
import type { RunSummary } from '../../workers/logs-protocol.ts';

/** One dropped log: reading, ready (parsed in the worker) or failed. */
export interface LogsRun {
  runId: number;
  /** File name; the default legend is `{name}_{key}`, as MMTracking's. */
  name: string;
  status: 'reading' | 'ready' | 'failed';
  bytes: number;
  total: number;
  summary: RunSummary | null;
  error: string | null;
}

/** What the logs view shows; changed only through {@link performLogsAction}. */
export interface LogsViewState {
  runs: LogsRun[];
  /** Keys drawn, in the order they were picked. */
  selectedKeys: string[];
  xAxis: XAxis;
  /** TensorBoard-style EMA weight in [0, 1); 0 = raw. */
  smoothing: number;
  /** Visible x range, null = all. */
  zoom: [number, number] | null;
  /** Legend entries the user typed, by `runId/key`. */
  legend: Record<string, string>;
  title: string;
  /** cal_train_time with the first iteration of each epoch (the script's --include-outliers). */
  includeOutliers: boolean;
}

export const initialLogsState: LogsViewState = {
  runs: [],
  selectedKeys: [],
  xAxis: 'iter',
  smoothing: 0,
  zoom: null,
  legend: {},
  title: '',
  includeOutliers: false,
};

/** User and worker events, as data. */
export type LogsAction =
  | { type: 'run-added'; runId: number; name: string; total: number }
  | { type: 'run-progress'; runId: number; bytes: number; total: number }
  | { type: 'run-parsed'; runId: number; summary: RunSummary }
  | { type: 'run-failed'; runId: number; message: string }
  | { type: 'remove-run'; runId: number }
  | { type: 'toggle-key'; key: string }
  | { type: 'set-x-axis'; xAxis: XAxis }
  | { type: 'set-smoothing'; weight: number }
  | { type: 'zoom'; range: [number, number] }
  | { type: 'reset-zoom' }
  | { type: 'set-legend'; runId: number; key: string; label: string }
  | { type: 'set-title'; title: string }
  | { type: 'set-include-outliers'; value: boolean };

const updateRun = (state: LogsViewState, runId: number, patch: Partial<LogsRun>): LogsViewState => ({
  ...state,
  runs: state.runs.map((r) => (r.runId === runId ? { ...r, ...patch } : r)),
});

export function performLogsAction(state: LogsViewState, action: LogsAction): LogsViewState {
  switch (action.type) {
    case 'run-added':
      return { ...state, runs: [...state.runs, { runId: action.runId, name: action.name, status: 'reading', bytes: 0, total: action.total, summary: null, error: null }] };
    case 'run-progress':
      return updateRun(state, action.runId, { bytes: action.bytes, total: action.total });
    case 'run-parsed':
      return updateRun(state, action.runId, { status: 'ready', summary: action.summary, bytes: action.summary.bytes });
    case 'run-failed':
      return updateRun(state, action.runId, { status: 'failed', error: action.message });
    case 'remove-run': {
      const runs = state.runs.filter((r) => r.runId !== action.runId);
      const keys = new Set(availableKeys({ ...state, runs }));
      return { ...state, runs, selectedKeys: state.selectedKeys.filter((k) => keys.has(k)) };
    }
    case 'toggle-key':
      return {
        ...state,
        selectedKeys: state.selectedKeys.includes(action.key) ? state.selectedKeys.filter((k) => k !== action.key) : [...state.selectedKeys, action.key],
      };
    case 'set-x-axis':
      return action.xAxis === state.xAxis ? state : { ...state, xAxis: action.xAxis, zoom: null };
    case 'set-smoothing':
      return { ...state, smoothing: Math.min(0.99, Math.max(0, Number.isFinite(action.weight) ? action.weight : 0)) };
    case 'zoom': {
      const [a, b] = action.range;
      if (!Number.isFinite(a) || !Number.isFinite(b) || a === b) return state;
      return { ...state, zoom: [Math.min(a, b), Math.max(a, b)] };
    }
    case 'reset-zoom':
      return { ...state, zoom: null };
    case 'set-legend': {
      const legend = { ...state.legend };
      const id = `${action.runId}/${action.key}`;
      if (action.label.trim() === '') delete legend[id];
      else legend[id] = action.label;
      return { ...state, legend };
    }
    case 'set-title':
      return { ...state, title: action.title };
    case 'set-include-outliers':
      return { ...state, includeOutliers: action.value };
  }
}

/** True when the action changes what the chart shows (the store then asks the worker for new curves). */
export function changesCurves(action: LogsAction): boolean {
  return ['run-parsed', 'remove-run', 'toggle-key', 'set-x-axis', 'set-smoothing', 'zoom', 'reset-zoom', 'set-legend'].includes(action.type);
}

/** Numeric keys of the parsed runs (union, first-seen order). */
export function availableKeys(state: LogsViewState): string[] {
  const keys = new Set<string>();
  for (const r of state.runs) for (const k of r.summary?.numericKeys ?? []) keys.add(k);
  return [...keys];
}

export interface SeriesSpec {
  runId: number;
  key: string;
  label: string;
  color: string;
}

/** The chart's series: every ready run × every selected key it has, runs outer (MMTracking's legend order). */
export function seriesSpecs(state: LogsViewState): SeriesSpec[] {
  const specs: SeriesSpec[] = [];
  for (const r of state.runs) {
    if (r.status !== 'ready' || !r.summary) continue;
    for (const key of state.selectedKeys) {
      if (!r.summary.numericKeys.includes(key)) continue;
      const color = SERIES_COLORS[specs.length % SERIES_COLORS.length]!;
      specs.push({ runId: r.runId, key, label: state.legend[`${r.runId}/${key}`] ?? `${r.name}_${key}`, color });
    }
  }
  return specs;
}

/** Skipped (malformed) lines over all runs. */
export function malformedTotal(state: LogsViewState): number {
  return state.runs.reduce((n, r) => n + (r.summary?.malformedCount ?? 0), 0);
}
