import { describe, expect, it } from 'vitest';
import { batchedNms, type BatchedNmsOptions } from './nms.ts';
import { randomNmsInput, type NmsTestInput } from './nms-test-data.ts';

const f = Math.fround;

/**
 * Naive reference, written the other way MMCV does it (`batched_nms` past `split_thr`): NMS per class
 * on the offset boxes, each O(n²) with MMCV's float IoU, then merge by score.
 */
function naiveBatchedNms({ boxes, scores, classIds }: NmsTestInput, o: BatchedNmsOptions): number[] {
  const n = scores.length;
  const thr = o.scoreThreshold ?? 0;
  const valid = [...Array(n).keys()].filter((i) => !(thr > 0) || scores[i]! > f(thr));
  if (valid.length === 0) return [];
  const max = Math.max(...valid.flatMap((i) => Array.from(boxes.subarray(i * 4, i * 4 + 4))));
  const shifted = (i: number): number[] => {
    const off = o.classAgnostic ? 0 : f(classIds[i]! * f(max + 1));
    return Array.from(boxes.subarray(i * 4, i * 4 + 4), (v) => f(v + off));
  };
  const area = (b: number[]) => f(f(b[2]! - b[0]!) * f(b[3]! - b[1]!));
  const iouAbove = (a: number[], b: number[]): boolean => {
    const w = Math.max(0, f(Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!)));
    const h = Math.max(0, f(Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!)));
    const inter = f(w * h);
    const union = f(f(area(a) + area(b)) - inter);
    return union === 0 ? inter > 0 : f(inter / union) > f(o.iouThreshold);
  };
  const groups = new Map<number, number[]>();
  for (const i of valid) {
    const key = o.classAgnostic ? 0 : classIds[i]!;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const kept: number[] = [];
  for (const members of groups.values()) {
    const order = [...members].sort((a, b) => scores[b]! - scores[a]! || a - b);
    const alive = new Set(order);
    for (const i of order) {
      if (!alive.has(i)) continue;
      kept.push(i);
      for (const j of order) if (j !== i && alive.has(j) && order.indexOf(j) > order.indexOf(i) && iouAbove(shifted(i), shifted(j))) alive.delete(j);
    }
  }
  kept.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return o.maxNum && o.maxNum > 0 ? kept.slice(0, o.maxNum) : kept;
}

function input(boxes: number[][], scores: number[], classIds?: number[]): NmsTestInput {
  return { boxes: Float32Array.from(boxes.flat()), scores: Float32Array.from(scores), classIds: Int32Array.from(classIds ?? scores.map(() => 0)) };
}

function keep(inp: NmsTestInput, o: BatchedNmsOptions): number[] {
  return Array.from(batchedNms(inp.boxes, inp.scores, inp.classIds, o).keep);
}

describe('batchedNms (MMCV semantics), hand-worked cases', () => {
  it('uses IoU without +1 and a strict threshold: IoU exactly 0.5 survives 0.5', () => {
    // inter 50, union 100 (with MMCV 0.x's +1 convention it would be 66/121 = 0.545 and suppress).
    const inp = input([[0, 0, 10, 10], [0, 0, 10, 5]], [0.9, 0.8]);
    expect(keep(inp, { iouThreshold: 0.5 })).toEqual([0, 1]);
    expect(keep(inp, { iouThreshold: 0.49 })).toEqual([0]);
  });

  it('breaks score ties by lower index and orders the output by score', () => {
    const inp = input([[0, 0, 10, 10], [1, 0, 11, 10], [100, 100, 110, 110], [0, 0, 10, 10]], [0.5, 0.5, 0.7, 0.5]);
    expect(keep(inp, { iouThreshold: 0.5 })).toEqual([2, 0]);
  });

  it('keeps overlapping boxes of different classes unless class-agnostic', () => {
    const inp = input([[0, 0, 10, 10], [0, 0, 10, 10]], [0.9, 0.8], [1, 2]);
    expect(keep(inp, { iouThreshold: 0.5 })).toEqual([0, 1]);
    expect(keep(inp, { iouThreshold: 0.5, classAgnostic: true })).toEqual([0]);
  });

  it('filters scores strictly above a positive threshold, truncates at maxNum, returns dets', () => {
    const inp = input([[0, 0, 1, 1], [5, 5, 6, 6], [9, 9, 10, 10]], [0.3, 0.2, 0.1]);
    expect(keep(inp, { iouThreshold: 0.5, scoreThreshold: 0.2 })).toEqual([0]);
    expect(keep(inp, { iouThreshold: 0.5, maxNum: 2 })).toEqual([0, 1]);
    const r = batchedNms(inp.boxes, inp.scores, inp.classIds, { iouThreshold: 0.5, maxNum: 1 });
    expect(Array.from(r.dets)).toEqual([0, 0, 1, 1, f(0.3)]);
  });

  it('never suppresses with zero-area boxes (0/0), handles the empty set', () => {
    const inp = input([[5, 5, 5, 5], [5, 5, 5, 5], [5, 5, 5, 9]], [0.9, 0.8, 0.7]);
    expect(keep(inp, { iouThreshold: 0.1 })).toEqual([0, 1, 2]);
    expect(keep(input([], []), { iouThreshold: 0.5 })).toEqual([]);
    expect(keep(input([[0, 0, 1, 1]], [0.1]), { iouThreshold: 0.5, scoreThreshold: 0.5 })).toEqual([]);
  });

  it('rejects mismatched inputs', () => {
    expect(() => batchedNms(new Float32Array(4), new Float32Array(2), new Int32Array(2), { iouThreshold: 0.5 })).toThrow(/batchedNms/);
  });
});

describe('batchedNms vs a naive per-class reference', () => {
  const cases: [string, NmsTestInput, BatchedNmsOptions][] = [
    ['400 boxes, 5 classes, score ties', randomNmsInput(400, { seed: 1, numClasses: 5, scoreLevels: 10 }), { iouThreshold: 0.5 }],
    ['600 boxes, 30 classes, score filter, maxNum', randomNmsInput(600, { seed: 2, numClasses: 30 }), { iouThreshold: 0.6, scoreThreshold: 0.3, maxNum: 50 }],
    ['300 boxes, class-agnostic, low IoU', randomNmsInput(300, { seed: 3, numClasses: 4, scoreLevels: 4 }), { iouThreshold: 0.3, classAgnostic: true }],
    ['300 boxes at IoU 0.7', randomNmsInput(300, { seed: 4, numClasses: 2 }), { iouThreshold: 0.7 }],
  ];
  for (const [name, inp, o] of cases) {
    it(name, () => {
      const ref = naiveBatchedNms(inp, o);
      expect(ref.length).toBeGreaterThan(0);
      expect(keep(inp, o)).toEqual(ref);
    });
  }
});
