/**
 * OC-SORT as MMTracking 0.14's `OCSORTTracker`
 * (https://github.com/open-mmlab/mmtracking/blob/master/mmtrack/models/trackers/ocsort_tracker.py): J. Cao et al.,
 * "Observation-Centric SORT: Rethinking SORT for Robust Multi-Object Tracking", CVPR 2023
 * (https://arxiv.org/abs/2203.14360). SORT's Kalman filter, corrected by the observations themselves:
 * - OCM (observation-centric momentum): the association cost adds how far the direction from a track's observation
 *   `vel_delta_t` steps back to a detection turns away from the track's own direction of motion;
 * - OCR (observation-centric recovery): tracks still unmatched are matched by IoU against their last observation;
 * - ORU (observation-centric re-update): a track found again after being lost restarts from its filter state before
 *   the loss and is re-updated along a straight line from its last observation to the new one (`online_smooth`).
 *
 * MMTracking's particulars kept here (it differs from the OC-SORT authors' code): tentative and confirmed tracks are
 * associated separately; only confirmed tracks are predicted; the re-update applies Kalman updates without predictions
 * between them; a matched track's Kalman update is applied twice (`update_track` runs `SortTracker.update_track`'s and
 * its own); a frame without detections touches nothing (no prediction, no missed observation); observations
 * carry the detection score, which enters the `sum < 0` validity tests as in MMTracking; matching ignores labels.
 */
import type { Detections } from '../structures/detections.ts';
import { assignWithCostLimit, type PartialMatching } from './assignment.ts';
import { cxcyahToXyxy, xyxyToCxcyah } from './bbox-cxcyah.ts';
import { bboxOverlaps } from './cost-matrices.ts';
import { IdCounter } from './id-counter.ts';
import { KalmanFilter, type KalmanState } from './kalman-filter.ts';
import type { TrackerModules } from './sort-tracker.ts';
import { type Momentums, TrackStore } from './track-store.ts';
import { type MotTracker, type TrackerFrame, type TrackerRequirements, checkDetections, nextFrameId, trackedDetections } from './tracker.ts';

/** The config keys, exactly MMTracking's; their defaults are declared once, in the registry (mot-registry.ts). */
export interface OcSortTrackerParams {
  /** Detections at or below this score are not associated (after the first frame). */
  obj_score_thr: number;
  /** Score above which detections start tracks when the tracker is empty. */
  init_track_thr: number;
  /** Multiply IoU by the detection score in every association. */
  weight_iou_with_det_scores: boolean;
  /** Smallest (weighted) IoU, less the momentum term, for a match. */
  match_iou_thr: number;
  /** Consecutive frames before a new track is confirmed. */
  num_tentatives: number;
  /** Weight of the direction-consistency term (OCM). */
  vel_consist_weight: number;
  /** Steps back to the observation the direction of motion is measured from. */
  vel_delta_t: number;
  /** Frames a lost track is kept. */
  num_frames_retain: number;
  momentums: Momentums | null;
}

/** `x1, y1, x2, y2, score` of an associated detection (MMTracking's `track.obs` entries). */
type Observation = Float64Array;

/** What OC-SORT keeps per track besides the store's last box and Kalman state. */
interface ObservationHistory {
  /** The last `vel_delta_t + 1` entries of `track.obs`, null where the track was unmatched. */
  recent: (Observation | null)[];
  /** `len(track.obs)`. */
  count: number;
  /** The last non-null observation (`last_obs`). */
  last: Observation;
  /** Trailing nulls of `track.obs`: frames since the track was last matched, while lost. */
  missed: number;
  /** Matched in the last frame that had detections. */
  tracked: boolean;
  /** The Kalman state when the track was last predicted while tracked (`saved_attr`): the re-update starts there. */
  saved: KalmanState | null;
  /** Unit direction of motion `(dy, dx)`; `(-1, -1)` before there is one. */
  velocity: [number, number];
}

/** `vel_direction`: unit `(dy, dx)` from the centre of `a` to that of `b`; `(-1, -1)` if either sums below 0. */
function velDirection(a: Observation, b: Observation): [number, number] {
  if (sum(a) < 0 || sum(b) < 0) return [-1, -1];
  const dy = (b[1]! + b[3]!) / 2 - (a[1]! + a[3]!) / 2;
  const dx = (b[0]! + b[2]!) / 2 - (a[0]! + a[2]!) / 2;
  const norm = Math.sqrt(dy * dy + dx * dx) + 1e-6;
  return [dy / norm, dx / norm];
}

/**
 * One association's outcome: each detection of `dets` its matching gave a track joins `matched` (in `dets` order)
 * with that track's id in `matchedIds`; the others are returned, in order.
 */
function takeMatches(dets: readonly number[], m: PartialMatching, trackIds: readonly number[], matched: number[], matchedIds: number[]): number[] {
  const rest: number[] = [];
  for (const [c, i] of dets.entries()) {
    const r = m.colToRow[c]!;
    if (r > -1) {
      matched.push(i);
      matchedIds.push(trackIds[r]!);
    } else rest.push(i);
  }
  return rest;
}

const sum = (v: ArrayLike<number>): number => {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k]!;
  return s;
};

export class OcSortTracker implements MotTracker {
  readonly type = 'OCSORTTracker';
  readonly params: Readonly<Omit<OcSortTrackerParams, 'momentums' | 'num_frames_retain'>>;
  readonly requires: TrackerRequirements = { embeddings: false, embedder: false, regressor: false, image: false, reidCrop: null };
  readonly kf: KalmanFilter;
  readonly idCounter: IdCounter;
  readonly store: TrackStore;
  private readonly history = new Map<number, ObservationHistory>();
  private lastFrameId = -1;

  constructor(params: OcSortTrackerParams, modules: TrackerModules = {}) {
    const { momentums, num_frames_retain, ...rest } = params;
    this.params = rest;
    this.kf = modules.kalmanFilter ?? new KalmanFilter();
    this.idCounter = modules.idCounter ?? new IdCounter();
    this.store = new TrackStore({ numFramesRetain: num_frames_retain, momentums });
  }

  reset(): void {
    this.store.clear();
    this.history.clear();
    this.idCounter.reset();
    this.lastFrameId = -1;
  }

  update(detections: Detections, frame: TrackerFrame = {}): Detections {
    const n = checkDetections(detections, this.type);
    const frameId = nextFrameId(this.lastFrameId, frame.frameId, this.type);
    if (frameId === 0) this.reset();
    this.lastFrameId = frameId;
    const p = this.params;
    const { scores } = detections;

    let order: number[]; // detection indices, in output order
    let ids: number[];
    if (this.store.empty || n === 0) {
      // Empty tracker (or no detections): detections above init_track_thr start tracks; nothing else happens.
      order = [];
      for (let i = 0; i < n; i++) if (scores[i]! > p.init_track_thr) order.push(i);
      ids = order.map(() => -1);
    } else {
      const dets: number[] = [];
      for (let i = 0; i < n; i++) if (scores[i]! > p.obj_score_thr) dets.push(i);
      const confirmed: number[] = [];
      const unconfirmed: number[] = [];
      for (const t of this.store.tracks.values()) (t.tentative ? unconfirmed : confirmed).push(t.id);

      // 1. Kalman prediction of the confirmed tracks; a tracked one keeps its state for a later re-update, a lost one
      //    stops growing or shrinking.
      for (const id of confirmed) {
        const t = this.store.get(id);
        const h = this.history.get(id)!;
        if (t.frameId !== frameId - 1) t.kalman!.mean[7] = 0;
        if (h.tracked) h.saved = t.kalman!;
        t.kalman = this.kf.predict(t.kalman!);
      }

      // 2. OCM: confirmed tracks vs the detections.
      const matched: number[] = [];
      const matchedIds: number[] = [];
      let unmatched = takeMatches(dets, this.ocmAssignIds(confirmed, dets, detections), confirmed, matched, matchedIds);

      // 3. OCM: tentative tracks vs the detections left.
      unmatched = takeMatches(unmatched, this.ocmAssignIds(unconfirmed, unmatched, detections), unconfirmed, matched, matchedIds);

      // 4. OCR: every track still unmatched (lost ones too) vs the detections left, by IoU with its last observation.
      const allTrackIds = this.store.ids;
      const unmatchedTracks = allTrackIds.filter((id) => !matchedIds.includes(id));
      if (unmatchedTracks.length > 0) unmatched = takeMatches(unmatched, this.ocrAssignIds(unmatchedTracks, unmatched, detections), unmatchedTracks, matched, matchedIds);

      // 5. ORU: a track found again is re-updated along the line from its last observation; the others miss a frame.
      for (const [k, i] of matched.entries()) {
        const id = matchedIds[k]!;
        if (!this.history.get(id)!.tracked) this.onlineSmooth(id, detections.boxes.subarray(4 * i, 4 * i + 4));
      }
      for (const id of allTrackIds) {
        if (matchedIds.includes(id)) continue;
        const h = this.history.get(id)!;
        h.tracked = false;
        this.pushObservation(h, null);
      }
      order = [...matched, ...unmatched];
      ids = [...matchedIds, ...unmatched.map(() => -1)];
    }
    // 6. New ids for the rest.
    ids = ids.map((id) => (id === -1 ? this.idCounter.next() : id));

    // Memo update: tracks born on frame 0 are confirmed, later ones after num_tentatives updates.
    const z = new Float64Array(4);
    for (const [k, i] of order.entries()) {
      const box = detections.boxes.subarray(4 * i, 4 * i + 4);
      const obs: Observation = Float64Array.of(box[0]!, box[1]!, box[2]!, box[3]!, scores[i]!);
      const { track, created } = this.store.record(ids[k]!, { box, score: scores[i]!, label: detections.labels[i]! }, frameId);
      xyxyToCxcyah(track.bbox, 0, z);
      if (created) {
        track.tentative = frameId !== 0;
        track.kalman = this.kf.initiate(z);
        this.history.set(track.id, { recent: [obs], count: 1, last: obs, missed: 0, tracked: true, saved: null, velocity: [-1, -1] });
      } else {
        if (track.tentative && track.hits >= p.num_tentatives) track.tentative = false;
        // MMTracking's OCSORTTracker.update_track calls SortTracker.update_track, which already applies the Kalman
        // update, and then applies it again with the same box: the measurement counts twice.
        track.kalman = this.kf.update(this.kf.update(track.kalman!, z), z);
        const h = this.history.get(track.id)!;
        h.tracked = true;
        this.pushObservation(h, obs);
        h.velocity = velDirection(this.kStepObservation(h), obs);
      }
    }
    for (const id of this.store.removeInvalid(frameId, (t) => t.tentative && t.frameId !== frameId)) this.history.delete(id);

    return trackedDetections(detections, order, ids);
  }

  private pushObservation(h: ObservationHistory, obs: Observation | null): void {
    h.recent.push(obs);
    if (h.recent.length > this.params.vel_delta_t + 1) h.recent.shift();
    h.count++;
    if (obs) {
      h.last = obs;
      h.missed = 0;
    } else h.missed++;
  }

  /** `k_step_observation`: the observation `vel_delta_t` steps back, else the last one. */
  private kStepObservation(h: ObservationHistory): Observation {
    if (h.count > this.params.vel_delta_t) return h.recent[h.recent.length - 1 - this.params.vel_delta_t] ?? h.last;
    return h.last;
  }

  /**
   * `ocm_assign_ids`: tracks (Kalman mean as a box) vs detections, cost `1 − IoU·(score if weighted)` plus
   * `vel_consist_weight · (angle − π/2) / π`, the angle between the track's direction and the direction from its
   * observation `vel_delta_t` steps back to the detection (where both exist); matched below `1 − match_iou_thr`.
   */
  private ocmAssignIds(trackIds: readonly number[], dets: readonly number[], detections: Detections): PartialMatching {
    const nr = trackIds.length;
    const nc = dets.length;
    const trackBoxes = new Float64Array(4 * nr);
    for (const [r, id] of trackIds.entries()) cxcyahToXyxy(this.store.get(id).kalman!.mean, trackBoxes, 4 * r);
    const dists = this.iouDistances(trackBoxes, nr, dets, detections);
    if (nr > 0 && nc > 0) {
      for (const [r, id] of trackIds.entries()) {
        const h = this.history.get(id)!;
        const k = this.kStepObservation(h);
        // valid1: the track has a direction; valid2: the observation k steps back is a detection.
        if (h.velocity[0] + h.velocity[1] === -2 || sum(k) === -4) continue;
        const kcx = (k[0]! + k[2]!) / 2;
        const kcy = (k[1]! + k[3]!) / 2;
        for (const [c, i] of dets.entries()) {
          const b = detections.boxes;
          const dy = (b[4 * i + 1]! + b[4 * i + 3]!) / 2 - kcy;
          const dx = (b[4 * i]! + b[4 * i + 2]!) / 2 - kcx;
          const norm = Math.sqrt(dy * dy + dx * dx) + 1e-6;
          const cos = Math.min(1, Math.max(-1, (dy / norm) * h.velocity[0] + (dx / norm) * h.velocity[1]));
          dists[r * nc + c]! += ((Math.acos(cos) - Math.PI / 2) / Math.PI) * this.params.vel_consist_weight;
        }
      }
    }
    return assignWithCostLimit(dists, nr, nc, 1 - this.params.match_iou_thr);
  }

  /** `ocr_assign_ids`: the tracks' last observations vs detections, IoU only. */
  private ocrAssignIds(trackIds: readonly number[], dets: readonly number[], detections: Detections): PartialMatching {
    const boxes = new Float64Array(4 * trackIds.length);
    for (const [r, id] of trackIds.entries()) boxes.set(this.history.get(id)!.last.subarray(0, 4), 4 * r);
    return assignWithCostLimit(this.iouDistances(boxes, trackIds.length, dets, detections), trackIds.length, dets.length, 1 - this.params.match_iou_thr);
  }

  /** `1 − IoU` (times the detection's score when weighted), row-major `[tracks × dets]`. */
  private iouDistances(trackBoxes: Float64Array, nr: number, dets: readonly number[], detections: Detections): Float64Array {
    const nc = dets.length;
    const detBoxes = new Float64Array(4 * nc);
    for (const [c, i] of dets.entries()) for (let k = 0; k < 4; k++) detBoxes[4 * c + k] = detections.boxes[4 * i + k]!;
    const ious = bboxOverlaps(trackBoxes, nr, detBoxes, nc);
    for (let r = 0; r < nr; r++) {
      for (const [c, i] of dets.entries()) ious[r * nc + c] = 1 - ious[r * nc + c]! * (this.params.weight_iou_with_det_scores ? detections.scores[i]! : 1);
    }
    return ious;
  }

  /**
   * `online_smooth`: a track found again after `missed` frames restarts from its saved state and takes a Kalman
   * update for each missed frame, on boxes evenly spaced between its last observation and the new detection.
   */
  private onlineSmooth(id: number, box: ArrayLike<number>): void {
    const t = this.store.get(id);
    const h = this.history.get(id)!;
    const last = h.last;
    const steps = h.missed + 1;
    let state = h.saved ?? t.kalman!;
    const virtual = new Float64Array(4);
    const z = new Float64Array(4);
    for (let s = 1; s <= h.missed; s++) {
      for (let k = 0; k < 4; k++) virtual[k] = last[k]! + s * ((box[k]! - last[k]!) / steps);
      state = this.kf.update(state, xyxyToCxcyah(virtual, 0, z));
    }
    t.kalman = state;
  }
}
