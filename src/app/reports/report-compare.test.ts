import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../core/report/report-schema.ts';
import { metricNames, reportRows } from './report-compare.ts';

const report = (overall: Record<string, number | null>, seqs: Record<string, Record<string, number | null>>): EvalReport => ({
  schema: 'mmtrack-web.eval-report',
  version: 1,
  createdAt: '2024-01-01T00:00:00Z',
  title: 't',
  task: 'sot',
  metrics: { unit: 'percent', overall, perSequence: Object.entries(seqs).map(([name, values]) => ({ name, values })) },
  config: null,
  models: [],
  dataset: null,
  curves: [],
  frames: [],
  environment: {},
  timings: {},
});

describe('reportRows', () => {
  it('flags nothing for a single report', () => {
    const rows = reportRows(report({ success: 76.1 }, { a: { success: 76.1 } }), null);
    expect(rows.map((r) => r.sequence)).toEqual([null, 'a']);
    expect(rows.flatMap((r) => r.cells.map((c) => c.differs))).toEqual([false, false]);
  });

  it('flags exactly the changed, missing and extra values', () => {
    const a = report({ success: 76.1, precision: 78 }, { a: { success: 76.1, precision: 78 }, b: { success: 1, precision: 2 } });
    const b = report({ success: 76.1, precision: 79, extra: null }, { a: { success: 76.1, precision: 78 } });
    expect(metricNames([a, b])).toEqual(['success', 'precision', 'extra']);
    const rows = reportRows(a, b);
    expect(rows.map((r) => r.cells.map((c) => c.differs))).toEqual([
      [false, true, true],
      [false, false, false],
      [true, true, false],
    ]);
    expect(rows.map((r) => r.inOther)).toEqual([true, true, false]);
    expect(reportRows(b, a)[0]!.cells.map((c) => c.differs)).toEqual([false, true, true]);
  });
});
