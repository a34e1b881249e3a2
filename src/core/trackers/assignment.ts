/**
 * The ways MMTracking's trackers call a linear-assignment solver, all built on the project's tested
 * Jonker–Volgenant solver ({@link linearSumAssignment}, `src/core/ops/linear-assignment.ts`).
 *
 * Tracking costs are sparse: a track competes only for the few detections near it. Each function here splits the
 * allowed pairs into connected groups (rows and columns linked by an allowed pair), which cannot influence each
 * other's optimum, and solves each group on its own small dense matrix: the same optimum as the whole-matrix solve
 * (only exactly equal alternatives may resolve differently), at a cost that grows with the groups' sizes.
 */
import { type Assignment, linearSumAssignment } from '../ops/linear-assignment.ts';
import type { SparsePairs } from './cost-matrices.ts';

/** A partial matching: `rowToCol[i]` is the column of row `i` or -1, `colToRow[j]` the row of column `j` or -1. */
export interface PartialMatching {
  rowToCol: Int32Array;
  colToRow: Int32Array;
}

interface Group {
  rows: number[];
  cols: number[];
  /** Indices into the pairs. */
  pairs: number[];
}

/** Connected groups of the bipartite graph of `pairs` (union–find over rows `0..nRows-1` and columns after them). */
function groupsOf(pairs: SparsePairs, nRows: number, nCols: number): Group[] {
  const parent = new Int32Array(nRows + nCols);
  for (let k = 0; k < parent.length; k++) parent[k] = k;
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]!]!;
      k = parent[k]!;
    }
    return k;
  };
  for (let e = 0; e < pairs.rows.length; e++) {
    const a = find(pairs.rows[e]!);
    const b = find(nRows + pairs.cols[e]!);
    if (a !== b) parent[a] = b;
  }
  const byRoot = new Map<number, Group>();
  const groupOf = (node: number): Group => {
    const root = find(node);
    let g = byRoot.get(root);
    if (!g) byRoot.set(root, (g = { rows: [], cols: [], pairs: [] }));
    return g;
  };
  const inPair = new Uint8Array(nRows + nCols);
  for (let e = 0; e < pairs.rows.length; e++) {
    inPair[pairs.rows[e]!] = 1;
    inPair[nRows + pairs.cols[e]!] = 1;
    groupOf(pairs.rows[e]!).pairs.push(e);
  }
  for (let k = 0; k < nRows + nCols; k++) {
    if (!inPair[k]) continue;
    if (k < nRows) groupOf(k).rows.push(k);
    else groupOf(k).cols.push(k - nRows);
  }
  return [...byRoot.values()];
}

/** A group's pairs as a dense `[rows.length * cols.length]` matrix (`fill` where there is no pair). */
function denseGroup(g: Group, pairs: SparsePairs, fill: number, value: (e: number) => number, local: Int32Array, nRows: number): Float64Array {
  g.rows.forEach((r, i) => (local[r] = i));
  g.cols.forEach((c, j) => (local[nRows + c] = j));
  const m = new Float64Array(g.rows.length * g.cols.length).fill(fill);
  for (const e of g.pairs) m[local[pairs.rows[e]!]! * g.cols.length + local[nRows + pairs.cols[e]!]!] = value(e);
  return m;
}

function checkPairs(pairs: SparsePairs, nRows: number, nCols: number, what: string): void {
  const n = pairs.rows.length;
  if (pairs.cols.length !== n || pairs.values.length !== n) throw new Error(`${what}: ${n} rows, ${pairs.cols.length} columns, ${pairs.values.length} values`);
  for (let e = 0; e < n; e++) {
    if (!(pairs.rows[e]! >= 0 && pairs.rows[e]! < nRows && pairs.cols[e]! >= 0 && pairs.cols[e]! < nCols)) throw new Error(`${what}: pair (${pairs.rows[e]}, ${pairs.cols[e]}) outside ${nRows}x${nCols}`);
    if (Number.isNaN(pairs.values[e])) throw new Error(`${what}: pair (${pairs.rows[e]}, ${pairs.cols[e]}) is NaN`);
  }
}

/**
 * `lap.lapjv(cost, extend_cost=True, cost_limit=L)` (https://github.com/gatagat/lap), which MMTracking's
 * `ByteTracker.assign_ids` calls, on a sparse cost matrix (absent pairs cost `>= L`): the matching that minimises
 * `sum of matched costs + L/2 per unmatched row or column` — a pair is matched only where that beats leaving both
 * sides free (`cost < L`), and among such matchings the total cost is minimal. `lap` solves the `(n+m)²` matrix
 * extended with `L/2` entries; the objective equals `sum(matched (cost − L)) + constant`, so each group is solved
 * as an `r x (c + r)` problem: `cost − L` per pair, or a free slot per row at 0.
 */
export function assignPairsWithCostLimit(pairs: SparsePairs, nRows: number, nCols: number, costLimit: number): PartialMatching {
  checkPairs(pairs, nRows, nCols, 'assignPairsWithCostLimit');
  const rowToCol = new Int32Array(nRows).fill(-1);
  const colToRow = new Int32Array(nCols).fill(-1);
  const below: number[] = [];
  for (let e = 0; e < pairs.rows.length; e++) if (pairs.values[e]! < costLimit) below.push(e);
  const kept: SparsePairs = {
    rows: Int32Array.from(below, (e) => pairs.rows[e]!),
    cols: Int32Array.from(below, (e) => pairs.cols[e]!),
    values: Float64Array.from(below, (e) => pairs.values[e]!),
  };
  const local = new Int32Array(nRows + nCols);
  for (const g of groupsOf(kept, nRows, nCols)) {
    const r = g.rows.length;
    const c = g.cols.length;
    if (r === 1 && c === 1) {
      rowToCol[g.rows[0]!] = g.cols[0]!;
      colToRow[g.cols[0]!] = g.rows[0]!;
      continue;
    }
    const sub = denseGroup(g, kept, Infinity, (e) => kept.values[e]! - costLimit, local, nRows);
    const n = c + r;
    const ext = new Float64Array(r * n).fill(Infinity);
    for (let i = 0; i < r; i++) {
      ext.set(sub.subarray(i * c, (i + 1) * c), i * n);
      ext[i * n + c + i] = 0;
    }
    const sol = linearSumAssignment(ext, r, n);
    for (let k = 0; k < sol.rows.length; k++) {
      const j = sol.cols[k]!;
      if (j < c) {
        rowToCol[g.rows[sol.rows[k]!]!] = g.cols[j]!;
        colToRow[g.cols[j]!] = g.rows[sol.rows[k]!]!;
      }
    }
  }
  return { rowToCol, colToRow };
}

/** {@link assignPairsWithCostLimit} on a dense row-major `[nRows*nCols]` cost matrix (no NaN). */
export function assignWithCostLimit(cost: ArrayLike<number>, nRows: number, nCols: number, costLimit: number): PartialMatching {
  if (cost.length !== nRows * nCols) throw new Error(`assignWithCostLimit: ${cost.length} costs for a ${nRows}x${nCols} matrix`);
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      const v = cost[i * nCols + j]!;
      if (Number.isNaN(v)) throw new Error(`assignWithCostLimit: cost[${i}, ${j}] is NaN`);
      if (v < costLimit) {
        rows.push(i);
        cols.push(j);
        values.push(v);
      }
    }
  }
  return assignPairsWithCostLimit({ rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float64Array.from(values) }, nRows, nCols, costLimit);
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

/**
 * {@link assignAllowedPairs} on a sparse matrix: the given pairs (finite costs) are allowed, all others forbidden.
 * The objective (most pairs, then least cost) adds up over groups, so each group is solved on its own.
 * @returns matched pairs by increasing row.
 */
export function assignAllowedSparse(pairs: SparsePairs, nRows: number, nCols: number): Assignment {
  checkPairs(pairs, nRows, nCols, 'assignAllowedSparse');
  const local = new Int32Array(nRows + nCols);
  const rowToCol = new Int32Array(nRows).fill(-1);
  for (const g of groupsOf(pairs, nRows, nCols)) {
    const sub = denseGroup(g, pairs, NaN, (e) => pairs.values[e]!, local, nRows);
    const sol = assignAllowedPairs(sub, g.rows.length, g.cols.length);
    for (let k = 0; k < sol.rows.length; k++) rowToCol[g.rows[sol.rows[k]!]!] = g.cols[sol.cols[k]!]!;
  }
  return collect(rowToCol);
}

/**
 * The positive-weight pairs of `linear_sum_assignment(1 − w)` for weights `w` in [0, 1] (MMTracking's SORT IoU
 * step, `w` = IoU): a complete matching maximising the total weight. Its positive-weight pairs form a maximum-weight
 * matching of the positive pairs (pairs of weight 0 only fill it up), which is what this returns, group by group.
 * @param pairs the positive weights (absent pairs weigh 0). @returns matched pairs by increasing row.
 */
export function maxWeightPairs(pairs: SparsePairs, nRows: number, nCols: number): Assignment {
  checkPairs(pairs, nRows, nCols, 'maxWeightPairs');
  const local = new Int32Array(nRows + nCols);
  const rowToCol = new Int32Array(nRows).fill(-1);
  for (const g of groupsOf(pairs, nRows, nCols)) {
    if (g.rows.length === 1 && g.cols.length === 1) {
      rowToCol[g.rows[0]!] = g.cols[0]!;
      continue;
    }
    const sub = denseGroup(g, pairs, 0, (e) => -pairs.values[e]!, local, nRows);
    const sol = linearSumAssignment(sub, g.rows.length, g.cols.length);
    for (let k = 0; k < sol.rows.length; k++) {
      if (sub[sol.rows[k]! * g.cols.length + sol.cols[k]!]! < 0) rowToCol[g.rows[sol.rows[k]!]!] = g.cols[sol.cols[k]!]!;
    }
  }
  return collect(rowToCol);
}

function collect(rowToCol: Int32Array): Assignment {
  const rows: number[] = [];
  const cols: number[] = [];
  rowToCol.forEach((c, r) => {
    if (c >= 0) {
      rows.push(r);
      cols.push(c);
    }
  });
  return { rows: Int32Array.from(rows), cols: Int32Array.from(cols) };
}
