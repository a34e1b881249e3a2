import { MOT_CLASSES, type MotRows } from '../datasets/mot-challenge.ts';
import { boxIouXywh, iouXywh } from './box-iou.ts';
import { matchPositiveInto } from '../ops/linear-assignment.ts';
import { EPS } from './metric.ts';

/**
 * One sequence ready for the MOT metrics, as TrackEval's `get_preprocessed_seq_data` returns it: per timestep the
 * gt and tracker ids (relabelled to 0..n-1) and their IoU matrix. Flat, frame after frame: a MOT17-sized
 * sequence would otherwise be tens of thousands of small arrays, and most of each IoU matrix is zeros (boxes
 * that do not overlap), so only the non-zero IoUs are kept, row by row (compressed sparse rows).
 */
export interface MotSequenceData {
  seq: string;
  numTimesteps: number;
  numGtIds: number;
  numTrackerIds: number;
  numGtDets: number;
  numTrackerDets: number;
  /** `[numTimesteps+1]`: frame t's gt boxes are `gtStart[t] .. gtStart[t+1]-1`. */
  gtStart: Int32Array;
  /** `[numTimesteps+1]`: frame t's tracker boxes are `trackerStart[t] .. trackerStart[t+1]-1`. */
  trackerStart: Int32Array;
  /** `[numGtDets]` contiguous gt ids. */
  gtIds: Int32Array;
  /** `[numTrackerDets]` contiguous tracker ids. */
  trackerIds: Int32Array;
  /** `[numGtDets+1]`: gt box i's non-zero IoUs are entries `simStart[i] .. simStart[i+1]-1`. */
  simStart: Int32Array;
  /** The tracker box of each entry, counted within its frame (0 = the frame's first), increasing along a row. */
  simCol: Int32Array;
  /** IoU of each entry (> 0). */
  simIou: Float64Array;
}

/** The most gt and tracker boxes any one frame has. */
export function maxFrameSizes(data: MotSequenceData): { maxG: number; maxT: number } {
  let maxG = 0;
  let maxT = 0;
  for (let t = 0; t < data.numTimesteps; t++) {
    maxG = Math.max(maxG, data.gtStart[t + 1]! - data.gtStart[t]!);
    maxT = Math.max(maxT, data.trackerStart[t + 1]! - data.trackerStart[t]!);
  }
  return { maxG, maxT };
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

/** Rows of each frame 1..numTimesteps in file order: frame t+1's are `order[start[t] .. start[t+1]-1]`. */
interface FrameRows {
  start: Int32Array;
  order: Int32Array;
}

function groupByFrame(rows: MotRows, numTimesteps: number): FrameRows {
  const start = new Int32Array(numTimesteps + 1);
  for (let i = 0; i < rows.count; i++) {
    const f = rows.frame[i]!;
    if (f >= 1 && f <= numTimesteps) start[f]!++;
  }
  for (let t = 1; t <= numTimesteps; t++) start[t]! += start[t - 1]!;
  const fill = start.slice(0, numTimesteps);
  const order = new Int32Array(start[numTimesteps]!);
  for (let i = 0; i < rows.count; i++) {
    const f = rows.frame[i]!;
    if (f >= 1 && f <= numTimesteps) order[fill[f - 1]!++] = i;
  }
  return { start, order };
}

function checkUnique(ids: Int32Array, n: number, what: string, seq: string, t: number): void {
  // Frames hold tens of boxes: a pairwise scan beats a Set.
  for (let a = 1; a < n; a++) {
    for (let b = 0; b < a; b++) {
      if (ids[a] === ids[b]) throw new MotDataError(`${what} has id ${ids[a]} twice in frame ${t + 1} of sequence ${seq} (ids must be unique per frame)`);
    }
  }
}

/** The distractor classes of a benchmark: tracker boxes matched to them are removed. */
function distractorClasses(benchmark: string): Uint8Array {
  const d = new Uint8Array(14);
  for (const c of [MOT_CLASSES.person_on_vehicle, MOT_CLASSES.static_person, MOT_CLASSES.distractor, MOT_CLASSES.reflection]) d[c] = 1;
  if (benchmark === 'MOT20') d[MOT_CLASSES.non_mot_vehicle] = 1;
  return d;
}

/** Per-frame scratch, sized for the busiest frame, and the sequence's output arrays as they fill. */
class PreprocessWork {
  readonly gIds: Int32Array;
  readonly gBoxes: Float64Array;
  readonly tIds: Int32Array;
  readonly tBoxes: Float64Array;
  readonly sim: Float64Array;
  readonly score: Float64Array;
  readonly remove: Uint8Array;
  readonly keepG: Int32Array;
  readonly keepT: Int32Array;
  readonly matchRows: Int32Array;
  readonly matchCols: Int32Array;
  // Outputs, sized for every row kept; the IoU entries grow as needed.
  readonly gtIds: Int32Array;
  readonly trackerIds: Int32Array;
  readonly simStart: Int32Array;
  simCol: Int32Array;
  simIou: Float64Array;
  numGtDets = 0;
  numTrackerDets = 0;
  nnz = 0;
  constructor(maxG: number, maxT: number, gtRows: number, trRows: number) {
    this.gIds = new Int32Array(maxG);
    this.gBoxes = new Float64Array(maxG * 4);
    this.tIds = new Int32Array(maxT);
    this.tBoxes = new Float64Array(maxT * 4);
    this.sim = new Float64Array(maxG * maxT);
    this.score = new Float64Array(maxG * maxT);
    this.remove = new Uint8Array(maxT);
    this.keepG = new Int32Array(maxG);
    this.keepT = new Int32Array(maxT);
    this.matchRows = new Int32Array(Math.min(maxG, maxT));
    this.matchCols = new Int32Array(Math.min(maxG, maxT));
    this.gtIds = new Int32Array(gtRows);
    this.trackerIds = new Int32Array(trRows);
    this.simStart = new Int32Array(gtRows + 1);
    // A gt box overlaps a few tracker boxes: 4 each to start with.
    this.simCol = new Int32Array(4 * gtRows + 16);
    this.simIou = new Float64Array(4 * gtRows + 16);
  }

  /** Makes room for `more` IoU entries. */
  reserve(more: number): void {
    if (this.nnz + more <= this.simCol.length) return;
    const cap = Math.max(2 * this.simCol.length, this.nnz + more);
    const col = new Int32Array(cap);
    col.set(this.simCol.subarray(0, this.nnz));
    const iou = new Float64Array(cap);
    iou.set(this.simIou.subarray(0, this.nnz));
    this.simCol = col;
    this.simIou = iou;
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
  const distractors = distractorClasses(benchmark);
  const gtByFrame = groupByFrame(gt, numTimesteps);
  const trByFrame = groupByFrame(tracker, numTimesteps);
  let maxG = 0;
  let maxT = 0;
  for (let t = 0; t < numTimesteps; t++) {
    maxG = Math.max(maxG, gtByFrame.start[t + 1]! - gtByFrame.start[t]!);
    maxT = Math.max(maxT, trByFrame.start[t + 1]! - trByFrame.start[t]!);
  }
  const work = new PreprocessWork(maxG, maxT, gt.count, tracker.count);
  const gtStart = new Int32Array(numTimesteps + 1);
  const trackerStart = new Int32Array(numTimesteps + 1);
  for (let t = 0; t < numTimesteps; t++) {
    preprocessFrame(seq, t, gt, gtByFrame, tracker, trByFrame, doPreproc, distractors, work);
    gtStart[t + 1] = work.numGtDets;
    trackerStart[t + 1] = work.numTrackerDets;
  }
  // Step 3: relabel ids to 0..n-1 in increasing order of the original id.
  const gtIds = work.gtIds.subarray(0, work.numGtDets);
  const trackerIds = work.trackerIds.subarray(0, work.numTrackerDets);
  return {
    seq,
    numTimesteps,
    numGtIds: relabel(gtIds),
    numTrackerIds: relabel(trackerIds),
    numGtDets: work.numGtDets,
    numTrackerDets: work.numTrackerDets,
    gtStart,
    trackerStart,
    gtIds,
    trackerIds,
    simStart: work.simStart.subarray(0, work.numGtDets + 1),
    simCol: work.simCol.subarray(0, work.nnz),
    simIou: work.simIou.subarray(0, work.nnz),
  };
}

/** Replaces each id by its rank among the distinct ids (in place); returns how many distinct ids there are. */
function relabel(ids: Int32Array): number {
  const sorted = ids.slice().sort();
  let n = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[n++] = sorted[k]!;
  for (let k = 0; k < ids.length; k++) {
    // Binary search in the n distinct ids.
    const id = ids[k]!;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    ids[k] = lo;
  }
  return n;
}

/** Ids and boxes of rows `order[first .. first+n-1]`, into the first n entries of `ids` and `boxes`. */
function gatherRows(rows: MotRows, order: Int32Array, first: number, n: number, ids: Int32Array, boxes: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const row = order[first + k]!;
    ids[k] = rows.id[row]!;
    for (let c = 0; c < 4; c++) boxes[k * 4 + c] = rows.boxes[row * 4 + c]!;
  }
}

/** Steps 1 and 2 for frame `t`: appends the frame's kept ids and IoUs. */
function preprocessFrame(
  seq: string,
  t: number,
  gt: MotRows,
  gtByFrame: FrameRows,
  tracker: MotRows,
  trByFrame: FrameRows,
  doPreproc: boolean,
  distractors: Uint8Array,
  work: PreprocessWork,
): void {
  // Rows `gi[g0 + k]` of gt and `ti[t0 + k]` of the tracker.
  const gi = gtByFrame.order;
  const g0 = gtByFrame.start[t]!;
  const nG = gtByFrame.start[t + 1]! - g0;
  const ti = trByFrame.order;
  const t0 = trByFrame.start[t]!;
  const nT = trByFrame.start[t + 1]! - t0;
  const { gIds, gBoxes, tIds, tBoxes } = work;
  gatherRows(gt, gi, g0, nG, gIds, gBoxes);
  gatherRows(tracker, ti, t0, nT, tIds, tBoxes);
  checkUnique(gIds, nG, 'ground truth', seq, t);
  checkUnique(tIds, nT, 'tracker output', seq, t);

  // Step 1: drop tracker boxes matched to distractor gt boxes.
  const removeTr = work.remove.fill(0, 0, nT);
  let anyDistractor = false;
  if (doPreproc && nG > 0 && nT > 0) {
    for (let k = 0; k < nG; k++) {
      const c = gt.cls[gi[g0 + k]!]!;
      if (c < 1 || c > 13) throw new MotDataError(`ground truth of sequence ${seq} has invalid class ${c} in frame ${t + 1} (MOTChallenge classes are 1..13)`);
      if (distractors[c] === 1) anyDistractor = true;
    }
  }
  // Without a distractor gt in the frame the matching cannot remove anything, so it is skipped (same result),
  // and only the kept pairs' IoUs are computed below.
  const sim = work.sim;
  if (anyDistractor) {
    boxIouXywh(gBoxes, nG, tBoxes, nT, sim);
    const score = work.score;
    for (let k = 0; k < nG * nT; k++) score[k] = sim[k]! < 0.5 - EPS ? 0 : sim[k]!;
    const matched = matchPositiveInto(score, nG, nT, work.matchRows, work.matchCols);
    for (let k = 0; k < matched; k++) {
      const r = work.matchRows[k]!;
      const c = work.matchCols[k]!;
      if (sim[r * nT + c]! >= 0.5 - EPS && sim[r * nT + c]! > EPS && distractors[gt.cls[gi[g0 + r]!]!] === 1) removeTr[c] = 1;
    }
  }
  // Step 2: keep pedestrian, non-zero-marked gt.
  const keepG = work.keepG;
  let nKeepG = 0;
  for (let k = 0; k < nG; k++) {
    const row = gi[g0 + k]!;
    const zeroMarked = Math.trunc(gt.conf[row]!) === 0;
    if (!zeroMarked && (!doPreproc || gt.cls[row] === MOT_CLASSES.pedestrian)) keepG[nKeepG++] = k;
  }
  const keepT = work.keepT;
  let nKeepT = 0;
  for (let k = 0; k < nT; k++) if (removeTr[k] === 0) keepT[nKeepT++] = k;

  work.reserve(nKeepG * nKeepT);
  const { simStart, simCol, simIou } = work;
  let nnz = work.nnz;
  let gOut = work.numGtDets;
  for (let a = 0; a < nKeepG; a++) {
    const k = keepG[a]!;
    work.gtIds[gOut] = gIds[k]!;
    const ax0 = gBoxes[k * 4]!;
    const ax1 = ax0 + gBoxes[k * 4 + 2]!;
    for (let b = 0; b < nKeepT; b++) {
      const j = keepT[b]!;
      // Boxes apart in x have IoU 0 (iouXywh's own intersection width, tested first): not stored.
      const bx0 = tBoxes[j * 4]!;
      if (Math.min(ax1, bx0 + tBoxes[j * 4 + 2]!) - Math.max(ax0, bx0) <= 0) continue;
      const iou = anyDistractor ? sim[k * nT + j]! : iouXywh(gBoxes, k, tBoxes, j);
      if (iou > 0) {
        simCol[nnz] = b;
        simIou[nnz++] = iou;
      }
    }
    simStart[++gOut] = nnz;
  }
  for (let b = 0; b < nKeepT; b++) work.trackerIds[work.numTrackerDets + b] = tIds[keepT[b]!]!;
  work.nnz = nnz;
  work.numGtDets = gOut;
  work.numTrackerDets += nKeepT;
}
