import type { EvalReport as EvalViewResult } from '../../core/eval/eval-run.ts';
import { type EvalReport, type MetricValue, REPORT_SCHEMA, REPORT_VERSION } from '../../core/report/report-schema.ts';

/**
 * A shareable report (schema v1, docs/report.md) from an evaluation run in the app. Units follow `mmtrack eval`:
 * SOT in percent as MMTracking prints it, the others as fractions (the view shows them ×100).
 */
export function evalResultToReport(r: EvalViewResult, ctx: { title: string; gtName: string; environment: Record<string, string>; seconds: number | null }): EvalReport {
  // Reports know OPE-style SOT; a VOT run (EAO, accuracy, robustness) is a SOT report too.
  const task = r.task === 'vot' ? 'sot' : r.task;
  const percentCols = new Set(r.columns.filter((c) => c.percent).map((c) => c.key));
  const unit = r.task === 'sot' ? 'percent' : 'fraction';
  const convert = (values: Record<string, number>): Record<string, MetricValue> =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number.isFinite(v) ? (unit === 'fraction' && percentCols.has(k) ? v / 100 : v) : null]));
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    createdAt: new Date().toISOString(),
    title: ctx.title,
    task,
    metrics: { unit, overall: convert(r.overall), perSequence: r.rows.map((row) => ({ name: row.name, values: convert(row.values) })) },
    config: null,
    models: [],
    dataset: { name: ctx.gtName, sequences: r.rows.length, frames: null },
    curves: r.curves.map((c) => ({ title: c.title, xLabel: c.xLabel, yLabel: c.yLabel, series: c.series.map((s) => ({ label: s.name, x: c.x, y: s.y })) })),
    frames: [],
    environment: ctx.environment,
    timings: ctx.seconds !== null ? { evaluation: ctx.seconds } : {},
  };
}
