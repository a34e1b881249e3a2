import { create } from 'zustand';
import { renderSvgChart } from '../../core/logs/svg-chart.ts';
import { LogsClient, type ParseJob } from '../../workers/logs-client.ts';
import { isCancelled } from '../../workers/rpc.ts';
import type { WorkerSeries } from '../../workers/logs-protocol.ts';
import { downloadBlob } from '../download.ts';
import { changesCurves, initialLogsState, type LogsAction, type LogsViewState, performLogsAction, seriesSpecs } from './logs-actions.ts';
import { svgToPngBlob } from './svg-to-png.ts';

/** Points per series asked of the worker: plenty for a chart, cheap for recharts. */
const MAX_POINTS = 2000;

export interface ChartData {
  xAxis: LogsViewState['xAxis'];
  series: (WorkerSeries & { color: string })[];
}

export interface LogsStore extends LogsViewState {
  /** Curves of the current selection, from the worker (null until asked). */
  chart: ChartData | null;
  chartError: string | null;
  dispatch: (action: LogsAction) => void;
  /** Reads dropped / picked files in the worker, one run each. */
  addFiles: (files: readonly File[]) => void;
  cancel: (runId: number) => void;
  /** The chart as a standalone SVG document (what "Export SVG" saves). */
  chartSvg: () => string | null;
  exportSvg: () => void;
  exportPng: () => Promise<void>;
}

let client: LogsClient | null = null;
const jobs = new Map<number, ParseJob>();
let curvesSeq = 0;
let refreshQueued = false;

const getClient = (): LogsClient => (client ??= new LogsClient());

export const useLogsStore = create<LogsStore>()((set, get) => {
  const refreshCurves = async () => {
    refreshQueued = false;
    const state = get();
    const specs = seriesSpecs(state);
    const seq = ++curvesSeq;
    if (specs.length === 0) {
      set({ chart: null, chartError: null });
      return;
    }
    try {
      const reply = await getClient().curves({
        series: specs.map(({ runId, key, label }) => ({ runId, key, label })),
        xAxis: state.xAxis,
        smoothing: state.smoothing,
        xRange: state.zoom,
        maxPoints: MAX_POINTS,
      });
      if (seq !== curvesSeq) return; // a newer request is on its way
      const colors = new Map(specs.map((s) => [`${s.runId}/${s.key}`, s.color]));
      set({ chart: { xAxis: reply.xAxis, series: reply.series.map((s) => ({ ...s, color: colors.get(`${s.runId}/${s.key}`) ?? '#333333' })) }, chartError: null });
    } catch (err) {
      if (seq === curvesSeq) set({ chartError: err instanceof Error ? err.message : String(err) });
    }
  };

  const dispatch = (action: LogsAction) => {
    set((s) => performLogsAction(s, action));
    if (action.type === 'remove-run') {
      jobs.get(action.runId)?.cancel();
      client?.remove(action.runId);
    }
    if (changesCurves(action) && !refreshQueued) {
      // Several actions in one tick (a slider drag) → one request.
      refreshQueued = true;
      queueMicrotask(() => void refreshCurves());
    }
  };

  return {
    ...initialLogsState,
    chart: null,
    chartError: null,
    dispatch,

    addFiles(files) {
      for (const file of files) {
        const job = getClient().parse(file, file.name, (bytes, total) => dispatch({ type: 'run-progress', runId: job.runId, bytes, total }));
        jobs.set(job.runId, job);
        dispatch({ type: 'run-added', runId: job.runId, name: file.name, total: file.size });
        job.result.then(
          (summary) => dispatch({ type: 'run-parsed', runId: job.runId, summary }),
          (err: unknown) => {
            if (isCancelled(err)) dispatch({ type: 'remove-run', runId: job.runId });
            else dispatch({ type: 'run-failed', runId: job.runId, message: err instanceof Error ? err.message : String(err) });
          },
        );
        void job.result.finally(() => jobs.delete(job.runId)).catch(() => undefined);
      }
    },

    cancel(runId) {
      jobs.get(runId)?.cancel();
    },

    chartSvg() {
      const { chart, zoom, title } = get();
      if (!chart || chart.series.length === 0) return null;
      return renderSvgChart(
        chart.series.map((s) => ({ label: s.label, x: s.x, y: s.y, markers: s.perEpoch, color: s.color })),
        { xLabel: chart.xAxis, ...(title ? { title } : {}), ...(zoom ? { xDomain: zoom } : {}), ...(chart.series.every((s) => s.key === chart.series[0]!.key) ? { yLabel: chart.series[0]!.key } : {}) },
      );
    },

    exportSvg() {
      const svg = get().chartSvg();
      if (svg) downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), 'log-curves.svg');
    },

    async exportPng() {
      const svg = get().chartSvg();
      if (!svg) return;
      try {
        downloadBlob(await svgToPngBlob(svg), 'log-curves.png');
      } catch (err) {
        set({ chartError: `PNG export failed: ${err instanceof Error ? err.message : String(err)}` });
      }
    },
  };
});
