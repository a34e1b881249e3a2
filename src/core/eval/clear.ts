import { matchPositive } from '../ops/linear-assignment.ts';
import { combineSum, EPS, mean, type SequenceMetric } from './metric.ts';
import type { MotSequenceData } from './mot-preprocess.ts';

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
    const gtIdCount = new Float64Array(n);
    const gtMatchedCount = new Float64Array(n);
    const gtFragCount = new Float64Array(n);
    // IDSW is scored against the last tracker id a gt had (any time before); matching continuity only looks at
    // the previous timestep. -1 plays numpy's NaN.
    const prevTrackerId = new Int32Array(n).fill(-1);
    let prevTimestepTrackerId = new Int32Array(n).fill(-1);
    let nextTimestep = new Int32Array(n);

    let maxCells = 0;
    for (let t = 0; t < data.numTimesteps; t++) maxCells = Math.max(maxCells, data.gtIds[t]!.length * data.trackerIds[t]!.length);
    const costBuf = new Float64Array(maxCells);
    for (let t = 0; t < data.numTimesteps; t++) {
      const g = data.gtIds[t]!;
      const tr = data.trackerIds[t]!;
      if (g.length === 0) {
        res.CLR_FP += tr.length;
        continue;
      }
      if (tr.length === 0) {
        res.CLR_FN += g.length;
        for (const id of g) gtIdCount[id]!++;
        continue;
      }
      const sim = data.similarity[t]!;
      const nG = g.length;
      const nT = tr.length;
      // Scores (TrackEval's score_mat); the assignment maximises them.
      const cost = costBuf.subarray(0, nG * nT);
      for (let a = 0; a < nG; a++) {
        const prev = prevTimestepTrackerId[g[a]!]!;
        for (let b = 0; b < nT; b++) {
          const s = sim[a * nT + b]!;
          cost[a * nT + b] = s < this.threshold - EPS ? 0 : (prev === tr[b] ? 1000 : 0) + s;
        }
      }
      const { rows, cols } = matchPositive(cost, nG, nT);
      nextTimestep.fill(-1);
      let numMatches = 0;
      for (let k = 0; k < rows.length; k++) {
        const a = rows[k]!;
        const b = cols[k]!;
        if (!(cost[a * nT + b]! > EPS)) continue;
        numMatches++;
        const gid = g[a]!;
        const tid = tr[b]!;
        const prev = prevTrackerId[gid]!;
        if (prev !== -1 && prev !== tid) res.IDSW++;
        gtMatchedCount[gid]!++;
        prevTrackerId[gid] = tid;
        nextTimestep[gid] = tid;
        res.MOTP_sum += sim[a * nT + b]!;
      }
      for (const id of g) gtIdCount[id]!++;
      for (let id = 0; id < n; id++) if (prevTimestepTrackerId[id] === -1 && nextTimestep[id] !== -1) gtFragCount[id]!++;
      [prevTimestepTrackerId, nextTimestep] = [nextTimestep, prevTimestepTrackerId];
      res.CLR_TP += numMatches;
      res.CLR_FN += nG - numMatches;
      res.CLR_FP += nT - numMatches;
    }
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
