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
let compScratch = new Int32Array(256);

export function matchPositive(score: Float64Array, nRows: number, nCols: number): Assignment {
  const n = nRows + nCols;
  if (compScratch.length < 2 * n) compScratch = new Int32Array(4 * n);
  // Union-find over rows (0..nRows-1) and columns (nRows..n-1); degree counts in the second half.
  const parent = compScratch.subarray(0, n);
  const degree = compScratch.subarray(n, 2 * n).fill(0);
  for (let k = 0; k < n; k++) parent[k] = k;
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]!]!;
      k = parent[k]!;
    }
    return k;
  };
  let simple = true;
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      if (score[i * nCols + j]! > 0) {
        const dr = ++degree[i]!;
        const dc = ++degree[nRows + j]!;
        if (dr > 1 || dc > 1) simple = false;
        const a = find(i);
        const b = find(nRows + j);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const pairs: number[] = [];
  if (simple) {
    // Every positive entry alone in its row and column: all of them are in every optimal assignment.
    for (let i = 0; i < nRows; i++) {
      if (degree[i] === 0) continue;
      for (let j = 0; j < nCols; j++) {
        if (score[i * nCols + j]! > 0) {
          pairs.push(i, j);
          break;
        }
      }
    }
  } else {
    const members = new Map<number, { rows: number[]; cols: number[] }>();
    for (let k = 0; k < n; k++) {
      if (degree[k] === 0) continue;
      const root = find(k);
      let m = members.get(root);
      if (!m) {
        m = { rows: [], cols: [] };
        members.set(root, m);
      }
      if (k < nRows) m.rows.push(k);
      else m.cols.push(k - nRows);
    }
    for (const { rows, cols } of members.values()) {
      if (rows.length === 1 && cols.length === 1) {
        pairs.push(rows[0]!, cols[0]!);
        continue;
      }
      const sub = new Float64Array(rows.length * cols.length);
      for (let a = 0; a < rows.length; a++) for (let b = 0; b < cols.length; b++) sub[a * cols.length + b] = -score[rows[a]! * nCols + cols[b]!]!;
      const r = linearSumAssignment(sub, rows.length, cols.length);
      for (let k = 0; k < r.rows.length; k++) {
        const i = rows[r.rows[k]!]!;
        const j = cols[r.cols[k]!]!;
        if (score[i * nCols + j]! > 0) pairs.push(i, j);
      }
    }
  }
  // Report by increasing row, as linearSumAssignment does.
  const order = Array.from({ length: pairs.length / 2 }, (_, k) => k).sort((a, b) => pairs[2 * a]! - pairs[2 * b]!);
  const rowsOut = new Int32Array(order.length);
  const colsOut = new Int32Array(order.length);
  order.forEach((k, t) => {
    rowsOut[t] = pairs[2 * k]!;
    colsOut[t] = pairs[2 * k + 1]!;
  });
  return { rows: rowsOut, cols: colsOut };
}
