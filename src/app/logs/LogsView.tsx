import { type DragEvent, useState } from 'react';
import { KeyPicker } from './KeyPicker.tsx';
import { LogsChart } from './LogsChart.tsx';
import { useLogsStore } from './logs-store.ts';
import { RunList } from './RunList.tsx';
import { SeriesLegend } from './SeriesLegend.tsx';
import './logs.css';

/**
 * Training-log curves (MMTracking's analyze_logs.py plot_curve / cal_train_time in the browser): drop or pick one
 * or more MMCV `*.log.json` files; they are parsed in a worker, streamed, and compared in one chart.
 */
export function LogsView() {
  const [over, setOver] = useState(false);
  const xAxis = useLogsStore((s) => s.xAxis);
  const smoothing = useLogsStore((s) => s.smoothing);
  const zoom = useLogsStore((s) => s.zoom);
  const title = useLogsStore((s) => s.title);
  const hasChart = useLogsStore((s) => (s.chart?.series.length ?? 0) > 0);
  const chartError = useLogsStore((s) => s.chartError);
  const { dispatch, addFiles, exportSvg, exportPng } = useLogsStore.getState();

  // Handled here (and stopped) so the page-wide drop, which opens videos, does not see log files.
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    addFiles([...e.dataTransfer.files]);
  };
  const onDragOver = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(true);
  };

  return (
    <div className="logs-view" data-testid="logs-view">
      <div className={`logs-drop${over ? ' logs-drop-over' : ''}`} onDrop={onDrop} onDragOver={onDragOver} onDragLeave={() => setOver(false)}>
        <label>
          Training logs (MMCV <code>*.log.json</code>):{' '}
          <input
            type="file"
            multiple
            accept=".json,application/json"
            data-testid="logs-input"
            onChange={(e) => {
              addFiles([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
        </label>
        <span className="placeholder"> or drop them here</span>
      </div>
      <RunList />
      <KeyPicker />
      <div className="logs-controls">
        <span role="radiogroup" aria-label="x axis">
          x:{' '}
          {(['iter', 'epoch'] as const).map((a) => (
            <label key={a}>
              <input type="radio" name="logs-x-axis" checked={xAxis === a} onChange={() => dispatch({ type: 'set-x-axis', xAxis: a })} />
              {a === 'iter' ? 'iteration' : 'epoch'}
            </label>
          ))}
        </span>
        <label>
          smoothing{' '}
          <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => dispatch({ type: 'set-smoothing', weight: Number(e.target.value) })} />{' '}
          {smoothing.toFixed(2)}
        </label>
        <label>
          title <input value={title} onChange={(e) => dispatch({ type: 'set-title', title: e.target.value })} />
        </label>
        <button type="button" disabled={!zoom} onClick={() => dispatch({ type: 'reset-zoom' })}>
          Reset zoom
        </button>
        <button type="button" data-testid="logs-export-svg" disabled={!hasChart} onClick={exportSvg}>
          Export SVG
        </button>
        <button type="button" data-testid="logs-export-png" disabled={!hasChart} onClick={() => void exportPng()}>
          Export PNG
        </button>
      </div>
      {chartError && <p className="logs-error">{chartError}</p>}
      <LogsChart />
      <SeriesLegend />
      <p className="placeholder">Drag across the chart to zoom; double-click to zoom out.</p>
    </div>
  );
}
