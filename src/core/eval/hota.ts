import { matchPositiveSparse, type SparseScores } from '../ops/linear-assignment.ts';
import { EPS, mean, sumArrays, type SequenceMetric } from './metric.ts';
import { maxFrameSizes, type MotSequenceData } from './mot-preprocess.ts';

/** The 19 localisation thresholds α = 0.05, 0.10 … 0.95 (numpy `arange(0.05, 0.99, 0.05)`). */
export const HOTA_ALPHAS: Float64Array = Float64Array.from({ length: 19 }, (_, i) => 0.05 + i * 0.05);
const A = HOTA_ALPHAS.length;

/** HOTA fields (TrackEval names): arrays have one value per α in {@link HOTA_ALPHAS}; fractions. */
export interface HotaResult {
  HOTA_TP: Float64Array;
  HOTA_FN: Float64Array;
  HOTA_FP: Float64Array;
  HOTA: Float64Array;
  DetA: Float64Array;
  AssA: Float64Array;
  DetRe: Float64Array;
  DetPr: Float64Array;
  AssRe: Float64Array;
  AssPr: Float64Array;
  LocA: Float64Array;
  OWTA: Float64Array;
  'HOTA(0)': number;
  'LocA(0)': number;
  'HOTALocA(0)': number;
}

/** TrackEval's per-alpha fields (its `float_array_fields` with the counts), reported as their mean over alpha. */
export const HOTA_ARRAY_FIELDS = ['HOTA_TP', 'HOTA_FN', 'HOTA_FP', 'HOTA', 'DetA', 'AssA', 'DetRe', 'DetPr', 'AssRe', 'AssPr', 'LocA', 'OWTA'] as const;

function emptyHota(): HotaResult {
  const r = { 'HOTA(0)': 0, 'LocA(0)': 0, 'HOTALocA(0)': 0 } as HotaResult;
  for (const f of HOTA_ARRAY_FIELDS) r[f] = new Float64Array(A);
  return r;
}

function computeFinal(r: HotaResult): HotaResult {
  for (let a = 0; a < A; a++) {
    const tp = r.HOTA_TP[a]!;
    r.DetRe[a] = tp / Math.max(1, tp + r.HOTA_FN[a]!);
    r.DetPr[a] = tp / Math.max(1, tp + r.HOTA_FP[a]!);
    r.DetA[a] = tp / Math.max(1, tp + r.HOTA_FN[a]! + r.HOTA_FP[a]!);
    r.HOTA[a] = Math.sqrt(r.DetA[a]! * r.AssA[a]!);
    r.OWTA[a] = Math.sqrt(r.DetRe[a]! * r.AssA[a]!);
  }
  r['HOTA(0)'] = r.HOTA[0]!;
  r['LocA(0)'] = r.LocA[0]!;
  r['HOTALocA(0)'] = r['HOTA(0)'] * r['LocA(0)'];
  return r;
}

/** `sum(all[k][field] * all[k][weight]) / max(1, combined[weight])` per α (TrackEval `_combine_weighted_av`). */
function weightedAverage(all: HotaResult[], field: 'AssA' | 'AssRe' | 'AssPr', weights: Float64Array): Float64Array {
  const out = new Float64Array(A);
  for (const r of all) for (let a = 0; a < A; a++) out[a] = out[a]! + r[field][a]! * r.HOTA_TP[a]!;
  for (let a = 0; a < A; a++) out[a] = out[a]! / Math.max(1, weights[a]!);
  return out;
}

function combineDetAveraged(all: HotaResult[]): HotaResult {
  const res = emptyHota();
  res.HOTA_TP = sumArrays(all.map((r) => r.HOTA_TP), A);
  res.HOTA_FN = sumArrays(all.map((r) => r.HOTA_FN), A);
  res.HOTA_FP = sumArrays(all.map((r) => r.HOTA_FP), A);
  res.AssRe = weightedAverage(all, 'AssRe', res.HOTA_TP);
  res.AssPr = weightedAverage(all, 'AssPr', res.HOTA_TP);
  res.AssA = weightedAverage(all, 'AssA', res.HOTA_TP);
  const locaWeighted = new Float64Array(A);
  for (const r of all) for (let a = 0; a < A; a++) locaWeighted[a] = locaWeighted[a]! + r.LocA[a]! * r.HOTA_TP[a]!;
  for (let a = 0; a < A; a++) res.LocA[a] = Math.max(1e-10, locaWeighted[a]!) / Math.max(1e-10, res.HOTA_TP[a]!);
  return computeFinal(res);
}

/** HOTA's state over one sequence (ids 0..nG-1 and 0..nT-1), and per-frame scratch sized for the busiest frame. */
class HotaWork {
  /** `[nG*nT]` pass 1: the alignment potential; then the alignment score itself. */
  readonly potential: Float64Array;
  readonly gtIdCount: Float64Array;
  readonly trIdCount: Float64Array;
  readonly colSum: Float64Array;
  readonly rowSum: Float64Array;
  /** The frame's scores, on the sequence's IoU entries. */
  readonly scores: SparseScores;
  readonly matchRows: Int32Array;
  readonly matchCols: Int32Array;
  readonly matchEntries: Int32Array;
  /** `gtId * nT + trackerId` → per-α match counts. */
  readonly matches = new Map<number, Float64Array>();
  readonly locSum = new Float64Array(A);
  readonly locAt = new Float64Array(A);
  readonly numAt = new Int32Array(A);
  constructor(
    data: MotSequenceData,
    nG: number,
    readonly nT: number,
    maxG: number,
    maxT: number,
  ) {
    this.potential = new Float64Array(nG * nT);
    this.gtIdCount = new Float64Array(nG);
    this.trIdCount = new Float64Array(nT);
    this.colSum = new Float64Array(maxT);
    this.rowSum = new Float64Array(maxG);
    this.scores = { start: data.simStart, col: data.simCol, score: new Float64Array(data.simIou.length) };
    this.matchRows = new Int32Array(Math.min(maxG, maxT));
    this.matchCols = new Int32Array(Math.min(maxG, maxT));
    this.matchEntries = new Int32Array(Math.min(maxG, maxT));
  }
}

/** Pass 1, one frame: each box pair's IoU over its row and column sums adds to its id pair's potential. */
function addAlignmentPotential(data: MotSequenceData, t: number, w: HotaWork): void {
  const g0 = data.gtStart[t]!;
  const nGt = data.gtStart[t + 1]! - g0;
  const t0 = data.trackerStart[t]!;
  const nTr = data.trackerStart[t + 1]! - t0;
  const { gtIds, trackerIds, simStart, simCol, simIou } = data;
  const { colSum, rowSum, potential, nT } = w;
  // Only the non-zero IoUs: zeros add nothing to a sum or to the potential (same sums, same order).
  colSum.fill(0, 0, nTr);
  for (let a = 0; a < nGt; a++) {
    let r = 0;
    const end = simStart[g0 + a + 1]!;
    for (let k = simStart[g0 + a]!; k < end; k++) {
      r += simIou[k]!;
      colSum[simCol[k]!] = colSum[simCol[k]!]! + simIou[k]!;
    }
    rowSum[a] = r;
  }
  for (let a = 0; a < nGt; a++) {
    const base = gtIds[g0 + a]! * nT;
    const end = simStart[g0 + a + 1]!;
    for (let k = simStart[g0 + a]!; k < end; k++) {
      const s = simIou[k]!;
      const b = simCol[k]!;
      const denom = colSum[b]! + rowSum[a]! - s;
      if (denom > EPS) {
        const i = base + trackerIds[t0 + b]!;
        potential[i] = potential[i]! + s / denom;
      }
    }
  }
  for (let a = 0; a < nGt; a++) w.gtIdCount[gtIds[g0 + a]!]!++;
  for (let b = 0; b < nTr; b++) w.trIdCount[trackerIds[t0 + b]!]!++;
}

/** Pass 2, one frame: the assignment maximising alignment × IoU, counted at every α each match reaches. */
function countFrameMatches(data: MotSequenceData, t: number, alignment: Float64Array, w: HotaWork, res: HotaResult): void {
  const g0 = data.gtStart[t]!;
  const nGt = data.gtStart[t + 1]! - g0;
  const t0 = data.trackerStart[t]!;
  const nTr = data.trackerStart[t + 1]! - t0;
  if (nGt === 0 || nTr === 0) {
    for (let a = 0; a < A; a++) {
      res.HOTA_FP[a] = res.HOTA_FP[a]! + nTr;
      res.HOTA_FN[a] = res.HOTA_FN[a]! + nGt;
    }
    return;
  }
  const { nT, numAt, locAt, locSum, matches, matchRows, matchCols, matchEntries, scores } = w;
  const { gtIds, trackerIds, simStart, simCol, simIou } = data;
  // Scores alignment × IoU on the frame's non-zero IoUs: pairs of zero IoU never count at any α.
  for (let a = 0; a < nGt; a++) {
    const base = gtIds[g0 + a]! * nT;
    for (let k = simStart[g0 + a]!; k < simStart[g0 + a + 1]!; k++) scores.score[k] = alignment[base + trackerIds[t0 + simCol[k]!]!]! * simIou[k]!;
  }
  const matched = matchPositiveSparse(scores, g0, nGt, nTr, matchRows, matchCols, matchEntries);
  // A match counts at every α ≤ its IoU (+eps): walk the matches once, not once per α.
  numAt.fill(0);
  for (let k = 0; k < matched; k++) {
    const s = simIou[matchEntries[k]!]!;
    let upTo = 0;
    while (upTo < A && s >= HOTA_ALPHAS[upTo]! - EPS) upTo++;
    if (upTo === 0) continue;
    const key = gtIds[g0 + matchRows[k]!]! * nT + trackerIds[t0 + matchCols[k]!]!;
    let m = matches.get(key);
    if (m === undefined) {
      m = new Float64Array(A);
      matches.set(key, m);
    }
    for (let ai = 0; ai < upTo; ai++) {
      m[ai] = m[ai]! + 1;
      numAt[ai]!++;
      locAt[ai] = locAt[ai]! + s;
    }
  }
  for (let ai = 0; ai < A; ai++) {
    const num = numAt[ai]!;
    res.HOTA_TP[ai] = res.HOTA_TP[ai]! + num;
    res.HOTA_FN[ai] = res.HOTA_FN[ai]! + nGt - num;
    res.HOTA_FP[ai] = res.HOTA_FP[ai]! + nTr - num;
    // TrackEval adds each frame's sum of matched IoUs.
    if (num > 0) locSum[ai] = locSum[ai]! + locAt[ai]!;
    locAt[ai] = 0;
  }
}

/** The global alignment score of each id pair from its potential (in place: `potential` becomes the scores). */
function alignmentScores(w: HotaWork): Float64Array {
  const { potential, gtIdCount, trIdCount, nT } = w;
  const nG = gtIdCount.length;
  for (let i = 0; i < nG; i++) {
    for (let j = 0; j < nT; j++) {
      const p = potential[i * nT + j]!;
      potential[i * nT + j] = p / (gtIdCount[i]! + trIdCount[j]! - p);
    }
  }
  return potential;
}

/** Association (AssA, AssRe, AssPr) and localisation (LocA) per α, averaged over the matched detections. */
function associationScores(w: HotaWork, res: HotaResult): void {
  const { matches, locSum, gtIdCount, trIdCount, nT } = w;
  const assA = new Float64Array(A);
  const assRe = new Float64Array(A);
  const assPr = new Float64Array(A);
  for (const [key, m] of matches) {
    const gi = Math.floor(key / nT);
    const ti = key - gi * nT;
    const gc = gtIdCount[gi]!;
    const tc = trIdCount[ti]!;
    for (let a = 0; a < A; a++) {
      const mc = m[a]!;
      if (mc === 0) continue;
      assA[a] = assA[a]! + mc * (mc / Math.max(1, gc + tc - mc));
      assRe[a] = assRe[a]! + mc * (mc / Math.max(1, gc));
      assPr[a] = assPr[a]! + mc * (mc / Math.max(1, tc));
    }
  }
  for (let a = 0; a < A; a++) {
    const tp = Math.max(1, res.HOTA_TP[a]!);
    res.AssA[a] = assA[a]! / tp;
    res.AssRe[a] = assRe[a]! / tp;
    res.AssPr[a] = assPr[a]! / tp;
    res.LocA[a] = Math.max(1e-10, locSum[a]!) / Math.max(1e-10, res.HOTA_TP[a]!);
  }
}

/**
 * HOTA: J. Luiten et al., "HOTA: A Higher Order Metric for Evaluating Multi-Object Tracking", IJCV 2021
 * (https://link.springer.com/article/10.1007/s11263-020-01375-2). Port of TrackEval's `HOTA`
 * (https://github.com/JonathonLuiten/TrackEval/blob/master/trackeval/metrics/hota.py): per frame an optimal
 * assignment maximising (global id alignment × IoU), then detection, association and localisation accuracy at
 * each α; the table values are the means over α.
 */
export class Hota implements SequenceMetric<MotSequenceData, HotaResult> {
  readonly name = 'HOTA';

  evalSequence(data: MotSequenceData): HotaResult {
    const res = emptyHota();
    if (data.numTrackerDets === 0) {
      res.HOTA_FN.fill(data.numGtDets);
      res.LocA.fill(1);
      res['LocA(0)'] = 1;
      return res;
    }
    if (data.numGtDets === 0) {
      res.HOTA_FP.fill(data.numTrackerDets);
      res.LocA.fill(1);
      res['LocA(0)'] = 1;
      return res;
    }
    const nG = data.numGtIds;
    const nT = data.numTrackerIds;
    const { maxG, maxT } = maxFrameSizes(data);
    const work = new HotaWork(data, nG, nT, maxG, maxT);

    // Pass 1: global (soft) alignment between ids, weighted by how uniquely boxes overlap.
    for (let t = 0; t < data.numTimesteps; t++) addAlignmentPotential(data, t, work);
    const alignment = alignmentScores(work);

    // Pass 2: per-frame matching and per-α counts. Matches per id pair are kept sparse.
    for (let t = 0; t < data.numTimesteps; t++) countFrameMatches(data, t, alignment, work, res);
    associationScores(work, res);
    return computeFinal(res);
  }

  combineSequences(all: Record<string, HotaResult>): HotaResult {
    return combineDetAveraged(Object.values(all));
  }

  combineClassesDetAveraged(all: Record<string, HotaResult>): HotaResult {
    return combineDetAveraged(Object.values(all));
  }

  combineClassesClassAveraged(all: Record<string, HotaResult>): HotaResult {
    const present = Object.values(all).filter((r) => {
      for (let a = 0; a < A; a++) if (r.HOTA_TP[a]! + r.HOTA_FN[a]! + r.HOTA_FP[a]! > EPS) return true;
      return false;
    });
    const res = emptyHota();
    for (const f of HOTA_ARRAY_FIELDS) {
      if (f === 'HOTA_TP' || f === 'HOTA_FN' || f === 'HOTA_FP') res[f] = sumArrays(present.map((r) => r[f]), A);
      else for (let a = 0; a < A; a++) res[f][a] = mean(present.map((r) => r[f][a]!));
    }
    for (const f of ['HOTA(0)', 'LocA(0)', 'HOTALocA(0)'] as const) res[f] = mean(present.map((r) => r[f]));
    return res;
  }

  /** α-averaged values, as TrackEval's tables print them. */
  summary(r: HotaResult): Record<string, number> {
    return {
      HOTA: mean(r.HOTA),
      DetA: mean(r.DetA),
      AssA: mean(r.AssA),
      DetRe: mean(r.DetRe),
      DetPr: mean(r.DetPr),
      AssRe: mean(r.AssRe),
      AssPr: mean(r.AssPr),
      LocA: mean(r.LocA),
      'HOTA(0)': r['HOTA(0)'],
      'LocA(0)': r['LocA(0)'],
      'HOTALocA(0)': r['HOTALocA(0)'],
    };
  }
}
