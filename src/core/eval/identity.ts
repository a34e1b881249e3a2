import { linearSumAssignment } from '../ops/linear-assignment.ts';
import { combineSum, mean, type SequenceMetric } from './metric.ts';
import type { MotSequenceData } from './mot-preprocess.ts';

/** ID metrics (TrackEval names): IDTP/IDFN/IDFP counts, IDR/IDP/IDF1 fractions. */
export interface IdentityResult {
  IDTP: number;
  IDFN: number;
  IDFP: number;
  IDR: number;
  IDP: number;
  IDF1: number;
}

function computeFinal(r: IdentityResult): IdentityResult {
  r.IDR = r.IDTP / Math.max(1, r.IDTP + r.IDFN);
  r.IDP = r.IDTP / Math.max(1, r.IDTP + r.IDFP);
  r.IDF1 = r.IDTP / Math.max(1, r.IDTP + 0.5 * r.IDFP + 0.5 * r.IDFN);
  return r;
}

const empty = (): IdentityResult => ({ IDTP: 0, IDFN: 0, IDFP: 0, IDR: 0, IDP: 0, IDF1: 0 });

/**
 * Identity metrics: E. Ristani et al., "Performance Measures and a Data Set for Multi-Target, Multi-Camera
 * Tracking", ECCV workshops 2016. Port of TrackEval's `Identity`
 * (https://github.com/JonathonLuiten/TrackEval/blob/master/trackeval/metrics/identity.py): one global optimal
 * assignment of gt ids to tracker ids (each may stay unmatched) minimising IDFN + IDFP, counting a frame as
 * matched where IoU ≥ 0.5.
 */
export class Identity implements SequenceMetric<MotSequenceData, IdentityResult> {
  readonly name = 'Identity';
  readonly threshold = 0.5;

  evalSequence(data: MotSequenceData): IdentityResult {
    const res = empty();
    if (data.numTrackerDets === 0) {
      res.IDFN = data.numGtDets;
      return res;
    }
    if (data.numGtDets === 0) {
      res.IDFP = data.numTrackerDets;
      return res;
    }
    const nG = data.numGtIds;
    const nT = data.numTrackerIds;
    // Sparse: only id pairs that overlap somewhere.
    const potential = new Map<number, number>();
    const gtIdCount = new Float64Array(nG);
    const trIdCount = new Float64Array(nT);
    const { gtIds, trackerIds, simStart, simCol, simIou } = data;
    for (let t = 0; t < data.numTimesteps; t++) {
      const t0 = data.trackerStart[t]!;
      for (let i = data.gtStart[t]!; i < data.gtStart[t + 1]!; i++) {
        const base = gtIds[i]! * nT;
        for (let k = simStart[i]!; k < simStart[i + 1]!; k++) {
          if (simIou[k]! >= this.threshold) {
            const key = base + trackerIds[t0 + simCol[k]!]!;
            potential.set(key, (potential.get(key) ?? 0) + 1);
          }
        }
      }
    }
    for (let i = 0; i < gtIds.length; i++) gtIdCount[gtIds[i]!]!++;
    for (let i = 0; i < trackerIds.length; i++) trIdCount[trackerIds[i]!]!++;
    // TrackEval solves one (nG + nT)² assignment where every gt/tracker id may also stay unmatched. Its cost is
    // sum(gt dets) + sum(tracker dets) - 2 * (matched potential), so IDFN = gt dets - M and IDFP = tracker dets
    // - M with M the largest total potential of a gt↔tracker matching: a unique value, whichever optimal
    // assignment is found. M splits over the connected components of the overlap graph, each solved exactly
    // with the same assignment solver (non-edges weigh 0 = unmatched).
    const parent = new Int32Array(nG + nT).map((_, k) => k);
    const find = (k: number): number => {
      while (parent[k] !== k) {
        parent[k] = parent[parent[k]!]!;
        k = parent[k]!;
      }
      return k;
    };
    for (const key of potential.keys()) {
      const g = Math.floor(key / nT);
      const a = find(g);
      const b = find(nG + key - g * nT);
      if (a !== b) parent[a] = b;
    }
    const comps = new Map<number, { gts: number[]; trs: number[] }>();
    for (const key of potential.keys()) {
      const g = Math.floor(key / nT);
      const root = find(g);
      if (!comps.has(root)) comps.set(root, { gts: [], trs: [] });
    }
    for (let k = 0; k < nG + nT; k++) {
      const comp = comps.get(find(k));
      if (comp) (k < nG ? comp.gts : comp.trs).push(k < nG ? k : k - nG);
    }
    let matchedPotential = 0;
    for (const { gts, trs } of comps.values()) {
      const cost = new Float64Array(gts.length * trs.length);
      gts.forEach((g, a) => trs.forEach((tr, b) => (cost[a * trs.length + b] = -(potential.get(g * nT + tr) ?? 0))));
      const { rows, cols } = linearSumAssignment(cost, gts.length, trs.length);
      for (let k = 0; k < rows.length; k++) matchedPotential -= cost[rows[k]! * trs.length + cols[k]!]!;
    }
    let gtTotal = 0;
    for (const c of gtIdCount) gtTotal += c;
    let trTotal = 0;
    for (const c of trIdCount) trTotal += c;
    res.IDFN = gtTotal - matchedPotential;
    res.IDFP = trTotal - matchedPotential;
    res.IDTP = gtTotal - res.IDFN;
    return computeFinal(res);
  }

  combineSequences(all: Record<string, IdentityResult>): IdentityResult {
    const res = empty();
    res.IDTP = combineSum(all, (r) => r.IDTP);
    res.IDFN = combineSum(all, (r) => r.IDFN);
    res.IDFP = combineSum(all, (r) => r.IDFP);
    return computeFinal(res);
  }

  combineClassesDetAveraged(all: Record<string, IdentityResult>): IdentityResult {
    return this.combineSequences(all);
  }

  combineClassesClassAveraged(all: Record<string, IdentityResult>): IdentityResult {
    const present = Object.values(all).filter((r) => r.IDTP + r.IDFN + r.IDFP > 0);
    return {
      IDTP: present.reduce((s, r) => s + r.IDTP, 0),
      IDFN: present.reduce((s, r) => s + r.IDFN, 0),
      IDFP: present.reduce((s, r) => s + r.IDFP, 0),
      IDR: mean(present.map((r) => r.IDR)),
      IDP: mean(present.map((r) => r.IDP)),
      IDF1: mean(present.map((r) => r.IDF1)),
    };
  }

  summary(r: IdentityResult): Record<string, number> {
    return { IDF1: r.IDF1, IDP: r.IDP, IDR: r.IDR, IDTP: r.IDTP, IDFN: r.IDFN, IDFP: r.IDFP };
  }
}
