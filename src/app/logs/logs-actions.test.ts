import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../workers/logs-protocol.ts';
import { availableKeys, changesCurves, initialLogsState, type LogsAction, type LogsViewState, malformedTotal, performLogsAction, seriesSpecs } from './logs-actions.ts';

const summary = (name: string, numericKeys: string[], malformedCount = 0): RunSummary => ({
  name,
  bytes: 100,
  lines: 10,
  epochs: 2,
  numericKeys,
  perEpochKeys: numericKeys.filter((k) => k.includes('mAP')),
  malformedCount,
  malformed: [],
  trainTime: null,
  trainTimeWithOutliers: null,
  envInfo: null,
});

const run = (actions: LogsAction[], from: LogsViewState = initialLogsState) => actions.reduce(performLogsAction, from);

const twoRuns = run([
  { type: 'run-added', runId: 1, name: 'run1.log.json', total: 100 },
  { type: 'run-added', runId: 2, name: 'run2.log.json', total: 100 },
  { type: 'run-progress', runId: 1, bytes: 50, total: 100 },
  { type: 'run-parsed', runId: 1, summary: summary('run1.log.json', ['loss_cls', 'bbox_mAP_50', 'lr'], 2) },
  { type: 'run-parsed', runId: 2, summary: summary('run2.log.json', ['loss_cls', 'bbox_mAP_50', 'grad_norm'], 1) },
]);

describe('logs view actions', () => {
  it('tracks runs from reading to ready', () => {
    const s = run([
      { type: 'run-added', runId: 1, name: 'a.log.json', total: 100 },
      { type: 'run-progress', runId: 1, bytes: 40, total: 100 },
    ]);
    expect(s.runs[0]).toMatchObject({ status: 'reading', bytes: 40, total: 100 });
    expect(performLogsAction(s, { type: 'run-failed', runId: 1, message: 'a.log.json: broken' }).runs[0]).toMatchObject({ status: 'failed', error: 'a.log.json: broken' });
  });

  it('offers the union of numeric keys and sums the malformed lines', () => {
    expect(availableKeys(twoRuns)).toEqual(['loss_cls', 'bbox_mAP_50', 'lr', 'grad_norm']);
    expect(malformedTotal(twoRuns)).toBe(3);
  });

  it('compares runs: one series per run and selected key, default legend {file}_{key}', () => {
    const s = run([{ type: 'toggle-key', key: 'loss_cls' }, { type: 'toggle-key', key: 'bbox_mAP_50' }, { type: 'toggle-key', key: 'lr' }], twoRuns);
    expect(seriesSpecs(s).map((x) => x.label)).toEqual(['run1.log.json_loss_cls', 'run1.log.json_bbox_mAP_50', 'run1.log.json_lr', 'run2.log.json_loss_cls', 'run2.log.json_bbox_mAP_50']);
    expect(new Set(seriesSpecs(s).map((x) => x.color)).size).toBe(5);
    const renamed = performLogsAction(s, { type: 'set-legend', runId: 2, key: 'loss_cls', label: 'baseline' });
    expect(seriesSpecs(renamed)[3]!.label).toBe('baseline');
    expect(seriesSpecs(performLogsAction(renamed, { type: 'set-legend', runId: 2, key: 'loss_cls', label: ' ' }))[3]!.label).toBe('run2.log.json_loss_cls');
    expect(seriesSpecs(performLogsAction(s, { type: 'toggle-key', key: 'lr' })).map((x) => x.key)).not.toContain('lr');
  });

  it('drops the keys of a removed run that no other run has', () => {
    const s = run([{ type: 'toggle-key', key: 'lr' }, { type: 'toggle-key', key: 'loss_cls' }, { type: 'remove-run', runId: 1 }], twoRuns);
    expect(s.selectedKeys).toEqual(['loss_cls']);
    expect(s.runs.map((r) => r.runId)).toEqual([2]);
  });

  it('zooms to an ordered range, ignores empty ranges, resets on a new x axis', () => {
    const z = performLogsAction(twoRuns, { type: 'zoom', range: [900, 100] });
    expect(z.zoom).toEqual([100, 900]);
    expect(performLogsAction(z, { type: 'zoom', range: [5, 5] }).zoom).toEqual([100, 900]);
    expect(performLogsAction(z, { type: 'set-x-axis', xAxis: 'epoch' })).toMatchObject({ xAxis: 'epoch', zoom: null });
    expect(performLogsAction(z, { type: 'reset-zoom' }).zoom).toBeNull();
  });

  it('clamps smoothing to [0, 0.99]', () => {
    expect(performLogsAction(twoRuns, { type: 'set-smoothing', weight: 1.5 }).smoothing).toBe(0.99);
    expect(performLogsAction(twoRuns, { type: 'set-smoothing', weight: Number.NaN }).smoothing).toBe(0);
  });

  it('asks for new curves only when the chart changes', () => {
    expect(changesCurves({ type: 'toggle-key', key: 'x' })).toBe(true);
    expect(changesCurves({ type: 'run-progress', runId: 1, bytes: 1, total: 2 })).toBe(false);
    expect(changesCurves({ type: 'set-title', title: 't' })).toBe(false);
  });
});
