import { useState } from 'react';
import { higherIsBetter } from '../../core/models/mot/mot-param-search.ts';
import { renderReportHtml } from '../../core/report/report-html.ts';
import { useConfigStore } from '../config/config-store.ts';
import { downloadBlob } from '../download.ts';
import { compareChoices, useMotCompareStore } from './mot-compare-store.ts';
import { useMotSearchStore } from './mot-search-store.ts';

const COUNTS = new Set(['IDs', 'IDSW', 'FP', 'FN', 'MT', 'ML', 'PT', 'FM', 'Frag', 'TP']);
const fmt = (metric: string, v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : COUNTS.has(metric) ? String(v) : v.toFixed(3));

/** Other MOT configs' trackers on this run's detections: tracks shown one at a time, metrics in one table, a report. */
export function MotCompare() {
  const s = useMotCompareStore();
  const actions = useMotCompareStore.getState();
  const hasGt = useMotSearchStore((g) => g.gt !== null);
  useConfigStore((c) => c.choices);
  const [message, setMessage] = useState<string | null>(null);
  const choices = compareChoices();
  const exportReport = (kind: 'html' | 'json') => {
    try {
      setMessage(null);
      const report = actions.report();
      if (kind === 'html') downloadBlob(new Blob([renderReportHtml(report)], { type: 'text/html' }), 'mmtrack-compare.html');
      else downloadBlob(new Blob([JSON.stringify(report, null, 1)], { type: 'application/json' }), 'mmtrack-compare.json');
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div className="mot-compare" data-testid="mot-compare-section">
      <h4>Compare trackers</h4>
      <div className="muted">Their trackers (and class filters) run on this run's detections; the detector does not run again.</div>
      <div className="compare-choices">
        {choices.map((p) => (
          <label key={p} className="row">
            <input type="checkbox" data-testid={`mot-compare-pick-${p}`} checked={s.others.includes(p)} onChange={() => actions.toggle(p)} />
            <span>{p.replace(/^configs\/mot\//, '')}</span>
          </label>
        ))}
      </div>
      <div className="row">
        <button type="button" data-testid="mot-compare-run" disabled={s.others.length === 0 || s.status === 'running'} onClick={() => void actions.run()}>
          Compare {s.others.length + 1} trackers
        </button>
        {s.status === 'running' && (
          <button type="button" data-testid="mot-compare-cancel" onClick={actions.cancel}>
            Cancel
          </button>
        )}
      </div>
      {s.status === 'running' && s.progress && <progress data-testid="mot-compare-progress" max={s.progress.total} value={s.progress.done} />}
      {s.status === 'cancelled' && <div className="muted">Comparison cancelled.</div>}
      {s.error && (
        <div className="model-error" data-testid="mot-compare-error">
          {s.error}
        </div>
      )}
      {s.result && (
        <>
          <div className="row" role="group" aria-label="tracks shown on the video">
            <span>Show:</span>
            <button type="button" data-testid="mot-compare-show-run" className={s.shown === null ? 'selected' : ''} onClick={() => actions.show(null)}>
              this run
            </button>
            {s.result.runs.map((r, i) => (
              <button key={i} type="button" data-testid={`mot-compare-show-${i}`} className={s.shown === i ? 'selected' : ''} onClick={() => actions.show(i)}>
                {r.label}
              </button>
            ))}
          </div>
          <table className="eval-table" data-testid="mot-compare-table">
            <thead>
              <tr>
                <th>tracker</th>
                <th>tracks</th>
                {hasGt && s.result.metrics.map((m) => <th key={m} title={`${higherIsBetter(m) ? 'higher' : 'lower'} is better`}>{m}</th>)}
              </tr>
            </thead>
            <tbody>
              {s.result.runs.map((r, i) => (
                <tr key={i} data-testid={`mot-compare-row-${i}`} className={s.shown === i ? 'selected' : ''}>
                  <td>{r.label}</td>
                  <td className="num">{r.trackCount}</td>
                  {hasGt &&
                    s.result!.metrics.map((m) => (
                      <td key={m} className={`num${s.result!.differing.includes(m) && s.result!.best[m]?.includes(i) ? ' best' : ''}`} data-metric={m}>
                        {fmt(m, r.metrics?.[m])}
                      </td>
                    ))}
                </tr>
              ))}
            </tbody>
          </table>
          {s.result.runs.some((r) => r.metrics) ? (
            <div className="row">
              <span className="muted">best where they differ: highlighted</span>
              <button type="button" data-testid="mot-compare-report-html" onClick={() => exportReport('html')}>
                Report (HTML)
              </button>
              <button type="button" data-testid="mot-compare-report-json" onClick={() => exportReport('json')}>
                Report (JSON)
              </button>
            </div>
          ) : (
            <div className="muted">Drop the ground truth above to score them.</div>
          )}
          {message && <div className="model-error">{message}</div>}
        </>
      )}
    </div>
  );
}
