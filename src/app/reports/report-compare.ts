import type { EvalReport, MetricValue } from '../../core/report/report-schema.ts';

/** One metric of one report beside the same metric of the other report (absent = `undefined`). */
export interface MetricCell {
  name: string;
  value: MetricValue | undefined;
  /** True when the other report is open and its value differs (or it lacks this metric). */
  differs: boolean;
}

/** A table row: overall metrics, or one sequence's. */
export interface MetricRow {
  /** Sequence name; null for the overall row. */
  sequence: string | null;
  /** False when the other report has no such sequence. */
  inOther: boolean;
  cells: MetricCell[];
}

/** Metric names in first-seen order over both reports, so compared columns line up. */
export function metricNames(reports: readonly (EvalReport | null)[]): string[] {
  const names = new Set<string>();
  for (const r of reports) {
    if (!r) continue;
    for (const k of Object.keys(r.metrics.overall)) names.add(k);
    for (const s of r.metrics.perSequence) for (const k of Object.keys(s.values)) names.add(k);
  }
  return [...names];
}

function cells(values: Record<string, MetricValue> | undefined, other: Record<string, MetricValue> | undefined, compared: boolean, names: readonly string[]): MetricCell[] {
  return names.map((name) => {
    const value = values && Object.hasOwn(values, name) ? values[name] : undefined;
    const otherValue = other && Object.hasOwn(other, name) ? other[name] : undefined;
    return { name, value, differs: compared && value !== otherValue };
  });
}

/**
 * The rows shown for `report`: overall first, then each sequence, every cell flagged where `other` (the report
 * open beside it, or null) has a different value. Values compare exactly: a report is a record of what an evaluator
 * printed, so any change is a difference worth seeing.
 */
export function reportRows(report: EvalReport, other: EvalReport | null, names: readonly string[] = metricNames([report, other])): MetricRow[] {
  const compared = other !== null;
  const otherSeqs = new Map(other?.metrics.perSequence.map((s) => [s.name, s.values]) ?? []);
  return [
    { sequence: null, inOther: true, cells: cells(report.metrics.overall, other?.metrics.overall, compared, names) },
    ...report.metrics.perSequence.map((s) => ({
      sequence: s.name,
      inOther: !compared || otherSeqs.has(s.name),
      cells: cells(s.values, otherSeqs.get(s.name), compared, names),
    })),
  ];
}
