import { formatTrainTime } from '../../core/logs/train-time.ts';
import { useLogsStore } from './logs-store.ts';
import { malformedTotal } from './logs-actions.ts';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The dropped logs: progress while reading, then size, epochs, skipped lines and cal_train_time. */
export function RunList() {
  const runs = useLogsStore((s) => s.runs);
  const includeOutliers = useLogsStore((s) => s.includeOutliers);
  const malformed = useLogsStore(malformedTotal);
  const { dispatch, cancel } = useLogsStore.getState();
  if (runs.length === 0) return null;
  return (
    <section className="logs-runs" aria-label="Logs">
      <ul>
        {runs.map((r) => {
          const time = includeOutliers ? r.summary?.trainTimeWithOutliers : r.summary?.trainTime;
          return (
            <li key={r.runId} className={`logs-run logs-run-${r.status}`}>
              <div className="logs-run-head">
                <strong>{r.name}</strong>
                {r.status === 'reading' && (
                  <>
                    <progress max={r.total || 1} value={r.bytes} /> {mb(r.bytes)} / {mb(r.total)}
                    <button type="button" onClick={() => cancel(r.runId)}>
                      Cancel
                    </button>
                  </>
                )}
                {r.summary && (
                  <span>
                    {mb(r.summary.bytes)}, {r.summary.lines} lines, {r.summary.epochs} epochs
                    {r.summary.malformedCount > 0 && `, ${r.summary.malformedCount} malformed lines skipped`}
                  </span>
                )}
                {r.status !== 'reading' && (
                  <button type="button" onClick={() => dispatch({ type: 'remove-run', runId: r.runId })} aria-label={`Remove ${r.name}`}>
                    Remove
                  </button>
                )}
              </div>
              {r.error && <p className="logs-error">{r.error}</p>}
              {r.summary && r.summary.malformed.length > 0 && (
                <details>
                  <summary>Skipped lines</summary>
                  <ul>
                    {r.summary.malformed.map((m) => (
                      <li key={m.line}>
                        line {m.line}: {m.reason}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
              {time && <pre className="logs-train-time">{formatTrainTime(r.name, time)}</pre>}
            </li>
          );
        })}
      </ul>
      <p>
        Skipped (malformed) lines: <span data-testid="logs-malformed">{malformed}</span>
        <label>
          <input type="checkbox" checked={includeOutliers} onChange={(e) => dispatch({ type: 'set-include-outliers', value: e.target.checked })} />
          include the first iteration of each epoch (--include-outliers)
        </label>
      </p>
    </section>
  );
}
