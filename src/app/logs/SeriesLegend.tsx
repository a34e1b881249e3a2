import { useLogsStore } from './logs-store.ts';
import { seriesSpecs } from './logs-actions.ts';

/** The legend, one editable entry per run and key (default `{file}_{key}`, MMTracking's). */
export function SeriesLegend() {
  const specs = useLogsStore((s) => JSON.stringify(seriesSpecs(s)));
  const dispatch = useLogsStore((s) => s.dispatch);
  const list = JSON.parse(specs) as ReturnType<typeof seriesSpecs>;
  if (list.length === 0) return null;
  return (
    <ul className="logs-legend" aria-label="Legend">
      {list.map((s) => (
        <li key={`${s.runId}/${s.key}`}>
          <span className="logs-swatch" style={{ background: s.color }} />
          <input
            aria-label={`Legend of ${s.key}`}
            defaultValue={s.label}
            onBlur={(e) => dispatch({ type: 'set-legend', runId: s.runId, key: s.key, label: e.target.value })}
            onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
          />
        </li>
      ))}
    </ul>
  );
}
