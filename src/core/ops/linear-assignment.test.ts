import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.ts';
import { linearSumAssignment, matchPositive, matchPositiveSparse } from './linear-assignment.ts';

/** Seeded PRNG (mulberry32) so failures reproduce. */
const rng = seededRandom;

/** Minimum cost over all matchings of size min(n, m), by enumeration. */
function bruteForce(cost: number[], n: number, m: number): number {
  let best = Infinity;
  const transpose = n > m;
  const rows = transpose ? m : n;
  const cols = transpose ? n : m;
  const at = (r: number, c: number): number => (transpose ? cost[c * m + r]! : cost[r * m + c]!);
  const used = new Array<boolean>(cols).fill(false);
  const rec = (r: number, acc: number): void => {
    if (r === rows) {
      best = Math.min(best, acc);
      return;
    }
    for (let c = 0; c < cols; c++) {
      if (used[c]) continue;
      used[c] = true;
      rec(r + 1, acc + at(r, c));
      used[c] = false;
    }
  };
  rec(0, 0);
  return best;
}

const total = (cost: number[], m: number, rows: Int32Array, cols: Int32Array): number => rows.reduce((s, r, k) => s + cost[r * m + cols[k]!]!, 0);

describe('linearSumAssignment (Jonker–Volgenant / Crouse shortest augmenting path)', () => {
  it('finds the optimum of random square and rectangular matrices (vs brute force)', () => {
    const rand = rng(7);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rand() * 6);
      const m = 1 + Math.floor(rand() * 6);
      // Small integer costs make many ties.
      const cost = Array.from({ length: n * m }, () => (trial % 2 ? Math.floor(rand() * 4) : rand() * 10 - 5));
      const { rows, cols } = linearSumAssignment(cost, n, m);
      expect(rows.length).toBe(Math.min(n, m));
      expect(new Set(cols).size).toBe(cols.length);
      expect(Array.from(rows)).toEqual([...rows].sort((a, b) => a - b));
      expect(total(cost, m, rows, cols)).toBeCloseTo(bruteForce(cost, n, m), 9);
    }
  });

  it('gives the same optimal cost whatever the row/column order (ties included)', () => {
    const rand = rng(11);
    for (let trial = 0; trial < 100; trial++) {
      const n = 2 + Math.floor(rand() * 5);
      const m = 2 + Math.floor(rand() * 5);
      const cost = Array.from({ length: n * m }, () => Math.floor(rand() * 3));
      const rp = Array.from({ length: n }, (_, i) => i).sort(() => rand() - 0.5);
      const cp = Array.from({ length: m }, (_, i) => i).sort(() => rand() - 0.5);
      const permuted = Array.from({ length: n * m }, (_, k) => cost[rp[Math.floor(k / m)]! * m + cp[k % m]!]!);
      const a = linearSumAssignment(cost, n, m);
      const b = linearSumAssignment(permuted, n, m);
      expect(total(permuted, m, b.rows, b.cols)).toBe(total(cost, m, a.rows, a.cols));
    }
  });

  it('is deterministic and prefers the first free column on ties, as scipy', () => {
    expect(Array.from(linearSumAssignment([0, 0, 0, 0], 2, 2).cols)).toEqual([0, 1]);
    // 3 rows, 2 columns: solved on the transpose, reported by row.
    const r = linearSumAssignment([5, 1, 1, 5, 3, 3], 3, 2);
    expect(Array.from(r.rows)).toEqual([0, 1]);
    expect(Array.from(r.cols)).toEqual([1, 0]);
  });

  it('handles forbidden (infinite) entries and rejects infeasible or NaN input', () => {
    const r = linearSumAssignment([Infinity, 1, 2, Infinity], 2, 2);
    expect(Array.from(r.cols)).toEqual([1, 0]);
    expect(() => linearSumAssignment([Infinity, Infinity, 1, 2], 2, 2)).toThrow(/infeasible/);
    expect(() => linearSumAssignment([NaN], 1, 1)).toThrow(/NaN/);
    expect(linearSumAssignment([], 0, 3).rows.length).toBe(0);
  });
});

describe('matchPositive', () => {
  it('returns the positive pairs of an optimal assignment (fast path and full solve agree)', () => {
    const rand = rng(5);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rand() * 7);
      const m = 1 + Math.floor(rand() * 7);
      const density = trial % 3 === 0 ? 0.1 : 0.4;
      const score = Float64Array.from({ length: n * m }, () => (rand() < density ? rand() : 0));
      const fast = matchPositive(score, n, m);
      const full = linearSumAssignment(Float64Array.from(score, (v) => -v), n, m);
      const positive = (r: Int32Array, c: Int32Array): number[] => Array.from(r).map((row, k) => score[row * m + c[k]!]!).filter((v) => v > 0);
      expect(positive(fast.rows, fast.cols).reduce((a, b) => a + b, 0)).toBeCloseTo(positive(full.rows, full.cols).reduce((a, b) => a + b, 0), 12);
      expect(positive(fast.rows, fast.cols)).toHaveLength(fast.rows.length);
    }
  });

  it('sparse rows (at an offset into shared arrays) give the dense matrix\'s pairs, with each pair\'s entry', () => {
    const rand = rng(11);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 7);
      const m = 1 + Math.floor(rand() * 7);
      const score = Float64Array.from({ length: n * m }, () => (rand() < 0.35 ? rand() : 0));
      // Two filler rows first, so the matrix's rows start at `first` = 2 in the shared arrays.
      const start = [0, 1, 2];
      const col = [0, 1];
      const values = [0.5, 0.5];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          if (score[i * m + j]! > 0) {
            col.push(j);
            values.push(score[i * m + j]!);
          }
        }
        start.push(col.length);
      }
      const sparse = { start: Int32Array.from(start), col: Int32Array.from(col), score: Float64Array.from(values) };
      const rows = new Int32Array(7);
      const cols = new Int32Array(7);
      const entries = new Int32Array(7);
      const k = matchPositiveSparse(sparse, 2, n, m, rows, cols, entries);
      const dense = matchPositive(score, n, m);
      expect(Array.from(rows.subarray(0, k))).toEqual(Array.from(dense.rows));
      expect(Array.from(cols.subarray(0, k))).toEqual(Array.from(dense.cols));
      for (let p = 0; p < k; p++) expect(values[entries[p]!]).toBe(score[rows[p]! * m + cols[p]!]);
    }
  });
});
