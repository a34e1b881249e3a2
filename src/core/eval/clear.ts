import { matchPositiveSparse, type SparseScores } from '../ops/linear-assignment.ts';
import { combineSum, EPS, mean, type SequenceMetric } from './metric.ts';
import { maxFrameSizes, type MotSequenceData } from './mot-preprocess.ts';

/** CLEAR MOT fields (TrackEval names). Counts are integers; ratios are fractions. */
export interface ClearResult {
  CLR_TP: number;
  CLR_FN: number;
  CLR_FP: number;
  IDSW: number;
  MT: number;
  PT: number;
  ML: number;
  Frag: number;
  CLR_Frames: number;
  MOTP_sum: number;
  MOTA: number;
  MOTP: number;
  MODA: number;
  CLR_Re: number;
  CLR_Pr: number;
  MTR: number;
  PTR: number;
  MLR: number;
  sMOTA: number;
  CLR_F1: number;
  FP_per_frame: number;
  MOTAL: number;
}

/** TrackEval's CLEAR fields: counts, then fractions (its `integer_fields` and `float_fields`). */
export const CLEAR_INTEGER_FIELDS = ['CLR_TP', 'CLR_FN', 'CLR_FP', 'IDSW', 'MT', 'PT', 'ML', 'Frag', 'CLR_Frames'] as const;
export const CLEAR_FLOAT_FIELDS = ['MOTA', 'MOTP', 'MODA', 'CLR_Re', 'CLR_Pr', 'MTR', 'PTR', 'MLR', 'sMOTA', 'CLR_F1', 'FP_per_frame', 'MOTAL', 'MOTP_sum'] as const;

function emptyClear(): ClearResult {
  const r = {} as ClearResult;
  for (const f of [...CLEAR_INTEGER_FIELDS, ...CLEAR_FLOAT_FIELDS]) r[f] = 0;
  return r;
}

/** Derived CLEAR fields from the counts (TrackEval `CLEAR._compute_final_fields`). */
function computeFinal(r: ClearResult): ClearResult {
  const numGtIds = r.MT + r.ML + r.PT;
  r.MTR = r.MT / Math.max(1, numGtIds);
  r.MLR = r.ML / Math.max(1, numGtIds);
  r.PTR = r.PT / Math.max(1, numGtIds);
  r.CLR_Re = r.CLR_TP / Math.max(1, r.CLR_TP + r.CLR_FN);
  r.CLR_Pr = r.CLR_TP / Math.max(1, r.CLR_TP + r.CLR_FP);
  r.MODA = (r.CLR_TP - r.CLR_FP) / Math.max(1, r.CLR_TP + r.CLR_FN);
  r.MOTA = (r.CLR_TP - r.CLR_FP - r.IDSW) / Math.max(1, r.CLR_TP + r.CLR_FN);
  r.MOTP = r.MOTP_sum / Math.max(1, r.CLR_TP);
  r.sMOTA = (r.MOTP_sum - r.CLR_FP - r.IDSW) / Math.max(1, r.CLR_TP + r.CLR_FN);
  r.CLR_F1 = r.CLR_TP / Math.max(1, r.CLR_TP + 0.5 * r.CLR_FN + 0.5 * r.CLR_FP);
  r.FP_per_frame = r.CLR_FP / Math.max(1, r.CLR_Frames);
  const safeLogIdsw = r.IDSW > 0 ? Math.log10(r.IDSW) : r.IDSW;
  r.MOTAL = (r.CLR_TP - r.CLR_FP - safeLogIdsw) / Math.max(1, r.CLR_TP + r.CLR_FN);
  return r;
}

/** CLEAR's state over one sequence (gt ids 0..n-1), and per-frame scratch sized for the busiest frame. */
class ClearWork {
  readonly gtIdCount: Float64Array;
  readonly gtMatchedCount: Float64Array;
  readonly gtFragCount: Float64Array;
  /**
   * IDSW is scored against the last tracker id a gt had (any time before); matching continuity only looks at the
   * previous timestep. -1 plays numpy's NaN.
   */
  readonly prevTrackerId: Int32Array;
  readonly prevTimestepTrackerId: Int32Array;
  /** The gt ids matched in the previous matched timestep (the entries of prevTimestepTrackerId that are set). */
  readonly prevMatched: Int32Array;
  prevMatchedCount = 0;
  /** The frame's scores, on the sequence's IoU entries. */
  readonly scores: SparseScores;
  readonly matchRows: Int32Array;
  readonly matchCols: Int32Array;
  readonly matchEntries: Int32Array;
  readonly matchedNow: Int32Array;
  readonly matchedNowTracker: Int32Array;
  constructor(data: MotSequenceData, n: number, maxG: number, maxT: number) {
    this.gtIdCount = new Float64Array(n);
    this.gtMatchedCount = new Float64Array(n);
    this.gtFragCount = new Float64Array(n);
    this.prevTrackerId = new Int32Array(n).fill(-1);
    this.prevTimestepTrackerId = new Int32Array(n).fill(-1);
    this.prevMatched = new Int32Array(Math.min(maxG, maxT));
    this.scores = { start: data.simStart, col: data.simCol, score: new Float64Array(data.simIou.length) };
    this.matchEntries = new Int32Array(Math.min(maxG, maxT));
    this.matchRows = new Int32Array(Math.min(maxG, maxT));
    this.matchCols = new Int32Array(Math.min(maxG, maxT));
    this.matchedNow = new Int32Array(Math.min(maxG, maxT));
    this.matchedNowTracker = new Int32Array(Math.min(maxG, maxT));
  }
}

/** One frame of CLEAR: the assignment that keeps last frame's matches first, then the counts it changes. */
function clearFrame(data: MotSequenceData, t: number, threshold: number, w: ClearWork, res: ClearResult): void {
  const g0 = data.gtStart[t]!;
  const nG = data.gtStart[t + 1]! - g0;
  const t0 = data.trackerStart[t]!;
  const nT = data.trackerStart[t + 1]! - t0;
  if (nG === 0) {
    res.CLR_FP += nT;
    return;
  }
  if (nT === 0) {
    res.CLR_FN += nG;
    for (let a = 0; a < nG; a++) w.gtIdCount[data.gtIds[g0 + a]!]!++;
    return;
  }
  const { scores, prevTimestepTrackerId, prevTrackerId, matchRows, matchCols, matchEntries, matchedNow, matchedNowTracker } = w;
  const { simStart, simCol, simIou } = data;
  // Scores (TrackEval's score_mat) on the frame's non-zero IoUs; the assignment maximises them.
  const score = scores.score;
  for (let a = 0; a < nG; a++) {
    const prev = prevTimestepTrackerId[data.gtIds[g0 + a]!]!;
    for (let k = simStart[g0 + a]!; k < simStart[g0 + a + 1]!; k++) {
      const s = simIou[k]!;
      score[k] = s < threshold - EPS ? 0 : (prev === data.trackerIds[t0 + simCol[k]!] ? 1000 : 0) + s;
    }
  }
  const matched = matchPositiveSparse(scores, g0, nG, nT, matchRows, matchCols, matchEntries);
  let numMatches = 0;
  for (let k = 0; k < matched; k++) {
    const a = matchRows[k]!;
    const b = matchCols[k]!;
    const e = matchEntries[k]!;
    if (!(score[e]! > EPS)) continue;
    const gid = data.gtIds[g0 + a]!;
    const tid = data.trackerIds[t0 + b]!;
    const prev = prevTrackerId[gid]!;
    if (prev !== -1 && prev !== tid) res.IDSW++;
    w.gtMatchedCount[gid]!++;
    prevTrackerId[gid] = tid;
    // A gt matched now and not in the previous timestep starts a fragment.
    if (prevTimestepTrackerId[gid] === -1) w.gtFragCount[gid]!++;
    matchedNow[numMatches] = gid;
    matchedNowTracker[numMatches++] = tid;
    res.MOTP_sum += simIou[e]!;
  }
  for (let a = 0; a < nG; a++) w.gtIdCount[data.gtIds[g0 + a]!]!++;
  // This timestep's matches replace the previous one's (only the entries that were set are cleared).
  for (let k = 0; k < w.prevMatchedCount; k++) prevTimestepTrackerId[w.prevMatched[k]!] = -1;
  for (let k = 0; k < numMatches; k++) {
    prevTimestepTrackerId[matchedNow[k]!] = matchedNowTracker[k]!;
    w.prevMatched[k] = matchedNow[k]!;
  }
  w.prevMatchedCount = numMatches;
  res.CLR_TP += numMatches;
  res.CLR_FN += nG - numMatches;
  res.CLR_FP += nT - numMatches;
}

/**
 * CLEAR MOT metrics (MOTA, MOTP, IDSW, Frag, MT/PT/ML...): K. Bernardin, R. Stiefelhagen, "Evaluating Multiple
 * Object Tracking Performance: The CLEAR MOT Metrics", EURASIP JIVP 2008. Port of TrackEval's `CLEAR`
 * (https://github.com/JonathonLuiten/TrackEval/blob/master/trackeval/metrics/clear.py): per frame, an optimal
 * assignment at IoU ≥ 0.5 that first keeps the previous frame's matches (score +1000), then maximises IoU.
 */
export class Clear implements SequenceMetric<MotSequenceData, ClearResult> {
  readonly name = 'CLEAR';
  readonly threshold = 0.5;

  evalSequence(data: MotSequenceData): ClearResult {
    const res = emptyClear();
    if (data.numTrackerDets === 0) {
      res.CLR_FN = data.numGtDets;
      res.ML = data.numGtIds;
      res.MLR = 1;
      return res;
    }
    if (data.numGtDets === 0) {
      res.CLR_FP = data.numTrackerDets;
      res.MLR = 1;
      return res;
    }
    const n = data.numGtIds;
    const { maxG, maxT } = maxFrameSizes(data);
    const work = new ClearWork(data, n, maxG, maxT);
    for (let t = 0; t < data.numTimesteps; t++) clearFrame(data, t, this.threshold, work, res);
    const { gtIdCount, gtMatchedCount, gtFragCount } = work;
    for (let id = 0; id < n; id++) {
      if (gtIdCount[id]! > 0) {
        const ratio = gtMatchedCount[id]! / gtIdCount[id]!;
        if (ratio > 0.8) res.MT++;
        if (ratio >= 0.2) res.PT++;
      }
      if (gtFragCount[id]! > 0) res.Frag += gtFragCount[id]! - 1;
    }
    res.PT -= res.MT;
    res.ML = n - res.MT - res.PT;
    res.CLR_Frames = data.numTimesteps;
    return computeFinal(res);
  }

  combineSequences(all: Record<string, ClearResult>): ClearResult {
    const res = emptyClear();
    for (const f of [...CLEAR_INTEGER_FIELDS, 'MOTP_sum'] as const) res[f] = combineSum(all, (r) => r[f]);
    return computeFinal(res);
  }

  combineClassesDetAveraged(all: Record<string, ClearResult>): ClearResult {
    return this.combineSequences(all);
  }

  combineClassesClassAveraged(all: Record<string, ClearResult>): ClearResult {
    const present = Object.values(all).filter((r) => r.CLR_TP + r.CLR_FN + r.CLR_FP > 0);
    const res = emptyClear();
    for (const f of CLEAR_INTEGER_FIELDS) res[f] = present.reduce((s, r) => s + r[f], 0);
    for (const f of CLEAR_FLOAT_FIELDS) res[f] = mean(present.map((r) => r[f]));
    return res;
  }

  summary(r: ClearResult): Record<string, number> {
    return { MOTA: r.MOTA, MOTP: r.MOTP, MODA: r.MODA, IDSW: r.IDSW, Frag: r.Frag, MT: r.MT, PT: r.PT, ML: r.ML, FP: r.CLR_FP, FN: r.CLR_FN, TP: r.CLR_TP };
  }
}
