import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readMotChallengeFolder } from '../datasets/mot-folder.ts';
import { parseMotGt, parseMotTracker } from '../datasets/mot-challenge.ts';
import { evalMot, motSummaryTable, MOT_SUMMARY_FIELDS } from './eval-mot.ts';
import { MotDataError } from './mot-preprocess.ts';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const shared = (p: string): string => path.resolve(repoRoot, '../shared', p);
const disk = { readText: (p: string) => Promise.resolve(readFileSync(p, 'utf8')), exists: (p: string) => Promise.resolve(existsSync(p)), list: (p: string) => Promise.resolve(readdirSync(p)) };

/** Fractions within 1e-6, counts exact. */
function expectRowsClose(actual: Record<string, Record<string, number>>, expected: Record<string, Record<string, number>>): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const [seq, row] of Object.entries(expected)) {
    expect(Object.keys(actual[seq]!)).toEqual(Object.keys(row));
    for (const [k, v] of Object.entries(row)) {
      if (Number.isInteger(v) && !['MOTA', 'MOTP', 'IDF1', 'IDP', 'IDR', 'HOTA', 'DetA', 'AssA', 'LocA'].includes(k)) expect(actual[seq]![k], `${seq}.${k}`).toBe(v);
      else expect(Math.abs(actual[seq]![k]! - v), `${seq}.${k}: ${actual[seq]![k]} vs ${v}`).toBeLessThan(1e-6);
    }
  }
}

const gt = (text: string) => parseMotGt(text, 'gt.txt').value;
const tr = (text: string) => parseMotTracker(text, 'res.txt').value;

describe('evalMot (TrackEval MotChallenge2DBox: HOTA, CLEAR, Identity)', () => {
  it('matches every field of ../shared/eval/mot/expected.json', async () => {
    const { sequences, warnings } = await readMotChallengeFolder(disk, shared('eval/mot/gt/mot_challenge'), shared('eval/mot/trackers/mot_challenge/MOT17-train/demo/data'), { benchmark: 'MOT17', split: 'train' });
    expect(warnings).toEqual([]);
    const report = evalMot(sequences.map((s) => ({ name: s.name, gt: s.gt, tracker: s.tracker, seqLength: s.info.seqLength })));
    const expected = JSON.parse(readFileSync(shared('eval/mot/expected.json'), 'utf8')) as Record<string, Record<string, number>>;
    expectRowsClose(motSummaryTable(report), expected);
  });

  it('perfect tracking scores 1 everywhere', () => {
    const g = '1,1,0,0,10,10,1,1,1\n2,1,1,0,10,10,1,1,1\n1,2,50,50,10,20,1,1,1\n';
    const t = '1,7,0,0,10,10,1\n2,7,1,0,10,10,1\n1,8,50,50,10,20,1\n';
    const row = motSummaryTable(evalMot([{ name: 's', gt: gt(g), tracker: tr(t), seqLength: 2 }])).s!;
    for (const f of ['HOTA', 'DetA', 'AssA', 'LocA', 'MOTA', 'MOTP', 'IDF1', 'IDP', 'IDR'] as const) expect(row[f], f).toBeCloseTo(1, 12);
    expect(row).toMatchObject({ TP: 3, FP: 0, FN: 0, IDSW: 0, MT: 2, PT: 0, ML: 0, Frag: 0 });
  });

  it('empty results: every gt box is a miss', () => {
    const row = motSummaryTable(evalMot([{ name: 's', gt: gt('1,1,0,0,10,10,1,1,1\n2,1,0,0,10,10,1,1,1\n'), tracker: tr(''), seqLength: 3 }])).s!;
    expect(row).toMatchObject({ TP: 0, FN: 2, FP: 0, ML: 1, MOTA: 0, HOTA: 0, IDF1: 0 });
  });

  it('no gt in a sequence: every tracker box is a false positive; combined counts add up', () => {
    const report = evalMot([
      { name: 'a', gt: gt(''), tracker: tr('1,1,0,0,10,10,1\n2,1,0,0,10,10,1\n'), seqLength: 2 },
      { name: 'b', gt: gt('1,1,0,0,10,10,1,1,1\n'), tracker: tr('1,1,0,0,10,10,1\n'), seqLength: 1 },
    ]);
    const t = motSummaryTable(report);
    expect(t.a).toMatchObject({ FP: 2, TP: 0, FN: 0, HOTA: 0 });
    expect(t.COMBINED_SEQ).toMatchObject({ FP: 2, TP: 1, FN: 0 });
    expect(t.COMBINED_SEQ!.MOTA).toBeCloseTo(-1, 12);
    expect(t.COMBINED_SEQ!.DetA).toBeCloseTo(1 / 3, 12);
  });

  it('all gt boxes ignored (zero-marked or non-pedestrian): nothing to find, tracker boxes on distractors are dropped', () => {
    // Box 1 is zero-marked pedestrian (ignored, but not a distractor: a tracker box on it stays a FP);
    // box 2 is static_person (class 7, a distractor: the tracker box matched to it is removed); box 3 is a car.
    const g = '1,1,0,0,10,10,0,1,1\n1,2,100,100,10,10,1,7,1\n1,3,200,200,10,10,1,3,1\n';
    const t = '1,1,0,0,10,10,1\n1,2,100,100,10,10,1\n1,3,200,200,10,10,1\n';
    const row = motSummaryTable(evalMot([{ name: 's', gt: gt(g), tracker: tr(t), seqLength: 1 }])).s!;
    expect(row).toMatchObject({ TP: 0, FN: 0, FP: 2 });
    // MOT15 has no classes: only the zero-mark counts, so boxes 2 and 3 are pedestrians found by the tracker.
    const row15 = motSummaryTable(evalMot([{ name: 's', gt: gt(g), tracker: tr(t), seqLength: 1 }], { benchmark: 'MOT15' })).s!;
    expect(row15).toMatchObject({ TP: 2, FN: 0, FP: 1 });
  });

  it('counts an identity switch and a fragmentation', () => {
    const g = [1, 2, 3, 4].map((f) => `${f},1,0,0,10,10,1,1,1`).join('\n');
    // Frame 3: the tracker only has a box far away (a miss and a FP); the id changes from 5 to 6 at frame 4.
    const t = '1,5,0,0,10,10,1\n2,5,0,0,10,10,1\n3,9,500,500,10,10,1\n4,6,0,0,10,10,1\n';
    const row = motSummaryTable(evalMot([{ name: 's', gt: gt(g), tracker: tr(t), seqLength: 4 }])).s!;
    expect(row).toMatchObject({ TP: 3, FN: 1, FP: 1, IDSW: 1, Frag: 1, MT: 0, PT: 1 });
    // Best id mapping 1→5: IDTP 2, IDFN 2, IDFP 2.
    expect(row.IDF1).toBeCloseTo(0.5, 12);
    // TrackEval quirk kept: a frame with no tracker box at all does not break the track for Frag.
    const noBox = '1,5,0,0,10,10,1\n2,5,0,0,10,10,1\n4,6,0,0,10,10,1\n';
    expect(motSummaryTable(evalMot([{ name: 's', gt: gt(g), tracker: tr(noBox), seqLength: 4 }])).s).toMatchObject({ Frag: 0, IDSW: 1 });
  });

  it('the summary has exactly the expected.json fields', () => {
    const row = motSummaryTable(evalMot([{ name: 's', gt: gt(''), tracker: tr(''), seqLength: 1 }])).s!;
    expect(Object.keys(row)).toEqual([...MOT_SUMMARY_FIELDS]);
  });

  it('rejects duplicate ids in a frame, as TrackEval does', () => {
    expect(() => evalMot([{ name: 's', gt: gt('1,1,0,0,1,1,1,1,1\n'), tracker: tr('1,3,0,0,1,1,1\n1,3,5,5,1,1,1\n'), seqLength: 1 }])).toThrow(MotDataError);
  });
});
