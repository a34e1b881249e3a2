import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonLogText } from './json-log.ts';
import { calTrainTime, formatTrainTime, TrainTimeError } from './train-time.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const LOGS = ['../shared/logs/dff_r50_run1.log.json', '../shared/logs/dff_r50_run2.log.json', 'src/core/logs/fixtures/ties.log.json'];

const load = (path: string) => parseJsonLogText(path, readFileSync(resolve(repoRoot, path), 'utf8'));
const printed = (includeOutliers: boolean) => LOGS.map((p) => formatTrainTime(p, calTrainTime(load(p), includeOutliers))).join('');

// What MMTracking's `tools/analysis/analyze_logs.py cal_train_time` prints for LOGS, reproduced by the independent
// numpy re-implementation `scripts/fixtures/analyze_logs_reference.py`, run from the repository root:
//   /usr/bin/python3 scripts/fixtures/analyze_logs_reference.py ../shared/logs/dff_r50_run1.log.json \
//     ../shared/logs/dff_r50_run2.log.json src/core/logs/fixtures/ties.log.json [--include-outliers]
// (Debian 12 python3 3.11.2 + python3-numpy 1.24.2; numpy 2.4.6 prints the same). ties.log.json has per-epoch
// means of exactly 0.03125 and 0.09375, where Python's round-half-even and JavaScript's toFixed disagree.
const REFERENCE = `-----Analyze train time of ../shared/logs/dff_r50_run1.log.json-----
slowest epoch 6, average time is 0.4528
fastest epoch 7, average time is 0.4054
time std over epochs is 0.0145
average iter time: 0.4336 s/iter

-----Analyze train time of ../shared/logs/dff_r50_run2.log.json-----
slowest epoch 2, average time is 0.4413
fastest epoch 6, average time is 0.3989
time std over epochs is 0.0149
average iter time: 0.4156 s/iter

-----Analyze train time of src/core/logs/fixtures/ties.log.json-----
slowest epoch 2, average time is 0.0938
fastest epoch 1, average time is 0.0312
time std over epochs is 0.0312
average iter time: 0.0625 s/iter

`;

const REFERENCE_WITH_OUTLIERS = `-----Analyze train time of ../shared/logs/dff_r50_run1.log.json-----
slowest epoch 6, average time is 0.4657
fastest epoch 7, average time is 0.4149
time std over epochs is 0.0155
average iter time: 0.4444 s/iter

-----Analyze train time of ../shared/logs/dff_r50_run2.log.json-----
slowest epoch 2, average time is 0.4533
fastest epoch 6, average time is 0.4100
time std over epochs is 0.0154
average iter time: 0.4265 s/iter

-----Analyze train time of src/core/logs/fixtures/ties.log.json-----
slowest epoch 2, average time is 2.0550
fastest epoch 1, average time is 2.0050
time std over epochs is 0.0250
average iter time: 2.0300 s/iter

`;

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
