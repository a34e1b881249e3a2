/**
 * The two ways MMTracking's trackers call a linear-assignment solver, both built on the project's tested
 * Jonker–Volgenant solver ({@link linearSumAssignment}, `src/core/eval/linear-assignment.ts`).
 */
import { type Assignment, linearSumAssignment } from '../eval/linear-assignment.ts';

/** A partial matching: `rowToCol[i]` is the column of row `i` or -1, `colToRow[j]` the row of column `j` or -1. */
export interface PartialMatching {
  rowToCol: Int32Array;
  colToRow: Int32Array;
}

/**
 * `lap.lapjv(cost, extend_cost=True, cost_limit=L)` (https://github.com/gatagat/lap), which MMTracking's
 * `ByteTracker.assign_ids` calls: the matching that minimises `sum of matched costs + L/2 per unmatched row or
 * column`, i.e. a pair is matched only where that beats leaving both sides free (`cost < L`), and among such
 * matchings the total cost is minimal. `lap` solves the `(n+m)²` matrix extended with `L/2` entries; here pairs with
 * `cost >= L` are dropped first and each connected group of the remaining pairs is solved on its own as an
 * `r x (c + r)` problem (`cost − L` per pair, or a free slot per row) — the same optimum, at a cost that grows with
 * the size of the groups rather than of the whole frame.
 * (Only exact ties, `cost == L` or equal sums, may resolve differently from `lap`.)
 * @param cost row-major `[nRows*nCols]`, no NaN.
 */
export function assignWithCostLimit(cost: ArrayLike<number>, nRows: number, nCols: number, costLimit: number): PartialMatching {
  if (cost.length !== nRows * nCols) throw new Error(`assignWithCostLimit: ${cost.length} costs for a ${nRows}x${nCols} matrix`);
  const rowToCol = new Int32Array(nRows).fill(-1);
  const colToRow = new Int32Array(nCols).fill(-1);
  // Union-find over rows (0..nRows-1) and columns (nRows..): one set per group of pairs below the limit.
  const parent = new Int32Array(nRows + nCols);
  for (let k = 0; k < parent.length; k++) parent[k] = k;
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]!]!;
      k = parent[k]!;
    }
    return k;
  };
  const hasEdge = new Uint8Array(nRows + nCols);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      const c = cost[i * nCols + j]!;
      if (Number.isNaN(c)) throw new Error(`assignWithCostLimit: cost[${i}, ${j}] is NaN`);
      if (c < costLimit) {
        hasEdge[i] = 1;
        hasEdge[nRows + j] = 1;
        const a = find(i);
        const b = find(nRows + j);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const groups = new Map<number, { rows: number[]; cols: number[] }>();
  for (let k = 0; k < nRows + nCols; k++) {
    if (!hasEdge[k]) continue;
    const root = find(k);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { rows: [], cols: [] }));
    if (k < nRows) g.rows.push(k);
    else g.cols.push(k - nRows);
  }
  for (const { rows, cols } of groups.values()) {
    const r = rows.length;
    const c = cols.length;
    if (r === 1 && c === 1) {
      rowToCol[rows[0]!] = cols[0]!;
      colToRow[cols[0]!] = rows[0]!;
      continue;
    }
    // lap's objective is sum(matched cost) + L/2·(free rows + free columns) = sum(matched (cost − L)) + const:
    // each row takes a real column at cost − L, or its own free slot at 0 (an r x (c + r) problem).
    const n = c + r;
    const ext = new Float64Array(r * n).fill(Infinity);
    for (let ii = 0; ii < r; ii++) {
      for (let jj = 0; jj < c; jj++) {
        const x = cost[rows[ii]! * nCols + cols[jj]!]!;
        if (x < costLimit) ext[ii * n + jj] = x - costLimit;
      }
      ext[ii * n + c + ii] = 0;
    }
    const sol = linearSumAssignment(ext, r, n);
    for (let k = 0; k < sol.rows.length; k++) {
      const ii = sol.rows[k]!;
      const jj = sol.cols[k]!;
      if (jj < c) {
        rowToCol[rows[ii]!] = cols[jj]!;
        colToRow[cols[jj]!] = rows[ii]!;
      }
    }
  }
  return { rowToCol, colToRow };
}

/**
 * `motmetrics.lap.linear_sum_assignment(cost)` (https://github.com/cheind/py-motmetrics/blob/develop/motmetrics/lap.py),
 * which MMTracking's `SORTTracker` calls: NaN and ±Infinity mark forbidden pairs. Forbidden entries are replaced by
 * `2·r·c + 1` (`r = min(nRows, nCols)`, `c = max |finite cost| + 1`), so the solution first uses as many allowed
 * pairs as possible and then minimises their cost; forbidden pairs are dropped from the answer. With no forbidden
 * entry this is plain `scipy.optimize.linear_sum_assignment` (a complete matching of `min(nRows, nCols)` pairs).
 * @param cost row-major `[nRows*nCols]`. @returns the allowed matched pairs, by increasing row.
 */
export function assignAllowedPairs(cost: ArrayLike<number>, nRows: number, nCols: number): Assignment {
  if (cost.length !== nRows * nCols) throw new Error(`assignAllowedPairs: ${cost.length} costs for a ${nRows}x${nCols} matrix`);
  let maxAbs = -Infinity;
  let numForbidden = 0;
  for (let k = 0; k < cost.length; k++) {
    const v = cost[k]!;
    if (Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
    else numForbidden++;
  }
  if (numForbidden === cost.length) return { rows: new Int32Array(0), cols: new Int32Array(0) };
  let finite: ArrayLike<number> = cost;
  if (numForbidden > 0) {
    const large = 2 * Math.min(nRows, nCols) * (maxAbs + 1) + 1;
    finite = Float64Array.from(cost, (v) => (Number.isFinite(v) ? v : large));
  }
  const sol = linearSumAssignment(finite, nRows, nCols);
  if (numForbidden === 0) return sol;
  const rows: number[] = [];
  const cols: number[] = [];
  for (let k = 0; k < sol.rows.length; k++) {
    if (Number.isFinite(cost[sol.rows[k]! * nCols + sol.cols[k]!]!)) {
      rows.push(sol.rows[k]!);
      cols.push(sol.cols[k]!);
    }
  }
  return { rows: Int32Array.from(rows), cols: Int32Array.from(cols) };
}
