import { describe, expect, it } from 'vitest';
import { seededRandom } from '../ops/seeded-random.ts';
import { assignAllowedPairs, assignAllowedSparse, assignWithCostLimit, maxWeightPairs } from './assignment.ts';
import type { SparsePairs } from './cost-matrices.ts';

/** Every partial matching of a small matrix, by recursion over rows (the reference, no solver involved). */
function* matchings(nRows: number, nCols: number, allowed: (r: number, c: number) => boolean, row = 0, used: number[] = [], current: number[] = []): Generator<number[]> {
  if (row === nRows) {
    yield current.slice();
    return;
  }
  current.push(-1);
  yield* matchings(nRows, nCols, allowed, row + 1, used, current);
  current.pop();
  for (let c = 0; c < nCols; c++) {
    if (used.includes(c) || !allowed(row, c)) continue;
    used.push(c);
    current.push(c);
    yield* matchings(nRows, nCols, allowed, row + 1, used, current);
    current.pop();
    used.pop();
  }
}

/** lap.lapjv(extend_cost=True, cost_limit=L) by definition: min over matchings of matched cost + L/2 per free row/column. */
function bruteCostLimit(cost: number[], nRows: number, nCols: number, limit: number): number[] {
  let best: number[] = [];
  let bestValue = Infinity;
  for (const m of matchings(nRows, nCols, () => true)) {
    const matched = m.filter((c) => c >= 0).length;
    let v = (nRows + nCols - 2 * matched) * (limit / 2);
    m.forEach((c, r) => {
      if (c >= 0) v += cost[r * nCols + c]!;
    });
    if (v < bestValue) {
      bestValue = v;
      best = m;
    }
  }
  return best;
}

/** motmetrics: as many allowed (finite) pairs as possible, then the least total cost. */
function bruteAllowed(cost: number[], nRows: number, nCols: number): number[] {
  let best: number[] = [];
  let bestKey = [-1, Infinity];
  for (const m of matchings(nRows, nCols, (r, c) => Number.isFinite(cost[r * nCols + c]!))) {
    const count = m.filter((c) => c >= 0).length;
    const sum = m.reduce((s, c, r) => (c >= 0 ? s + cost[r * nCols + c]! : s), 0);
    if (count > bestKey[0]! || (count === bestKey[0] && sum < bestKey[1]!)) {
      bestKey = [count, sum];
      best = m;
    }
  }
  return best;
}

describe('assignWithCostLimit (lap.lapjv with extend_cost and cost_limit)', () => {
  it('equals the brute-force optimum on random IoU-like matrices, with class costs of 1e6', () => {
    const rand = seededRandom(11);
    for (let trial = 0; trial < 300; trial++) {
      const nRows = Math.floor(rand() * 6);
      const nCols = Math.floor(rand() * 6);
      const limit = 0.3 + 0.6 * rand();
      // Sparse like IoU costs: most pairs at 1 (no overlap), some below, some of another class.
      const cost = Array.from({ length: nRows * nCols }, () => {
        const u = rand();
        return u < 0.45 ? 1 : u < 0.55 ? 1e6 + rand() : rand();
      });
      const { rowToCol, colToRow } = assignWithCostLimit(cost, nRows, nCols, limit);
      expect(Array.from(rowToCol)).toEqual(bruteCostLimit(cost, nRows, nCols, limit));
      for (let c = 0; c < nCols; c++) if (colToRow[c]! >= 0) expect(rowToCol[colToRow[c]!]).toBe(c);
      expect(Array.from(colToRow).filter((r) => r >= 0).length).toBe(Array.from(rowToCol).filter((c) => c >= 0).length);
    }
  });

  it('prefers two good pairs over one better pair (the solver, not a greedy pick)', () => {
    // Greedy would take (0,0) at 0.1 and leave row 1 unmatched; the optimum is (0,1) + (1,0): 0.3 + 0.3 < 0.1 + 0.8.
    const cost = [0.1, 0.3, 0.3, 1];
    expect(Array.from(assignWithCostLimit(cost, 2, 2, 0.8).rowToCol)).toEqual([1, 0]);
    // Nothing below the limit: nothing matched.
    expect(Array.from(assignWithCostLimit([0.9, 0.95], 1, 2, 0.9).rowToCol)).toEqual([-1]);
    expect(assignWithCostLimit([], 0, 3, 0.5).colToRow).toEqual(new Int32Array([-1, -1, -1]));
  });

  it('solves a large sparse frame group by group', () => {
    // 300 tracks on a diagonal, each overlapping its own detection and its neighbour's (one long group).
    const n = 300;
    const cost = new Float64Array(n * n).fill(1);
    for (let i = 0; i < n; i++) {
      cost[i * n + i] = 0.2;
      if (i + 1 < n) cost[i * n + i + 1] = 0.5;
    }
    const { rowToCol } = assignWithCostLimit(cost, n, n, 0.9);
    expect(rowToCol.every((c, i) => c === i)).toBe(true);
  });
});

describe('assignAllowedPairs (motmetrics.lap.linear_sum_assignment)', () => {
  it('equals the brute-force optimum: most allowed pairs, then least cost; NaN/Infinity forbidden', () => {
    const rand = seededRandom(5);
    for (let trial = 0; trial < 300; trial++) {
      const nRows = Math.floor(rand() * 6);
      const nCols = Math.floor(rand() * 6);
      const cost = Array.from({ length: nRows * nCols }, () => {
        const u = rand();
        return u < 0.2 ? NaN : u < 0.3 ? Infinity : 3 * rand();
      });
      const sol = assignAllowedPairs(cost, nRows, nCols);
      const rowToCol = new Array<number>(nRows).fill(-1);
      sol.rows.forEach((r, k) => (rowToCol[r] = sol.cols[k]!));
      expect(rowToCol).toEqual(bruteAllowed(cost, nRows, nCols));
    }
  });

  it('without forbidden pairs, is a complete matching (min(nRows, nCols) pairs) even through costly pairs', () => {
    const sol = assignAllowedPairs([0.1, 1, 1, 1, 1, 1], 2, 3);
    expect(Array.from(sol.rows)).toEqual([0, 1]);
    expect(sol.cols[0]).toBe(0);
    expect(Array.from(assignAllowedPairs([NaN, NaN], 1, 2).rows)).toEqual([]);
  });
});

function sparseOf(dense: number[], nRows: number, nCols: number, keep: (v: number) => boolean): SparsePairs {
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  dense.forEach((v, k) => {
    if (keep(v)) {
      rows.push(Math.floor(k / nCols));
      cols.push(k % nCols);
      values.push(v);
    }
  });
  return { rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float64Array.from(values) };
}

describe('sparse assignment, group by group', () => {
  it('assignAllowedSparse equals the whole-matrix assignAllowedPairs', () => {
    const rand = seededRandom(8);
    for (let trial = 0; trial < 200; trial++) {
      const nRows = 1 + Math.floor(rand() * 9);
      const nCols = 1 + Math.floor(rand() * 9);
      const cost = Array.from({ length: nRows * nCols }, () => (rand() < 0.6 ? NaN : 2 * rand()));
      const whole = assignAllowedPairs(cost, nRows, nCols);
      const groups = assignAllowedSparse(sparseOf(cost, nRows, nCols, Number.isFinite), nRows, nCols);
      expect(groups).toEqual(whole);
    }
  });

  it('maxWeightPairs keeps the positive pairs of linear_sum_assignment(1 − w), by brute force', () => {
    const rand = seededRandom(9);
    for (let trial = 0; trial < 200; trial++) {
      const nRows = Math.floor(rand() * 6);
      const nCols = Math.floor(rand() * 6);
      const w = Array.from({ length: nRows * nCols }, () => (rand() < 0.6 ? 0 : rand()));
      // Brute force over complete matchings of min(nRows, nCols) pairs: the least sum of 1 − w.
      let best: number[] = [];
      let bestCost = Infinity;
      const k = Math.min(nRows, nCols);
      for (const m of matchings(nRows, nCols, () => true)) {
        if (m.filter((c) => c >= 0).length !== k) continue;
        const c = m.reduce((s, col, r) => (col >= 0 ? s + 1 - w[r * nCols + col]! : s), 0);
        if (c < bestCost) [best, bestCost] = [m, c];
      }
      const expected = best.flatMap((c, r) => (c >= 0 && w[r * nCols + c]! > 0 ? [[r, c]] : []));
      const sol = maxWeightPairs(sparseOf(w, nRows, nCols, (v) => v > 0), nRows, nCols);
      expect(Array.from(sol.rows, (r, i) => [r, sol.cols[i]!])).toEqual(expected);
    }
  });
});
