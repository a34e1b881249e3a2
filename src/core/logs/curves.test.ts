import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { curveSeries, isPerEpochKey, itersPerEpoch, LogKeyError, plotCurveData } from './curves.ts';
import { parseJsonLogText } from './json-log.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const PATHS = ['../shared/logs/dff_r50_run1.log.json', '../shared/logs/dff_r50_run2.log.json'];
const texts = PATHS.map((p) => readFileSync(resolve(repoRoot, p), 'utf8'));
const logs = PATHS.map((p, i) => parseJsonLogText(p, texts[i]!));
type Line = { mode: string; epoch: number; iter: number } & Record<string, unknown>;
const linesOf = (text: string) => text.trimEnd().split('\n').slice(1).map((l) => JSON.parse(l) as Line);

describe('plot_curve data', () => {
  it('plots a loss against the global iteration, values as in the log', () => {
    const lines = linesOf(texts[0]!).filter((l) => l.mode === 'train');
    const s = curveSeries(logs[0]!, 'loss_cls', 'iter');
    // 3000 iterations per epoch: the last training line of epoch 1 says iter 3000.
    expect(itersPerEpoch(logs[0]!)).toBe(3000);
    expect(Array.from(s.y)).toEqual(lines.map((l) => l.loss_cls));
    expect(Array.from(s.x)).toEqual(lines.map((l) => l.iter + (l.epoch - 1) * 3000));
    expect(s.perEpoch).toBe(false);
    expect(s.label).toBe('../shared/logs/dff_r50_run1.log.json_loss_cls');
  });

  it('plots bbox_mAP_50 once per epoch (x = epoch), values as in the log', () => {
    const val = linesOf(texts[1]!).filter((l) => l.mode === 'val');
    const s = curveSeries(logs[1]!, 'bbox_mAP_50', 'epoch');
    expect(Array.from(s.x)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(s.y)).toEqual(val.map((l) => l.bbox_mAP_50));
    expect(s.perEpoch).toBe(true);
    // With an iteration axis the epoch's value sits at the epoch's end.
    expect(Array.from(curveSeries(logs[1]!, 'bbox_mAP_50', 'iter').x)).toEqual([1, 2, 3, 4, 5, 6, 7].map((e) => e * 3000));
  });

  it('x by epoch puts iteration values at fractional epochs', () => {
    const s = curveSeries(logs[0]!, 'loss', 'epoch');
    expect(s.x[0]).toBeCloseTo(50 / 3000, 12);
    expect(s.x[59]).toBe(1);
    expect(s.x[s.x.length - 1]).toBe(7);
  });

  it('compares runs: one series per (log, key), logs outer, default legend {file}_{key}', () => {
    const data = plotCurveData(logs, ['loss_cls', 'bbox_mAP_50']);
    expect(data.xAxis).toBe('iter');
    expect(data.series.map((s) => s.label)).toEqual([
      `${PATHS[0]}_loss_cls`,
      `${PATHS[0]}_bbox_mAP_50`,
      `${PATHS[1]}_loss_cls`,
      `${PATHS[1]}_bbox_mAP_50`,
    ]);
    expect(plotCurveData(logs, ['bbox_mAP']).xAxis).toBe('epoch');
    expect(plotCurveData(logs, ['bbox_mAP'], { legend: ['run1', 'run2'] }).series.map((s) => s.label)).toEqual(['run1', 'run2']);
  });

  it('rejects a legend of the wrong length, as the script asserts', () => {
    expect(() => plotCurveData(logs, ['loss'], { legend: ['only one'] })).toThrow(/--legend needs 2 entries/);
  });

  it("names the keys that exist for an unknown key (the script's KeyError)", () => {
    let error: unknown;
    try {
      plotCurveData(logs, ['loss_clss']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LogKeyError);
    expect((error as LogKeyError).message).toMatch(/^\.\.\/shared\/logs\/dff_r50_run1\.log\.json does not contain metric loss_clss; its keys are: mode, iter, lr, memory, data_time, loss_rpn_cls/);
    expect((error as LogKeyError).available).toContain('bbox_mAP_copypaste');
  });

  it('treats keys only logged on val lines as per-epoch', () => {
    const log = parseJsonLogText(
      'mot.log.json',
      [
        '{"mode": "train", "epoch": 1, "iter": 10, "loss": 1}',
        '{"mode": "train", "epoch": 1, "iter": 20, "loss": 0.5}',
        '{"mode": "val", "epoch": 1, "iter": 20, "MOTA": 0.4}',
        '{"mode": "train", "epoch": 2, "iter": 10, "loss": 0.4}',
        '{"mode": "val", "epoch": 2, "iter": 20, "MOTA": 0.5}',
      ].join('\n'),
    );
    expect(isPerEpochKey(log, 'MOTA')).toBe(true);
    expect(isPerEpochKey(log, 'loss')).toBe(false);
    // iters per epoch = the first epoch's last training iter (20), not the val line's.
    expect(Array.from(curveSeries(log, 'loss', 'iter').x)).toEqual([10, 20, 30]);
    expect(Array.from(curveSeries(log, 'MOTA', 'epoch').y)).toEqual([0.4, 0.5]);
  });

  it("pairs each value with its own line's iter when a key is missing from some lines", () => {
    const log = parseJsonLogText(
      'sparse.log.json',
      ['{"mode": "train", "epoch": 1, "iter": 10, "a": 1}', '{"mode": "train", "epoch": 1, "iter": 20}', '{"mode": "train", "epoch": 1, "iter": 30, "a": 3}'].join('\n'),
    );
    const s = curveSeries(log, 'a', 'iter');
    expect(Array.from(s.x)).toEqual([10, 30]);
    expect(Array.from(s.y)).toEqual([1, 3]);
  });
});
