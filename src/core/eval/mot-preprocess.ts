import { MOT_CLASSES, type MotRows } from '../datasets/mot-challenge.ts';
import { boxIouXywh } from './box-iou.ts';
import { linearSumAssignment } from './linear-assignment.ts';
import { EPS } from './metric.ts';

/**
 * One sequence ready for the MOT metrics, as TrackEval's `get_preprocessed_seq_data` returns it: per timestep the
 * gt and tracker ids (relabelled to 0..n-1) and their IoU matrix.
 */
export interface MotSequenceData {
  seq: string;
  numTimesteps: number;
  numGtIds: number;
  numTrackerIds: number;
  numGtDets: number;
  numTrackerDets: number;
  /** `[t]` → `[nGt_t]` contiguous gt ids. */
  gtIds: Int32Array[];
  /** `[t]` → `[nTr_t]` contiguous tracker ids. */
  trackerIds: Int32Array[];
  /** `[t]` → row-major `[nGt_t * nTr_t]` IoU of gt (rows) and tracker (columns) boxes. */
  similarity: Float64Array[];
  /** `[t]` → `[nGt_t*4]` gt boxes `x,y,w,h` (for the app's drawings). */
  gtBoxes?: Float64Array[];
}

export interface MotPreprocessOptions {
  /** `MOT15` has no classes: only zero-marked boxes are dropped. `MOT20` also treats non_mot_vehicle as a distractor. */
  benchmark?: string;
  /** TrackEval's DO_PREPROC (default true). */
  doPreproc?: boolean;
}

/** An input problem TrackEval also rejects (duplicate ids in a frame...). */
export class MotDataError extends Error {
  override name = 'MotDataError';
}

function groupByFrame(rows: MotRows, numTimesteps: number): Int32Array[] {
  const counts = new Int32Array(numTimesteps + 1);
  for (let i = 0; i < rows.count; i++) {
    const f = rows.frame[i]!;
    if (f >= 1 && f <= numTimesteps) counts[f]!++;
  }
  const out: Int32Array[] = [];
  const fill = new Int32Array(numTimesteps + 1);
  for (let t = 1; t <= numTimesteps; t++) out.push(new Int32Array(counts[t]!));
  for (let i = 0; i < rows.count; i++) {
    const f = rows.frame[i]!;
    if (f >= 1 && f <= numTimesteps) out[f - 1]![fill[f]!++] = i;
  }
  return out;
}

function checkUnique(ids: ArrayLike<number>, what: string, seq: string, t: number): void {
  const seen = new Set<number>();
  for (let k = 0; k < ids.length; k++) {
    if (seen.has(ids[k]!)) throw new MotDataError(`${what} has id ${ids[k]} twice in frame ${t + 1} of sequence ${seq} (ids must be unique per frame)`);
    seen.add(ids[k]!);
  }
}

/**
 * TrackEval's MotChallenge2DBox pre-processing for the pedestrian class
 * (https://github.com/JonathonLuiten/TrackEval/blob/master/trackeval/datasets/mot_challenge_2d_box.py):
 * 1. tracker boxes are matched to all gt boxes (IoU ≥ 0.5, optimal assignment); those matched to a distractor
 *    class (person_on_vehicle, static_person, distractor, reflection; + non_mot_vehicle for MOT20) are removed;
 * 2. gt boxes that are zero-marked or not pedestrians are removed;
 * 3. ids are relabelled to be contiguous.
 * @param gt gt rows; @param tracker tracker rows; @param numTimesteps `seqLength` from seqinfo.ini.
 */
export function preprocessMotSequence(seq: string, gt: MotRows, tracker: MotRows, numTimesteps: number, options: MotPreprocessOptions = {}): MotSequenceData {
  const benchmark = options.benchmark ?? 'MOT17';
  const doPreproc = (options.doPreproc ?? true) && benchmark !== 'MOT15';
  const distractors = new Set<number>([MOT_CLASSES.person_on_vehicle, MOT_CLASSES.static_person, MOT_CLASSES.distractor, MOT_CLASSES.reflection]);
  if (benchmark === 'MOT20') distractors.add(MOT_CLASSES.non_mot_vehicle);
  const gtByFrame = groupByFrame(gt, numTimesteps);
  const trByFrame = groupByFrame(tracker, numTimesteps);

  const gtIdsRaw: Int32Array[] = [];
  const trIdsRaw: Int32Array[] = [];
  const sims: Float64Array[] = [];
  const gtBoxesOut: Float64Array[] = [];
  const gtIdSet = new Set<number>();
  const trIdSet = new Set<number>();
  let numGtDets = 0;
  let numTrackerDets = 0;

  for (let t = 0; t < numTimesteps; t++) {
    const gi = gtByFrame[t]!;
    const ti = trByFrame[t]!;
    const gIds = Int32Array.from(gi, (i) => gt.id[i]!);
    const tIds = Int32Array.from(ti, (i) => tracker.id[i]!);
    checkUnique(gIds, 'ground truth', seq, t);
    checkUnique(tIds, 'tracker output', seq, t);
    const gBoxes = new Float64Array(gi.length * 4);
    gi.forEach((row, k) => gBoxes.set(gt.boxes.subarray(row * 4, row * 4 + 4), k * 4));
    const tBoxes = new Float64Array(ti.length * 4);
    ti.forEach((row, k) => tBoxes.set(tracker.boxes.subarray(row * 4, row * 4 + 4), k * 4));
    const nG = gi.length;
    const nT = ti.length;
    const sim = boxIouXywh(gBoxes, nG, tBoxes, nT);

    // Step 1: drop tracker boxes matched to distractor gt boxes.
    const removeTr = new Uint8Array(nT);
    if (doPreproc && nG > 0 && nT > 0) {
      for (const row of gi) {
        const c = gt.cls[row]!;
        if (c < 1 || c > 13) throw new MotDataError(`ground truth of sequence ${seq} has invalid class ${c} in frame ${t + 1} (MOTChallenge classes are 1..13)`);
      }
      const score = new Float64Array(nG * nT);
      for (let k = 0; k < score.length; k++) score[k] = sim[k]! < 0.5 - EPS ? -0 : -sim[k]!;
      const { rows, cols } = linearSumAssignment(score, nG, nT);
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        const c = cols[k]!;
        if (sim[r * nT + c]! >= 0.5 - EPS && sim[r * nT + c]! > EPS && distractors.has(gt.cls[gi[r]!]!)) removeTr[c] = 1;
      }
    }
    // Step 2: keep pedestrian, non-zero-marked gt.
    const keepG: number[] = [];
    for (let k = 0; k < nG; k++) {
      const row = gi[k]!;
      const zeroMarked = Math.trunc(gt.conf[row]!) === 0;
      if (!zeroMarked && (!doPreproc || gt.cls[row] === MOT_CLASSES.pedestrian)) keepG.push(k);
    }
    const keepT: number[] = [];
    for (let k = 0; k < nT; k++) if (!removeTr[k]) keepT.push(k);
    const s = new Float64Array(keepG.length * keepT.length);
    for (let a = 0; a < keepG.length; a++) for (let b = 0; b < keepT.length; b++) s[a * keepT.length + b] = sim[keepG[a]! * nT + keepT[b]!]!;
    const g = Int32Array.from(keepG, (k) => gIds[k]!);
    const tr = Int32Array.from(keepT, (k) => tIds[k]!);
    const gb = new Float64Array(keepG.length * 4);
    keepG.forEach((k, a) => gb.set(gBoxes.subarray(k * 4, k * 4 + 4), a * 4));
    g.forEach((id) => gtIdSet.add(id));
    tr.forEach((id) => trIdSet.add(id));
    numGtDets += g.length;
    numTrackerDets += tr.length;
    gtIdsRaw.push(g);
    trIdsRaw.push(tr);
    sims.push(s);
    gtBoxesOut.push(gb);
  }

  // Step 3: relabel ids to 0..n-1 in increasing order of the original id.
  const relabel = (set: Set<number>): Map<number, number> => new Map([...set].sort((a, b) => a - b).map((id, k) => [id, k]));
  const gMap = relabel(gtIdSet);
  const tMap = relabel(trIdSet);
  return {
    seq,
    numTimesteps,
    numGtIds: gMap.size,
    numTrackerIds: tMap.size,
    numGtDets,
    numTrackerDets,
    gtIds: gtIdsRaw.map((ids) => ids.map((id) => gMap.get(id)!)),
    trackerIds: trIdsRaw.map((ids) => ids.map((id) => tMap.get(id)!)),
    similarity: sims,
    gtBoxes: gtBoxesOut,
  };
}
