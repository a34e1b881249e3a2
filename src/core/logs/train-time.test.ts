import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonLogText } from './json-log.ts';
import { REFERENCE, REFERENCE_LOGS, REFERENCE_WITH_OUTLIERS } from './fixtures/cal-train-time-reference.ts';
import { calTrainTime, formatTrainTime, TrainTimeError } from './train-time.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');

const load = (path: string) => parseJsonLogText(path, readFileSync(resolve(repoRoot, path), 'utf8'));
const printed = (includeOutliers: boolean) => REFERENCE_LOGS.map((p) => formatTrainTime(p, calTrainTime(load(p), includeOutliers))).join('');

describe('cal_train_time', () => {
  it("prints MMTracking's text for the shared logs (first iteration of each epoch left out)", () => {
    expect(printed(false)).toBe(REFERENCE);
  });

  it("prints MMTracking's text with --include-outliers", () => {
    expect(printed(true)).toBe(REFERENCE_WITH_OUTLIERS);
  });

  it('averages each epoch over its time values', () => {
    const t = calTrainTime(load('src/core/logs/fixtures/ties.log.json'));
    expect(t.epochs).toEqual([
      { epoch: 1, position: 1, averageTime: 0.03125, values: 4 },
      { epoch: 2, position: 2, averageTime: 0.09375, values: 4 },
    ]);
  });

  it('reports a log without time values', () => {
    const log = parseJsonLogText('val-only.log.json', '{"mode": "val", "epoch": 1, "iter": 5, "bbox_mAP": 0.3}\n');
    expect(() => calTrainTime(log)).toThrow(TrainTimeError);
    expect(() => calTrainTime(log)).toThrow(/val-only\.log\.json: no "time" values/);
  });

  it('handles epochs with different numbers of values (the script needs equal ones)', () => {
    const lines = [
      { mode: 'train', epoch: 1, iter: 1, time: 5 },
      { mode: 'train', epoch: 1, iter: 2, time: 1 },
      { mode: 'train', epoch: 1, iter: 3, time: 2 },
      { mode: 'train', epoch: 2, iter: 1, time: 5 },
      { mode: 'train', epoch: 2, iter: 2, time: 4 },
    ];
    const t = calTrainTime(parseJsonLogText('ragged.log.json', lines.map((l) => JSON.stringify(l)).join('\n')));
    expect(t.epochs.map((e) => e.averageTime)).toEqual([1.5, 4]);
    expect(t.averageIterTime).toBeCloseTo(7 / 3, 15);
    expect([t.slowestEpoch, t.fastestEpoch]).toEqual([2, 1]);
  });
});
