import { higherIsBetter } from '../../core/models/mot/mot-param-search.ts';
import { useConfigStore } from '../config/config-store.ts';
import { configSearchAxes, MOT_EVAL_FIELDS, sortedRows, useMotSearchStore } from './mot-search-store.ts';

const COUNTS = new Set(['IDSW', 'IDs', 'FP', 'FN', 'MT', 'ML', 'PT', 'Frag', 'TP']);
const fmt = (metric: string, v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : COUNTS.has(metric) ? String(v) : v.toFixed(3));

/** A finished MOT run evaluated against dropped ground truth, and MMTracking's parameter search on its detections. */
export function MotEvalSearch() {
  const s = useMotSearchStore();
  const actions = useMotSearchStore.getState();
  // Re-read the grid whenever the config (or its overrides) changes.
  useConfigStore((c) => c.config);
  let axesError: string | null = null;
  let axes: ReturnType<typeof configSearchAxes> = [];
  try {
    axes = configSearchAxes();
  } catch (err) {
    axesError = err instanceof Error ? err.message : String(err);
  }
  const combinations = axes.reduce((n, a) => n * a.values.length, 1);
  const rows = sortedRows(s.rows, s.sortMetric);
  return (
    <div className="mot-eval" data-testid="mot-eval-section">
      <label className="row">
        <span>Ground truth:</span>
        <input type="file" multiple data-testid="mot-gt-input" accept=".txt,.ini,.json" onChange={(e) => e.target.files && void actions.loadGt(Array.from(e.target.files))} />
      </label>
      <div className="muted">MOTChallenge gt.txt (+ seqinfo.ini) or a CocoVID .json of this video</div>
      {s.gtError && <div className="model-error" data-testid="mot-gt-error">{s.gtError}</div>}
      {s.evalStatus === 'running' && <div className="muted">Evaluating…</div>}
      {s.evalError && <div className="model-error">{s.evalError}</div>}
      {s.evaluation && s.gt && (
        <table className="eval-table" data-testid="mot-eval">
          <caption>vs {s.gt.label} (TrackEval)</caption>
          <tbody>
            {MOT_EVAL_FIELDS.map((f) => (
              <tr key={f}>
                <td>{f}</td>
                <td className="num" data-testid={`mot-eval-${f}`}>
                  {fmt(f, s.evaluation?.[f])}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>Parameter search</h4>
      {axesError && <div className="model-error">{axesError}</div>}
      {axes.length === 0 ? (
        <div className="muted">Write tracker values as lists to search them, e.g. the override model.tracker.init_track_thr=[0.2,0.3].</div>
      ) : (
        <div className="muted" data-testid="mot-search-axes">
          {axes.map((a) => `${a.key} ∈ [${a.values.map(String).join(', ')}]`).join(' × ')}
        </div>
      )}
      <div className="row">
        <button type="button" data-testid="mot-search-run" disabled={!s.gt || s.searchStatus === 'running' || axesError !== null} onClick={actions.search} title={s.gt ? '' : 'drop the ground truth first'}>
          Search {combinations} combination{combinations === 1 ? '' : 's'}
        </button>
        {s.searchStatus === 'running' && (
          <button type="button" data-testid="mot-search-cancel" onClick={actions.cancelSearch}>
            Cancel
          </button>
        )}
        {s.searchStatus === 'done' && rows.length > 0 && (
          <button type="button" data-testid="mot-search-apply" onClick={() => void actions.applyBest()}>
            Apply best ({s.sortMetric})
          </button>
        )}
      </div>
      {s.searchProgress && s.searchStatus === 'running' && <progress data-testid="mot-search-progress" max={s.searchProgress.total} value={s.searchProgress.done} />}
      {s.searchStatus === 'cancelled' && <div className="muted">Search cancelled.</div>}
      {s.searchError && <div className="model-error" data-testid="mot-search-error">{s.searchError}</div>}
      {rows.length > 0 && (
        <table className="eval-table" data-testid="mot-search-table">
          <thead>
            <tr>
              {s.axes.map((a) => (
                <th key={a.key}>{a.key}</th>
              ))}
              {s.metrics.map((m) => (
                <th key={m} data-testid={`mot-search-sort-${m}`} className={m === s.sortMetric ? 'sorted' : 'sortable'} title={`sort by ${m} (${higherIsBetter(m) ? 'higher' : 'lower'} is better)`} onClick={() => actions.sortBy(m)}>
                  {m}
                  {m === s.sortMetric ? (higherIsBetter(m) ? ' ▼' : ' ▲') : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={JSON.stringify(r.params)}>
                {s.axes.map((a) => (
                  <td key={a.key} className="num">
                    {JSON.stringify(r.params[a.key])}
                  </td>
                ))}
                {s.metrics.map((m) => (
                  <td key={m} className="num">
                    {fmt(m, r.metrics[m])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
