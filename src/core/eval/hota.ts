import { matchPositive } from '../ops/linear-assignment.ts';
import { EPS, mean, sumArrays, type SequenceMetric } from './metric.ts';
import type { MotSequenceData } from './mot-preprocess.ts';

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
    const potential = new Float64Array(nG * nT);
    const gtIdCount = new Float64Array(nG);
    const trIdCount = new Float64Array(nT);

    let maxG = 0;
    let maxT = 0;
    for (let t = 0; t < data.numTimesteps; t++) {
      maxG = Math.max(maxG, data.gtIds[t]!.length);
      maxT = Math.max(maxT, data.trackerIds[t]!.length);
    }
    const colSumBuf = new Float64Array(maxT);
    const rowSumBuf = new Float64Array(maxG);
    const costBuf = new Float64Array(maxG * maxT);

    // Pass 1: global (soft) alignment between ids, weighted by how uniquely boxes overlap.
    for (let t = 0; t < data.numTimesteps; t++) {
      const g = data.gtIds[t]!;
      const tr = data.trackerIds[t]!;
      const sim = data.similarity[t]!;
      const nGt = g.length;
      const nTr = tr.length;
      const colSum = colSumBuf.fill(0, 0, nTr);
      const rowSum = rowSumBuf.fill(0, 0, nGt);
      for (let a = 0; a < nGt; a++) {
        for (let b = 0; b < nTr; b++) {
          const s = sim[a * nTr + b]!;
          rowSum[a] = rowSum[a]! + s;
          colSum[b] = colSum[b]! + s;
        }
      }
      for (let a = 0; a < nGt; a++) {
        for (let b = 0; b < nTr; b++) {
          const s = sim[a * nTr + b]!;
          const denom = colSum[b]! + rowSum[a]! - s;
          if (denom > EPS) {
            const k = g[a]! * nT + tr[b]!;
            potential[k] = potential[k]! + s / denom;
          }
        }
      }
      for (const id of g) gtIdCount[id]!++;
      for (const id of tr) trIdCount[id]!++;
    }
    const alignment = new Float64Array(nG * nT);
    for (let i = 0; i < nG; i++) {
      for (let j = 0; j < nT; j++) {
        const p = potential[i * nT + j]!;
        alignment[i * nT + j] = p / (gtIdCount[i]! + trIdCount[j]! - p);
      }
    }

    // Pass 2: per-frame matching and per-α counts. Matches per id pair are kept sparse.
    const matches = new Map<number, Float64Array>();
    const locSum = new Float64Array(A);
    const locAt = new Float64Array(A);
    const numAt = new Int32Array(A);
    for (let t = 0; t < data.numTimesteps; t++) {
      const g = data.gtIds[t]!;
      const tr = data.trackerIds[t]!;
      if (g.length === 0) {
        for (let a = 0; a < A; a++) res.HOTA_FP[a] = res.HOTA_FP[a]! + tr.length;
        continue;
      }
      if (tr.length === 0) {
        for (let a = 0; a < A; a++) res.HOTA_FN[a] = res.HOTA_FN[a]! + g.length;
        continue;
      }
      const sim = data.similarity[t]!;
      const nGt = g.length;
      const nTr = tr.length;
      const cost = costBuf.subarray(0, nGt * nTr);
      for (let a = 0; a < nGt; a++) {
        for (let b = 0; b < nTr; b++) cost[a * nTr + b] = alignment[g[a]! * nT + tr[b]!]! * sim[a * nTr + b]!;
      }
      // Pairs of zero score have zero IoU and never count at any α, so only positive pairs are needed.
      const { rows, cols } = matchPositive(cost, nGt, nTr);
      // A match counts at every α ≤ its IoU (+eps): walk the matches once, not once per α.
      numAt.fill(0);
      for (let k = 0; k < rows.length; k++) {
        const s = sim[rows[k]! * nTr + cols[k]!]!;
        let upTo = 0;
        while (upTo < A && s >= HOTA_ALPHAS[upTo]! - EPS) upTo++;
        if (upTo === 0) continue;
        const key = g[rows[k]!]! * nT + tr[cols[k]!]!;
        let m = matches.get(key);
        if (!m) {
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

    // Association scores per α: averaged over matched detections.
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
