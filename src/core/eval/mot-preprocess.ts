import { MOT_CLASSES, type MotRows } from '../datasets/mot-challenge.ts';
import { boxIouXywh } from './box-iou.ts';
import { matchPositive } from '../ops/linear-assignment.ts';
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

function checkUnique(ids: Int32Array, what: string, seq: string, t: number): void {
  // Frames hold tens of boxes: a pairwise scan beats a Set.
  for (let a = 1; a < ids.length; a++) {
    for (let b = 0; b < a; b++) {
      if (ids[a] === ids[b]) throw new MotDataError(`${what} has id ${ids[a]} twice in frame ${t + 1} of sequence ${seq} (ids must be unique per frame)`);
    }
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

  // Per-frame temporaries, sized for the busiest frame.
  let maxG = 0;
  let maxT = 0;
  for (let t = 0; t < numTimesteps; t++) {
    maxG = Math.max(maxG, gtByFrame[t]!.length);
    maxT = Math.max(maxT, trByFrame[t]!.length);
  }
  const gIdsBuf = new Int32Array(maxG);
  const gBoxesBuf = new Float64Array(maxG * 4);
  const tIdsBuf = new Int32Array(maxT);
  const tBoxesBuf = new Float64Array(maxT * 4);
  const simBuf = new Float64Array(maxG * maxT);
  const scoreBuf = new Float64Array(maxG * maxT);
  const removeBuf = new Uint8Array(maxT);
  const keepGBuf = new Int32Array(maxG);
  const keepTBuf = new Int32Array(maxT);

  for (let t = 0; t < numTimesteps; t++) {
    const gi = gtByFrame[t]!;
    const ti = trByFrame[t]!;
    const nG = gi.length;
    const nT = ti.length;
    const gIds = gIdsBuf.subarray(0, nG);
    const gBoxes = gBoxesBuf.subarray(0, nG * 4);
    for (let k = 0; k < nG; k++) {
      const row = gi[k]!;
      gIds[k] = gt.id[row]!;
      for (let c = 0; c < 4; c++) gBoxes[k * 4 + c] = gt.boxes[row * 4 + c]!;
    }
    const tIds = tIdsBuf.subarray(0, nT);
    const tBoxes = tBoxesBuf.subarray(0, nT * 4);
    for (let k = 0; k < nT; k++) {
      const row = ti[k]!;
      tIds[k] = tracker.id[row]!;
      for (let c = 0; c < 4; c++) tBoxes[k * 4 + c] = tracker.boxes[row * 4 + c]!;
    }
    checkUnique(gIds, 'ground truth', seq, t);
    checkUnique(tIds, 'tracker output', seq, t);
    const sim = boxIouXywh(gBoxes, nG, tBoxes, nT, simBuf.subarray(0, nG * nT));

    // Step 1: drop tracker boxes matched to distractor gt boxes.
    const removeTr = removeBuf.fill(0, 0, nT);
    let anyDistractor = false;
    if (doPreproc && nG > 0 && nT > 0) {
      for (let k = 0; k < nG; k++) {
        const c = gt.cls[gi[k]!]!;
        if (c < 1 || c > 13) throw new MotDataError(`ground truth of sequence ${seq} has invalid class ${c} in frame ${t + 1} (MOTChallenge classes are 1..13)`);
        if (distractors.has(c)) anyDistractor = true;
      }
    }
    // Without a distractor gt in the frame the matching cannot remove anything, so it is skipped (same result).
    if (anyDistractor) {
      const score = scoreBuf.subarray(0, nG * nT);
      for (let k = 0; k < score.length; k++) score[k] = sim[k]! < 0.5 - EPS ? 0 : sim[k]!;
      const { rows, cols } = matchPositive(score, nG, nT);
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        const c = cols[k]!;
        if (sim[r * nT + c]! >= 0.5 - EPS && sim[r * nT + c]! > EPS && distractors.has(gt.cls[gi[r]!]!)) removeTr[c] = 1;
      }
    }
    // Step 2: keep pedestrian, non-zero-marked gt.
    const keepG = keepGBuf;
    let nKeepG = 0;
    for (let k = 0; k < nG; k++) {
      const row = gi[k]!;
      const zeroMarked = Math.trunc(gt.conf[row]!) === 0;
      if (!zeroMarked && (!doPreproc || gt.cls[row] === MOT_CLASSES.pedestrian)) keepG[nKeepG++] = k;
    }
    const keepT = keepTBuf;
    let nKeepT = 0;
    for (let k = 0; k < nT; k++) if (!removeTr[k]) keepT[nKeepT++] = k;
    const s = new Float64Array(nKeepG * nKeepT);
    const g = new Int32Array(nKeepG);
    const gb = new Float64Array(nKeepG * 4);
    for (let a = 0; a < nKeepG; a++) {
      const k = keepG[a]!;
      g[a] = gIds[k]!;
      for (let c = 0; c < 4; c++) gb[a * 4 + c] = gBoxes[k * 4 + c]!;
      for (let b = 0; b < nKeepT; b++) s[a * nKeepT + b] = sim[k * nT + keepT[b]!]!;
      gtIdSet.add(g[a]!);
    }
    const tr = new Int32Array(nKeepT);
    for (let b = 0; b < nKeepT; b++) {
      tr[b] = tIds[keepT[b]!]!;
      trIdSet.add(tr[b]!);
    }
    numGtDets += nKeepG;
    numTrackerDets += nKeepT;
    gtIdsRaw.push(g);
    trIdsRaw.push(tr);
    sims.push(s);
    gtBoxesOut.push(gb);
  }

  // Step 3: relabel ids to 0..n-1 in increasing order of the original id.
  const relabel = (set: Set<number>, lists: Int32Array[]): void => {
    const sorted = Int32Array.from(set).sort();
    const map = new Map<number, number>();
    sorted.forEach((id, k) => map.set(id, k));
    for (const ids of lists) for (let k = 0; k < ids.length; k++) ids[k] = map.get(ids[k]!)!;
  };
  relabel(gtIdSet, gtIdsRaw);
  relabel(trIdSet, trIdsRaw);
  return {
    seq,
    numTimesteps,
    numGtIds: gtIdSet.size,
    numTrackerIds: trIdSet.size,
    numGtDets,
    numTrackerDets,
    gtIds: gtIdsRaw,
    trackerIds: trIdsRaw,
    similarity: sims,
    gtBoxes: gtBoxesOut,
  };
}
