/**
 * Rectangular linear sum assignment: the shortest-augmenting-path form of Jonker–Volgenant described by
 * D. F. Crouse, "On implementing 2D rectangular assignment algorithms", IEEE TAES 2016
 * (https://doi.org/10.1109/TAES.2016.140952) — the algorithm behind `scipy.optimize.linear_sum_assignment`, which
 * TrackEval calls. Rows are augmented in order and, among columns at equal reduced cost, a free column is preferred
 * and otherwise the first one scanned, as in the paper; so for a given matrix the matching is fully determined
 * (not by hash or sort order), and the optimal total cost is the same whatever order the rows/columns come in.
 */
/** Scratch arrays reused across calls (the MOT metrics solve one small problem per frame). */
interface Workspace {
  c: Float64Array;
  u: Float64Array;
  v: Float64Array;
  shortest: Float64Array;
  path: Int32Array;
  col4row: Int32Array;
  row4col: Int32Array;
  sr: Uint8Array;
  sc: Uint8Array;
  remaining: Int32Array;
}
let scratch: { nr: number; nc: number; ws: Workspace } | undefined;

function workspace(nr: number, nc: number): Workspace {
  if (!scratch || scratch.nr < nr || scratch.nc < nc) {
    const r = Math.max(nr, scratch?.nr ?? 0);
    const k = Math.max(nc, scratch?.nc ?? 0);
    scratch = {
      nr: r,
      nc: k,
      ws: {
        c: new Float64Array(r * k),
        u: new Float64Array(r),
        v: new Float64Array(k),
        shortest: new Float64Array(k),
        path: new Int32Array(k),
        col4row: new Int32Array(r),
        row4col: new Int32Array(k),
        sr: new Uint8Array(r),
        sc: new Uint8Array(k),
        remaining: new Int32Array(k),
      },
    };
  }
  const ws = scratch.ws;
  ws.u.fill(0, 0, nr);
  ws.v.fill(0, 0, nc);
  ws.path.fill(-1, 0, nc);
  ws.col4row.fill(-1, 0, nr);
  ws.row4col.fill(-1, 0, nc);
  return ws;
}

export interface Assignment {
  /** Matched row indices, increasing. */
  rows: Int32Array;
  /** `cols[k]` is the column matched to `rows[k]`. */
  cols: Int32Array;
}

/**
 * Minimises `sum cost[rows[k], cols[k]]` over matchings of size `min(nRows, nCols)`.
 * @param cost row-major `[nRows * nCols]`; entries must not be NaN or -Infinity (Infinity means "forbidden").
 * @throws when no complete matching of finite cost exists.
 */
export function linearSumAssignment(cost: ArrayLike<number>, nRows: number, nCols: number): Assignment {
  if (nRows === 0 || nCols === 0) return { rows: new Int32Array(0), cols: new Int32Array(0) };
  const transpose = nCols < nRows;
  const nr = transpose ? nCols : nRows;
  const nc = transpose ? nRows : nCols;
  const ws = workspace(nr, nc);
  // Checked for NaN / -Infinity; used in place when it is already a row-major Float64Array of the solved shape.
  for (let k = 0; k < nRows * nCols; k++) {
    const v = cost[k]!;
    if (Number.isNaN(v) || v === -Infinity) throw new Error(`linearSumAssignment: cost[${Math.floor(k / nCols)}, ${k % nCols}] is ${v}`);
  }
  let c: ArrayLike<number>;
  if (!transpose && cost instanceof Float64Array) c = cost;
  else if (!transpose) {
    ws.c.set(cost);
    c = ws.c;
  } else {
    for (let i = 0; i < nRows; i++) for (let j = 0; j < nCols; j++) ws.c[j * nc + i] = cost[i * nCols + j]!;
    c = ws.c;
  }
  const { u, v, shortest, path, col4row, row4col, sr, sc, remaining } = ws;

  for (let curRow = 0; curRow < nr; curRow++) {
    // Dijkstra-like search for the shortest augmenting path from curRow to a free column.
    let minVal = 0;
    let numRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    sr.fill(0, 0, nr);
    sc.fill(0, 0, nc);
    shortest.fill(Infinity, 0, nc);
    let sink = -1;
    let i = curRow;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      sr[i] = 1;
      const base = i * nc;
      const ui = u[i]!;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it]!;
        const r = minVal + c[base + j]! - ui - v[j]!;
        if (r < shortest[j]!) {
          path[j] = i;
          shortest[j] = r;
        }
        const sj = shortest[j]!;
        if (sj < lowest || (sj === lowest && row4col[j] === -1)) {
          lowest = sj;
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Infinity || index < 0) {
        scratch = undefined;
        throw new Error('linearSumAssignment: cost matrix is infeasible');
      }
      const j = remaining[index]!;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j]!;
      sc[j] = 1;
      remaining[index] = remaining[--numRemaining]!;
    }
    // Update the dual variables.
    u[curRow] = u[curRow]! + minVal;
    for (let r = 0; r < nr; r++) if (sr[r] && r !== curRow) u[r] = u[r]! + minVal - shortest[col4row[r]!]!;
    for (let j = 0; j < nc; j++) if (sc[j]) v[j] = v[j]! - (minVal - shortest[j]!);
    // Augment along the path.
    let j = sink;
    for (;;) {
      const r = path[j]!;
      row4col[j] = r;
      const prev = col4row[r]!;
      col4row[r] = j;
      j = prev;
      if (r === curRow) break;
    }
  }

  const rows = new Int32Array(nr);
  const cols = new Int32Array(nr);
  if (!transpose) {
    for (let r = 0; r < nr; r++) {
      rows[r] = r;
      cols[r] = col4row[r]!;
    }
  } else {
    // Solved on the transpose: col4row maps each original column to its original row; report by row.
    const colOfRow = new Int32Array(nRows).fill(-1);
    for (let j = 0; j < nr; j++) colOfRow[col4row[j]!] = j;
    let k = 0;
    for (let r = 0; r < nRows; r++) {
      if (colOfRow[r] === -1) continue;
      rows[k] = r;
      cols[k++] = colOfRow[r]!;
    }
  }
  return { rows, cols };
}

/**
 * Maximises the total of a non-negative score matrix (`linearSumAssignment(-score)`), returning only the pairs
 * with a positive score, which is all the MOT metrics use. The positive entries split into connected components
 * (rows and columns linked by a positive score) that do not interact, so each is solved on its own: a component
 * of one entry is that entry, a larger one goes to {@link linearSumAssignment} on its sub-matrix. The total is the
 * full problem's optimum; when several assignments reach it (exactly equal sums), the one returned may differ
 * from a full-matrix solve's choice.
 * @param score row-major `[nRows * nCols]`, entries ≥ 0.
 */
export function matchPositive(score: Float64Array, nRows: number, nCols: number): Assignment {
  const cap = Math.min(nRows, nCols);
  const rows = new Int32Array(cap);
  const cols = new Int32Array(cap);
  const n = matchPositiveInto(score, nRows, nCols, rows, cols);
  return { rows: rows.subarray(0, n), cols: cols.subarray(0, n) };
}

/**
 * The positive entries of a score matrix, row by row: row i's are `start[first + i] .. start[first + i + 1]-1`
 * (`first` given with the matrix), columns increasing.
 */
export interface SparseScores {
  start: Int32Array;
  col: Int32Array;
  score: Float64Array;
}

let denseAsSparse: SparseScores = { start: new Int32Array(64), col: new Int32Array(256), score: new Float64Array(256) };
let entryScratch = new Int32Array(64);

/**
 * {@link matchPositive} into the caller's buffers (each of at least `min(nRows, nCols)` entries), returning the
 * number of pairs.
 */
export function matchPositiveInto(score: Float64Array, nRows: number, nCols: number, rowsOut: Int32Array, colsOut: Int32Array): number {
  let nnz = 0;
  for (let k = 0; k < nRows * nCols; k++) if (score[k]! > 0) nnz++;
  if (denseAsSparse.start.length < nRows + 1 || denseAsSparse.col.length < nnz) {
    denseAsSparse = { start: new Int32Array(2 * nRows + 2), col: new Int32Array(2 * nnz), score: new Float64Array(2 * nnz) };
  }
  const { start, col, score: values } = denseAsSparse;
  let k = 0;
  for (let i = 0; i < nRows; i++) {
    start[i] = k;
    for (let j = 0; j < nCols; j++) {
      const v = score[i * nCols + j]!;
      if (v > 0) {
        col[k] = j;
        values[k++] = v;
      }
    }
  }
  start[nRows] = k;
  if (entryScratch.length < Math.min(nRows, nCols)) entryScratch = new Int32Array(2 * Math.min(nRows, nCols));
  return matchPositiveSparse(denseAsSparse, 0, nRows, nCols, rowsOut, colsOut, entryScratch);
}

/** Scratch of matchPositiveSparse, grown to the largest problem seen (no per-call allocation: one call a frame). */
const comp = {
  parent: new Int32Array(64),
  degree: new Int32Array(64),
  next: new Int32Array(64),
  head: new Int32Array(64),
  members: new Int32Array(64),
  entryOfRow: new Int32Array(64),
  colPos: new Int32Array(64),
  sub: new Float64Array(256),
};

function growComp(n: number): void {
  if (comp.parent.length >= n) return;
  for (const k of ['parent', 'degree', 'next', 'head', 'members', 'entryOfRow', 'colPos'] as const) comp[k] = new Int32Array(2 * n);
}

function findRoot(parent: Int32Array, k: number): number {
  while (parent[k] !== k) {
    parent[k] = parent[parent[k]!]!;
    k = parent[k]!;
  }
  return k;
}

/**
 * {@link matchPositive} on a sparse matrix (rows `first .. first+nRows-1` of `m`): the MOT metrics' IoU
 * matrices are mostly zeros (boxes that do not overlap), and only the positive entries take part. Writes the matched rows (increasing), their columns and the
 * index of each pair's entry into the caller's buffers (each at least `min(nRows, nCols)` long); returns the
 * number of pairs.
 */
export function matchPositiveSparse(m: SparseScores, first: number, nRows: number, nCols: number, rowsOut: Int32Array, colsOut: Int32Array, entryOut: Int32Array): number {
  const { col, score } = m;
  const start = m.start;
  const n = nRows + nCols;
  growComp(n);
  // Union-find over rows (0..nRows-1) and columns (nRows..n-1), the degree of each, each row's matched entry
  // (-1: none).
  const { parent, degree, entryOfRow } = comp;
  degree.fill(0, 0, n);
  entryOfRow.fill(-1, 0, nRows);
  for (let k = 0; k < n; k++) parent[k] = k;
  let simple = true;
  for (let i = 0; i < nRows; i++) {
    for (let k = start[first + i]!; k < start[first + i + 1]!; k++) {
      if (!(score[k]! > 0)) continue;
      const dr = ++degree[i]!;
      const dc = ++degree[nRows + col[k]!]!;
      if (dr > 1 || dc > 1) simple = false;
      entryOfRow[i] = k;
      const a = findRoot(parent, i);
      const b = findRoot(parent, nRows + col[k]!);
      if (a !== b) parent[a] = b;
    }
  }
  // When every positive entry is alone in its row and column, all of them are in every optimal assignment, and
  // entryOfRow already holds them. Otherwise each component is solved on its own.
  if (!simple) solveComponents(m, first, nRows, nCols);
  // Report by increasing row, as linearSumAssignment does.
  let count = 0;
  for (let i = 0; i < nRows; i++) {
    const k = entryOfRow[i]!;
    if (k < 0) continue;
    rowsOut[count] = i;
    colsOut[count] = col[k]!;
    entryOut[count++] = k;
  }
  return count;
}

/**
 * matchPositiveSparse's components, each solved on its own (sets `comp.entryOfRow`; union-find done), through a
 * linked list of members per root, one component's members, and each member column's place in its component.
 */
function solveComponents(m: SparseScores, first: number, nRows: number, nCols: number): void {
  const { col, score } = m;
  const start = m.start;
  const n = nRows + nCols;
  const { parent, degree, next, head, members, entryOfRow, colPos } = comp;
  entryOfRow.fill(-1, 0, nRows);
  head.fill(-1, 0, n);
  // Members linked from their root in increasing order: rows first, then columns.
  for (let k = n - 1; k >= 0; k--) {
    if (degree[k] === 0) continue;
    const r = findRoot(parent, k);
    next[k] = head[r]!;
    head[r] = k;
  }
  for (let root = 0; root < n; root++) {
    if (head[root] === -1) continue;
    let nr = 0;
    let size = 0;
    for (let k = head[root]!; k !== -1; k = next[k]!) {
      if (k < nRows) nr++;
      members[size++] = k < nRows ? k : k - nRows;
    }
    const nc = size - nr;
    if (nr === 1 && nc === 1) {
      const i = members[0]!;
      for (let k = start[first + i]!; k < start[first + i + 1]!; k++) if (score[k]! > 0) entryOfRow[i] = k;
      continue;
    }
    if (comp.sub.length < nr * nc) comp.sub = new Float64Array(2 * nr * nc);
    // The component's rows and columns as a dense cost matrix (-score; -0 where there is no entry, as negating
    // a dense zero gives).
    const sub = comp.sub.subarray(0, nr * nc).fill(-0);
    for (let b = 0; b < nc; b++) colPos[members[nr + b]!] = b;
    for (let a = 0; a < nr; a++) {
      const i = members[a]!;
      for (let k = start[first + i]!; k < start[first + i + 1]!; k++) if (score[k]! > 0) sub[a * nc + colPos[col[k]!]!] = -score[k]!;
    }
    const r = linearSumAssignment(sub, nr, nc);
    for (let t = 0; t < r.rows.length; t++) {
      const i = members[r.rows[t]!]!;
      const j = members[nr + r.cols[t]!]!;
      for (let k = start[first + i]!; k < start[first + i + 1]!; k++) if (col[k] === j && score[k]! > 0) entryOfRow[i] = k;
    }
  }
}
