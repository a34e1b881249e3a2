/**
 * ByteTrack as MMTracking 1.x's `ByteTracker`
 * (https://github.com/open-mmlab/mmtracking/blob/master/mmtrack/models/trackers/byte_tracker.py): Y. Zhang et al.,
 * "ByteTrack: Multi-Object Tracking by Associating Every Detection Box", ECCV 2022
 * (https://arxiv.org/abs/2110.06864; reference code https://github.com/ifzhang/ByteTrack,
 * `yolox/tracker/byte_tracker.py`). High-score detections are matched first; low-score ones then recover tracks
 * the first round left unmatched, instead of being thrown away.
 *
 * MMTracking's particulars kept here: tracks born on frame 0 are confirmed at once; `init_track_thr` filters
 * detections only when the tracker is empty (otherwise every unmatched high-score detection starts a tentative
 * track); a track lost in the previous frame has its height velocity zeroed before prediction; matching is
 * class-aware (a different label costs 1e6).
 */
import type { Detections } from '../structures/detections.ts';
import { assignPairsWithCostLimit, type PartialMatching } from './assignment.ts';
import { cxcyahToXyxy, xyxyToCxcyah } from './bbox-cxcyah.ts';
import { overlappingPairs } from './cost-matrices.ts';
import { IdCounter } from './id-counter.ts';
import { KalmanFilter } from './kalman-filter.ts';
import type { TrackerModules } from './sort-tracker.ts';
import { type Momentums, TrackStore } from './track-store.ts';
import { type MotTracker, type TrackerFrame, type TrackerRequirements, checkDetections, nextFrameId, trackedDetections } from './tracker.ts';

/** The config keys, exactly MMTracking's; their defaults are declared once, in the registry (mot-registry.ts). */
export interface ByteTrackerParams {
  /** Score thresholds: `high` for the first association, `low` for the second. */
  obj_score_thrs: { high: number; low: number };
  /** Score above which detections start tracks when the tracker is empty. */
  init_track_thr: number;
  /** Multiply IoU by the detection score in the first and tentative associations. */
  weight_iou_with_det_scores: boolean;
  /** Smallest (weighted) IoU per association: `high` (first), `low` (second), `tentative`. */
  match_iou_thrs: { high: number; low: number; tentative: number };
  /** Consecutive frames before a new track is confirmed. */
  num_tentatives: number;
  /** Frames a lost track is kept. */
  num_frames_retain: number;
  momentums: Momentums | null;
}

export class ByteTracker implements MotTracker {
  readonly type = 'ByteTracker';
  readonly objScoreThrs: { high: number; low: number };
  readonly initTrackThr: number;
  readonly weightIouWithDetScores: boolean;
  readonly matchIouThrs: { high: number; low: number; tentative: number };
  readonly numTentatives: number;
  readonly requires: TrackerRequirements = { embeddings: false, embedder: false, regressor: false, image: false, reidCrop: null };
  readonly kf: KalmanFilter;
  readonly idCounter: IdCounter;
  readonly store: TrackStore;
  private lastFrameId = -1;

  constructor(params: ByteTrackerParams, modules: TrackerModules = {}) {
    this.objScoreThrs = { ...params.obj_score_thrs };
    this.initTrackThr = params.init_track_thr;
    this.weightIouWithDetScores = params.weight_iou_with_det_scores;
    this.matchIouThrs = { ...params.match_iou_thrs };
    this.numTentatives = params.num_tentatives;
    this.kf = modules.kalmanFilter ?? new KalmanFilter();
    this.idCounter = modules.idCounter ?? new IdCounter();
    this.store = new TrackStore({ numFramesRetain: params.num_frames_retain, momentums: params.momentums });
  }

  reset(): void {
    this.store.clear();
    this.idCounter.reset();
    this.lastFrameId = -1;
  }

  update(detections: Detections, frame: TrackerFrame = {}): Detections {
    const n = checkDetections(detections, this.type);
    const frameId = nextFrameId(this.lastFrameId, frame.frameId, this.type);
    if (frameId === 0) this.reset();
    this.lastFrameId = frameId;
    const { scores, labels } = detections;

    let order: number[]; // detection indices, in output order
    let ids: number[];
    if (this.store.empty || n === 0) {
      // Empty tracker (or no detections): detections above init_track_thr start tracks.
      order = [];
      for (let i = 0; i < n; i++) if (scores[i]! > this.initTrackThr) order.push(i);
      ids = order.map(() => -1);
    } else {
      const first: number[] = [];
      const second: number[] = [];
      for (let i = 0; i < n; i++) {
        if (scores[i]! > this.objScoreThrs.high) first.push(i);
        else if (scores[i]! > this.objScoreThrs.low) second.push(i);
      }
      // 1. Kalman prediction of the confirmed tracks (a track lost in the previous frame stops growing/shrinking).
      const confirmed: number[] = [];
      const unconfirmed: number[] = [];
      for (const t of this.store.tracks.values()) (t.tentative ? unconfirmed : confirmed).push(t.id);
      for (const id of confirmed) {
        const t = this.store.get(id);
        if (t.frameId !== frameId - 1) t.kalman!.mean[7] = 0;
        t.kalman = this.kf.predict(t.kalman!);
      }

      // 2. First association: confirmed tracks vs high-score detections.
      const m1 = this.assignIds(confirmed, first, detections, this.weightIouWithDetScores, this.matchIouThrs.high);
      const firstMatched: number[] = [];
      const firstMatchedIds: number[] = [];
      const firstUnmatched: number[] = [];
      for (const [c, i] of first.entries()) {
        const r = m1.colToRow[c]!;
        if (r > -1) {
          firstMatched.push(i);
          firstMatchedIds.push(confirmed[r]!);
        } else firstUnmatched.push(i);
      }

      // 3. Tentative tracks vs the high-score detections left.
      const m3 = this.assignIds(unconfirmed, firstUnmatched, detections, this.weightIouWithDetScores, this.matchIouThrs.tentative);
      const firstUnmatchedIds = firstUnmatched.map((_, c) => (m3.colToRow[c]! > -1 ? unconfirmed[m3.colToRow[c]!]! : -1));

      // 4. Second association: confirmed tracks seen in the previous frame but unmatched in step 2 vs low-score
      //    detections, IoU not weighted.
      const leftover = confirmed.filter((id, r) => m1.rowToCol[r] === -1 && this.store.get(id).frameId === frameId - 1);
      const m4 = this.assignIds(leftover, second, detections, false, this.matchIouThrs.low);
      const secondMatched: number[] = [];
      const secondMatchedIds: number[] = [];
      for (const [c, i] of second.entries()) {
        if (m4.colToRow[c]! > -1) {
          secondMatched.push(i);
          secondMatchedIds.push(leftover[m4.colToRow[c]!]!);
        }
      }

      // 5. Gather: matched high, unmatched high (some matched to tentative tracks), matched low.
      order = [...firstMatched, ...firstUnmatched, ...secondMatched];
      ids = [...firstMatchedIds, ...firstUnmatchedIds, ...secondMatchedIds];
    }
    // 6. New ids for the rest.
    ids = ids.map((id) => (id === -1 ? this.idCounter.next() : id));

    // Memo update; tracks born on frame 0 are confirmed, later ones after num_tentatives updates.
    const z = new Float64Array(4);
    for (const [k, i] of order.entries()) {
      const { track, created } = this.store.record(ids[k]!, { box: detections.boxes.subarray(4 * i, 4 * i + 4), score: scores[i]!, label: labels[i]! }, frameId);
      xyxyToCxcyah(track.bbox, 0, z);
      if (created) {
        track.tentative = frameId !== 0;
        track.kalman = this.kf.initiate(z);
      } else {
        if (track.tentative && track.hits >= this.numTentatives) track.tentative = false;
        track.kalman = this.kf.update(track.kalman!, z);
      }
    }
    this.store.removeInvalid(frameId, (t) => t.tentative && t.frameId !== frameId);

    return trackedDetections(detections, order, ids);
  }

  /**
   * `assign_ids`: tracks (Kalman mean as a box) vs detections, cost `1 − IoU·(score if weighted) + 1e6·(labels
   * differ)`, matched where the cost is below `1 − match_iou_thr` ({@link assignPairsWithCostLimit}).
   * @param dets detection indices; the matching's columns index this list.
   */
  private assignIds(trackIds: readonly number[], dets: readonly number[], detections: Detections, weighted: boolean, matchIouThr: number): PartialMatching {
    const nr = trackIds.length;
    const nc = dets.length;
    const trackBoxes = new Float64Array(4 * nr);
    for (const [r, id] of trackIds.entries()) cxcyahToXyxy(this.store.get(id).kalman!.mean, trackBoxes, 4 * r);
    const detBoxes = new Float64Array(4 * nc);
    for (const [c, i] of dets.entries()) for (let k = 0; k < 4; k++) detBoxes[4 * c + k] = detections.boxes[4 * i + k]!;
    // Boxes that do not intersect cost 1 (or 1e6 more across classes), never below the limit: only
    // intersecting pairs of the same class can match.
    const ious = overlappingPairs(trackBoxes, nr, detBoxes, nc);
    const labels = trackIds.map((id) => this.store.get(id).label);
    const rows: number[] = [];
    const cols: number[] = [];
    const values: number[] = [];
    for (let e = 0; e < ious.rows.length; e++) {
      const r = ious.rows[e]!;
      const i = dets[ious.cols[e]!]!;
      if (detections.labels[i] !== labels[r]) continue;
      rows.push(r);
      cols.push(ious.cols[e]!);
      values.push(1 - ious.values[e]! * (weighted ? detections.scores[i]! : 1));
    }
    return assignPairsWithCostLimit({ rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float64Array.from(values) }, nr, nc, 1 - matchIouThr);
  }
}
