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
 * with a positive score, which is all the MOT metrics use. When every positive entry is alone in its row and in
 * its column (most frames), every optimal assignment contains exactly those entries, so they are returned without
 * solving; otherwise the full matrix is solved, keeping scipy's choice among equal optima.
 * @param score row-major `[nRows * nCols]`, entries ≥ 0.
 */
let countScratch = new Int32Array(256);

export function matchPositive(score: Float64Array, nRows: number, nCols: number): Assignment {
  if (countScratch.length < nRows + nCols) countScratch = new Int32Array(2 * (nRows + nCols));
  const rowCount = countScratch.subarray(0, nRows).fill(0);
  const colCount = countScratch.subarray(nRows, nRows + nCols).fill(0);
  let simple = true;
  let positives = 0;
  for (let i = 0; i < nRows && simple; i++) {
    for (let j = 0; j < nCols; j++) {
      if (score[i * nCols + j]! > 0) {
        positives++;
        if (++rowCount[i]! > 1 || ++colCount[j]! > 1) {
          simple = false;
          break;
        }
      }
    }
  }
  if (!simple) {
    const neg = new Float64Array(nRows * nCols);
    for (let k = 0; k < neg.length; k++) neg[k] = -score[k]!;
    const all = linearSumAssignment(neg, nRows, nCols);
    let n = 0;
    for (let k = 0; k < all.rows.length; k++) if (score[all.rows[k]! * nCols + all.cols[k]!]! > 0) n++;
    const rows = new Int32Array(n);
    const cols = new Int32Array(n);
    n = 0;
    for (let k = 0; k < all.rows.length; k++) {
      if (score[all.rows[k]! * nCols + all.cols[k]!]! > 0) {
        rows[n] = all.rows[k]!;
        cols[n++] = all.cols[k]!;
      }
    }
    return { rows, cols };
  }
  const rows = new Int32Array(positives);
  const cols = new Int32Array(positives);
  let n = 0;
  for (let i = 0; i < nRows; i++) {
    if (rowCount[i] === 0) continue;
    for (let j = 0; j < nCols; j++) {
      if (score[i * nCols + j]! > 0) {
        rows[n] = i;
        cols[n++] = j;
        break;
      }
    }
  }
  return { rows, cols };
}
