/**
 * Rectangular linear sum assignment: the shortest-augmenting-path form of Jonker–Volgenant described by
 * D. F. Crouse, "On implementing 2D rectangular assignment algorithms", IEEE TAES 2016
 * (https://doi.org/10.1109/TAES.2016.140952) — the algorithm behind `scipy.optimize.linear_sum_assignment`, which
 * TrackEval calls. Rows are augmented in order and, among columns at equal reduced cost, a free column is preferred
 * and otherwise the first one scanned, as in the paper; so for a given matrix the matching is fully determined
 * (not by hash or sort order), and the optimal total cost is the same whatever order the rows/columns come in.
 */
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
  const c = new Float64Array(nr * nc);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      const v = cost[i * nCols + j]!;
      if (Number.isNaN(v) || v === -Infinity) throw new Error(`linearSumAssignment: cost[${i}, ${j}] is ${v}`);
      if (transpose) c[j * nc + i] = v;
      else c[i * nc + j] = v;
    }
  }
  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortest = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const sr = new Uint8Array(nr);
  const sc = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let curRow = 0; curRow < nr; curRow++) {
    // Dijkstra-like search for the shortest augmenting path from curRow to a free column.
    let minVal = 0;
    let numRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    sr.fill(0);
    sc.fill(0);
    shortest.fill(Infinity);
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
      if (minVal === Infinity || index < 0) throw new Error('linearSumAssignment: cost matrix is infeasible');
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
    // Solved on the transpose: report by original row, increasing.
    const order = Array.from({ length: nr }, (_, k) => k).sort((a, b) => col4row[a]! - col4row[b]!);
    for (let k = 0; k < nr; k++) {
      rows[k] = col4row[order[k]!]!;
      cols[k] = order[k]!;
    }
  }
  return { rows, cols };
}
