import { useState, type DragEvent } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { EvalReport, EvalTask } from '../../core/eval/eval-run.ts';
import { filesFromDrop } from './dropped-entries.ts';
import { appEvalStore, readDroppedFiles, useEvalStore, type DroppedFiles, type EvalState } from './eval-store.ts';
import { LineChart } from './LineChart.tsx';
import './eval.css';

const TASKS: { value: EvalTask | 'auto'; label: string }[] = [
  { value: 'auto', label: 'detect from files' },
  { value: 'mot', label: 'MOT (HOTA, CLEAR, IDF1)' },
  { value: 'sot', label: 'SOT OPE' },
  { value: 'vot', label: 'SOT VOT (EAO)' },
  { value: 'vid', label: 'VID box mAP' },
  { value: 'vis', label: 'VIS mask AP' },
];

function formatValue(v: number | undefined, col: EvalReport['columns'][number]): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (v === -1 && !col.count) return 'n/a';
  if (col.count) return String(Math.round(v));
  return col.percent ? v.toFixed(2) : v.toFixed(4);
}

/** Drop zone + pickers for one side (ground truth or results). */
function FilesDrop({ title, hint, value, onFiles }: { title: string; hint: string; value: DroppedFiles | null; onFiles: (files: File[], label: string) => void }) {
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    const name = e.dataTransfer.items[0]?.webkitGetAsEntry()?.name ?? 'dropped files';
    void filesFromDrop(e.dataTransfer).then((files) => onFiles(files, name));
  };
  const count = value ? Object.keys(value.files).length : 0;
  return (
    <div
      className={`eval-drop${over ? ' over' : ''}`}
      data-testid={`eval-drop-${title.toLowerCase().replace(/\s+/g, '-')}`}
      onDragOver={(e) => {
        e.preventDefault();
        e.stopPropagation();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <strong>{title}</strong>
      <span className="eval-hint">{value ? `${value.label}: ${count} file${count === 1 ? '' : 's'}` : hint}</span>
      <span className="eval-pickers">
        <label className="button">
          file…
          <input type="file" multiple onChange={(e) => e.target.files && onFiles(Array.from(e.target.files), e.target.files[0]?.name ?? 'files')} />
        </label>
        <label className="button">
          folder…
          <input
            type="file"
            // @ts-expect-error: webkitdirectory is not in React's input attributes
            webkitdirectory=""
            onChange={(e) => e.target.files && onFiles(Array.from(e.target.files), (e.target.files[0]?.webkitRelativePath ?? 'folder').split('/')[0] ?? 'folder')}
          />
        </label>
      </span>
    </div>
  );
}

/** The metric table: overall first, then sequences worst first. */
export function MetricTable({ report }: { report: EvalReport }) {
  return (
    <table className="eval-table" data-testid="eval-table">
      <thead>
        <tr>
          <th>sequence</th>
          {report.columns.map((c) => (
            <th key={c.key} title={c.key}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr className="eval-overall">
          <td>{report.task === 'mot' ? 'COMBINED_SEQ' : 'OVERALL'}</td>
          {report.columns.map((c) => (
            <td key={c.key}>{formatValue(report.overall[c.key], c)}</td>
          ))}
        </tr>
        {report.rows.map((r) => (
          <tr key={r.name}>
            <td>{r.name}</td>
            {report.columns.map((c) => (
              <td key={c.key}>{formatValue(r.values[c.key], c)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The evaluation view body for a given store (the app's by default; tests pass their own). */
export function EvalPanel({ store }: { store: StoreApi<EvalState> }) {
  return <EvalPanelView state={useEvalStore(store, (st) => st)} />;
}

/** Renders one state of the store; every action goes back to the store. */
export function EvalPanelView({ state: s }: { state: EvalState }) {
  const load = (side: 'gt' | 'results') => (files: File[], label: string) =>
    void readDroppedFiles(files, label).then((d) => (side === 'gt' ? s.setGt(d) : s.setResults(d)));
  return (
    <section className="eval-view" data-testid="eval-view">
      <div className="eval-inputs">
        <FilesDrop title="Ground truth" hint="drop a file or folder (gt/gt.txt + seqinfo.ini, groundtruth.txt, ann.json)" value={s.gt} onFiles={load('gt')} />
        <FilesDrop title="Results" hint="drop a file or folder (SEQ.txt, results.json)" value={s.results} onFiles={load('results')} />
        <div className="eval-actions">
          <select value={s.task} onChange={(e) => s.setTask(e.target.value as EvalTask | 'auto')} aria-label="task">
            {TASKS.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
          {s.status === 'running' ? (
            <button type="button" onClick={s.cancel}>
              Cancel
            </button>
          ) : (
            <button type="button" onClick={s.run} disabled={!s.gt || !s.results}>
              Evaluate
            </button>
          )}
        </div>
      </div>
      {s.status === 'running' && s.progress && (
        <div className="eval-progress" data-testid="eval-progress">
          <progress max={1} value={s.progress.fraction} /> {s.progress.stage}
        </div>
      )}
      {s.status === 'cancelled' && <p className="eval-note">Evaluation cancelled.</p>}
      {s.error && (
        <p className="eval-error" role="alert">
          {s.error}
        </p>
      )}
      {s.report && (
        <>
          <MetricTable report={s.report} />
          {s.report.warnings.length > 0 && (
            <details className="eval-warnings">
              <summary>{s.report.warnings.length} skipped rows</summary>
              <ul>
                {s.report.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </details>
          )}
          <div className="eval-charts">
            {s.report.curves.map((c) => (
              <LineChart key={c.title} curve={c} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}

/** The app's evaluation view: drop ground truth and results, evaluate in the eval worker, read tables and plots. */
export function EvalView() {
  return <EvalPanel store={appEvalStore()} />;
}
