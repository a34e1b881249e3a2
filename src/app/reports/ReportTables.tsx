import { comparisonBest, formatMetric } from '../../core/report/report-html.ts';
import type { EvalReport } from '../../core/report/report-schema.ts';
import { type MetricCell, reportRows } from './report-compare.ts';

function Cell({ cell }: { cell: MetricCell }) {
  return (
    <td className={cell.differs ? 'metric diff' : 'metric'} data-metric={cell.name} data-value={cell.value === undefined ? '' : String(cell.value)}>
      {cell.value === undefined ? '' : formatMetric(cell.value)}
    </td>
  );
}

/**
 * A report's metrics, overall and per sequence, as text only (every name and value is untrusted: React text nodes,
 * never markup). With `other`, each value that differs from it is marked `diff`.
 */
export function ReportTables({ report, other, names }: { report: EvalReport; other: EvalReport | null; names: readonly string[] }) {
  const [overall, ...sequences] = reportRows(report, other, names);
  return (
    <>
      <h4>Overall</h4>
      <table className="report-table" data-section="overall">
        <tbody>
          {overall!.cells.map((c) => (
            <tr key={c.name}>
              <th>{c.name}</th>
              <Cell cell={c} />
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Per sequence</h4>
      <table className="report-table" data-section="per-sequence">
        <thead>
          <tr>
            <th>sequence</th>
            {names.map((n) => (
              <th key={n}>{n}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sequences.map((row, i) => (
            <tr key={i} className={row.inOther ? '' : 'diff'}>
              <td className="name">{row.sequence}</td>
              {row.cells.map((c) => (
                <Cell key={c.name} cell={c} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {report.comparison && <ComparisonTable comparison={report.comparison} />}
    </>
  );
}

/** A comparison report's trackers, one row each, the best value of each differing metric marked. */
function ComparisonTable({ comparison }: { comparison: NonNullable<EvalReport['comparison']> }) {
  const best = comparisonBest(comparison);
  return (
    <>
      <h4>Trackers compared</h4>
      <table className="report-table" data-section="comparison">
        <thead>
          <tr>
            <th>tracker</th>
            {comparison.metrics.map((m) => (
              <th key={m}>{m}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {comparison.rows.map((row, i) => (
            <tr key={i}>
              <td className="name" title={row.config ?? ''}>
                {row.label}
              </td>
              {comparison.metrics.map((m) => (
                <td key={m} className={best[m]?.includes(i) ? 'metric best' : 'metric'} data-metric={m}>
                  {formatMetric(row.values[m] ?? null)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
