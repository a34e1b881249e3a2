import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSotBoxes, type VotRegion } from '../datasets/sot.ts';
import { Ope } from './sot-ope.ts';
import { evalVotAccuracyRobustness, evalVotEao } from './sot-vot.ts';
import { votRegionOverlap } from './vot-region-overlap.ts';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const shared = (p: string): string => path.resolve(repoRoot, '../shared', p);

describe('OPE (MMTracking eval_sot_ope)', () => {
  it('matches every field of ../shared/sot/expected.json (percent, within 1e-4)', () => {
    const expected = JSON.parse(readFileSync(shared('sot/expected.json'), 'utf8')) as Record<string, Record<string, number>>;
    const ope = new Ope();
    const perSeq: Record<string, ReturnType<Ope['evalSequence']>> = {};
    for (const seq of Object.keys(expected).filter((k) => k !== 'OVERALL')) {
      const gt = parseSotBoxes(readFileSync(shared(`sot/${seq}/groundtruth.txt`), 'utf8'), 'groundtruth.txt');
      const pred = parseSotBoxes(readFileSync(shared(`sot/${seq}/result.txt`), 'utf8'), 'result.txt');
      expect(gt.warnings.concat(pred.warnings)).toEqual([]);
      perSeq[seq] = ope.evalSequence({ gt: gt.value.xywh, pred: pred.value.xywh });
    }
    const rows: Record<string, Record<string, number>> = { OVERALL: ope.summary(ope.combineSequences(perSeq)) };
    for (const [k, r] of Object.entries(perSeq)) rows[k] = ope.summary(r);
    expect(Object.keys(rows).sort()).toEqual(Object.keys(expected).sort());
    for (const [seq, row] of Object.entries(expected)) {
      for (const [k, v] of Object.entries(row)) expect(Math.abs(rows[seq]![k]! - v), `${seq}.${k}`).toBeLessThan(1e-4);
    }
  });

  it('NaN gt rows: a miss for success, a hit for precision (the reference quirk); visibility removes them', () => {
    const ope = new Ope();
    const gt = [10, 10, 20, 20, NaN, NaN, NaN, NaN];
    const pred = [10, 10, 20, 20, 50, 50, 20, 20];
    const all = ope.summary(ope.evalSequence({ gt, pred }));
    expect(all.success).toBeCloseTo((20 * 0.5 * 100) / 21, 10);
    expect(all.precision).toBeCloseTo(100, 10);
    expect(all.norm_precision).toBeCloseTo(100, 10);
    const visible = ope.summary(ope.evalSequence({ gt, pred, visible: [1, 0] }));
    expect(visible.success).toBeCloseTo((20 * 0.5 * 100) / 21, 10);
    expect(visible.precision).toBeCloseTo(50, 10);
  });

  it('a lost tracker (NaN prediction) misses everything; empty sequences give 0', () => {
    const ope = new Ope();
    const r = ope.summary(ope.evalSequence({ gt: [10, 10, 20, 20], pred: [NaN, NaN, NaN, NaN] }));
    expect(r).toEqual({ success: 0, precision: 0, norm_precision: 0 });
    expect(ope.summary(ope.evalSequence({ gt: [], pred: [] }))).toEqual({ success: 0, precision: 0, norm_precision: 0 });
    expect(() => ope.evalSequence({ gt: [1, 2, 3, 4], pred: [] })).toThrow(/0 predicted boxes for 1/);
  });

  it('averages sequences equally', () => {
    const ope = new Ope();
    const a = ope.evalSequence({ gt: [0, 0, 10, 10], pred: [0, 0, 10, 10] });
    const b = ope.evalSequence({ gt: [0, 0, 10, 10], pred: [100, 100, 10, 10] });
    expect(ope.summary(ope.combineSequences({ a, b })).precision).toBeCloseTo(50, 10);
  });
});

const rect = (x: number, y: number, w: number, h: number): VotRegion => ({ kind: 'rectangle', x, y, w, h });
const poly = (...p: number[]): VotRegion => ({ kind: 'polygon', points: Float64Array.from(p) });
const code = (c: 0 | 1 | 2): VotRegion => ({ kind: 'special', code: c });

describe('VOT (MMTracking eval_sot_vot, VOT toolkit region overlap)', () => {
  it('rasterises rectangles and polygons on the pixel grid', () => {
    expect(votRegionOverlap(rect(0, 0, 10, 10), rect(0, 0, 10, 10))).toBe(1);
    expect(votRegionOverlap(rect(0, 0, 10, 10), poly(0, 0, 9, 0, 9, 9, 0, 9))).toBe(1);
    expect(votRegionOverlap(rect(0, 0, 10, 10), rect(5, 0, 10, 10))).toBeCloseTo(50 / 150, 12);
    expect(votRegionOverlap(code(1), rect(0, 0, 10, 10))).toBe(0);
  });

  it('bounds the overlap by the frame size', () => {
    expect(votRegionOverlap(rect(95, 95, 10, 10), rect(95, 95, 5, 5))).toBeCloseTo(0.25, 12);
    expect(votRegionOverlap(rect(95, 95, 10, 10), rect(95, 95, 5, 5), [100, 100])).toBe(1);
    expect(votRegionOverlap(rect(-5, -5, 10, 10), rect(0, 0, 5, 5), [100, 100])).toBe(1);
    // Without bounds the toolkit clips rectangles against absolute coordinates; with negative ones this gives 0.
    expect(votRegionOverlap(rect(-5, -5, 10, 10), rect(0, 0, 5, 5))).toBe(0);
    // Entirely outside the frame: nothing to compare.
    expect(votRegionOverlap(rect(200, 200, 10, 10), rect(200, 200, 10, 10), [100, 100])).toBe(0);
  });

  it('computes EAO over the interval, accuracy and robustness', () => {
    const box = rect(0, 0, 10, 10);
    const failed = { gt: [box, box, box, box, box], pred: [code(1), box, box, code(2), code(0)], frameSize: [100, 100] as const };
    const eao = evalVotEao([failed], [0, 2]);
    expect(Array.from(eao.curve)).toEqual([0, 1, 1]);
    expect(eao.eao).toBeCloseTo(2 / 3, 12);
    expect(evalVotEao([failed], [1, 2]).eao).toBeCloseTo(1, 12);
    // A successful run of length 3 stops counting past its end; the failed one counts 0 there.
    const ok = { gt: [box, box, box], pred: [code(1), box, rect(5, 0, 10, 10)] };
    const two = evalVotEao([failed, ok], [0, 2]);
    expect(two.curve[2]).toBeCloseTo((1 + (1 + 50 / 150) / 2) / 2, 6);
    const ar = evalVotAccuracyRobustness([failed], { burnin: 1 });
    expect(ar).toEqual({ accuracy: 1, robustness: 20, num_fails: 1 });
    // Default burn-in (10) masks every frame of a short sequence: accuracy 0.
    expect(evalVotAccuracyRobustness([failed]).accuracy).toBe(0);
  });

  it('requires the supervised-protocol layout', () => {
    const box = rect(0, 0, 10, 10);
    expect(() => evalVotEao([{ gt: [box], pred: [box] }])).toThrow(/first result line must be 1/);
    expect(() => evalVotEao([{ name: 'ants1', gt: [box, box], pred: [code(1)] }])).toThrow('ants1: 1 result lines for 2 ground-truth frames');
  });
});
