import type { EvalReport } from '../../core/report/report-schema.ts';
import { ReportTables } from './ReportTables.tsx';
import { type OpenReport, type ReportSlot, useReportsStore } from './reports-store.ts';

/** One open report: what it is and its metrics (all text). */
export function ReportColumn({ open, slot, other, names }: { open: OpenReport; slot: ReportSlot; other: EvalReport | null; names: readonly string[] }) {
  const { report, source } = open;
  return (
    <section className="report-column" data-testid="report-view" data-slot={slot}>
      <h3 data-testid="report-title">{report.title}</h3>
      <p className="report-meta">
        {source} · task {report.task} · metrics as {report.metrics.unit === 'percent' ? 'percentages' : 'fractions'} · {report.createdAt}
        {report.dataset && ` · dataset ${report.dataset.name} (${report.dataset.sequences} sequences)`}{' '}
        <button type="button" onClick={() => useReportsStore.getState().close(slot)}>
          Close
        </button>
      </p>
      <ReportTables report={report} other={other} names={names} />
      {report.models.length > 0 && (
        <>
          <h4>Models</h4>
          <ul>
            {report.models.map((m, i) => (
              <li key={i}>
                {m.name} ({m.bytes} bytes, sha256 {m.sha256})
              </li>
            ))}
          </ul>
        </>
      )}
      {Object.keys(report.environment).length > 0 && (
        <>
          <h4>Environment</h4>
          <dl className="report-env">
            {Object.entries(report.environment).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}
