/**
 * SORT and DeepSORT as MMTracking's `SORTTracker` (`SortTracker` in 0.x,
 * https://github.com/open-mmlab/mmtracking/blob/master/mmtrack/models/trackers/sort_tracker.py):
 * A. Bewley et al., "Simple Online and Realtime Tracking", ICIP 2016 (https://arxiv.org/abs/1602.00763);
 * N. Wojke et al., "Simple Online and Realtime Tracking with a Deep Association Metric", ICIP 2017
 * (https://arxiv.org/abs/1703.07402).
 *
 * As in MMTracking (and unlike the SORT paper), the IoU step compares each track's *last detected box* with the
 * detections, among the tracks seen in the previous frame; the Kalman filter only gates the appearance step.
 */
import type { ConfigDict } from '../config/config-value.ts';
import type { Detections } from '../structures/detections.ts';
import { assignAllowedSparse, maxWeightPairs } from './assignment.ts';
import { xyxyToCxcyah } from './bbox-cxcyah.ts';
import { type SparsePairs, embeddingDistances, overlappingPairs } from './cost-matrices.ts';
import { IdCounter } from './id-counter.ts';
import { KalmanFilter } from './kalman-filter.ts';
import { type Momentums, TrackStore } from './track-store.ts';
import { type MotTracker, type TrackerFrame, type TrackerRequirements, checkDetections, checkEmbeddings, nextFrameId, reidCrop } from './tracker.ts';

/** `reid` of SORT/DeepSORT. */
export interface SortReidParams {
  /** Embeddings averaged per track (`None`: the last one only). */
  num_samples: number | null;
  /** ReID input `(h, w)` (for the ReID runner; `None`: crops are not resized). */
  img_scale: number[] | null;
  /** ReID normalisation (for the ReID runner; `None`: the detector's). */
  img_norm_cfg: ConfigDict | null;
  /** Largest Euclidean embedding distance accepted. */
  match_score_thr: number;
}

/** The config keys, exactly MMTracking's; their defaults are declared once, in the registry (mot-registry.ts). */
export interface SortTrackerParams {
  /** Detections with `score > obj_score_thr` are tracked, the others dropped. */
  obj_score_thr: number;
  /** Appearance matching (DeepSORT); `null` for SORT. */
  reid: SortReidParams | null;
  /** Smallest IoU for the IoU step. */
  match_iou_thr: number;
  /** Consecutive frames before a new track is confirmed. */
  num_tentatives: number;
  /** Frames a lost track is kept. */
  num_frames_retain: number;
  momentums: Momentums | null;
}

/** Modules passed in: MMTracking's `model.motion` and the id source. */
export interface TrackerModules {
  kalmanFilter?: KalmanFilter;
  idCounter?: IdCounter;
}

export class SortTracker implements MotTracker {
  readonly type = 'SortTracker';
  readonly objScoreThr: number;
  readonly reid: SortReidParams | null;
  readonly matchIouThr: number;
  readonly numTentatives: number;
  readonly requires: TrackerRequirements;
  readonly kf: KalmanFilter;
  readonly idCounter: IdCounter;
  readonly store: TrackStore;
  private lastFrameId = -1;

  constructor(params: SortTrackerParams, modules: TrackerModules = {}) {
    this.objScoreThr = params.obj_score_thr;
    this.reid = params.reid;
    this.matchIouThr = params.match_iou_thr;
    this.numTentatives = params.num_tentatives;
    this.kf = modules.kalmanFilter ?? new KalmanFilter();
    this.idCounter = modules.idCounter ?? new IdCounter();
    this.store = new TrackStore({ numFramesRetain: params.num_frames_retain, momentums: params.momentums, embedHistory: this.reid?.num_samples ?? 1 });
    this.requires = {
      embeddings: this.reid !== null,
      embedder: false,
      regressor: false,
      image: false,
      reidCrop: reidCrop(this.reid),
    };
  }

  reset(): void {
    this.store.clear();
    this.idCounter.reset();
    this.lastFrameId = -1;
  }

  update(detections: Detections, frame: TrackerFrame = {}): Detections {
    const nAll = checkDetections(detections, this.type);
    const frameId = nextFrameId(this.lastFrameId, frame.frameId, this.type);
    if (frameId === 0) this.reset();
    this.lastFrameId = frameId;
    const reid = this.reid;
    let dim = 0;
    if (reid) {
      if (!frame.embeddings) throw new Error(`${this.type}: the config has reid (DeepSORT) but update() got no embeddings; pass frame.embeddings or set reid=None`);
      checkEmbeddings(frame.embeddings, nAll, `${this.type}: frame.embeddings`);
      dim = frame.embeddings.dim;
    }

    // 0. Keep detections with score > obj_score_thr.
    const keep: number[] = [];
    for (let i = 0; i < nAll; i++) if (detections.scores[i]! > this.objScoreThr) keep.push(i);
    const n = keep.length;
    const boxes = new Float64Array(4 * n);
    for (const [k, i] of keep.entries()) for (let c = 0; c < 4; c++) boxes[4 * k + c] = detections.boxes[4 * i + c]!;
    const embeds = reid ? new Float32Array(n * dim) : null;
    if (embeds) for (const [k, i] of keep.entries()) embeds.set(frame.embeddings!.data.subarray(i * dim, (i + 1) * dim), k * dim);
    const ids = new Int32Array(n).fill(-1);

    if (!this.store.empty && n > 0) {
      // 1. Motion: every track's Kalman state one frame ahead, and the (track, detection) pairs within the
      //    chi-square gate (the others are NaN in MMTracking's cost matrix).
      const measurements = new Float64Array(4 * n);
      for (let k = 0; k < n; k++) xyxyToCxcyah(boxes, k, measurements.subarray(4 * k, 4 * k + 4));
      const allIds = this.store.ids;
      const gate = this.kf.trackSparse(allIds.map((id) => this.store.get(id).kalman!), measurements);

      // 2. Appearance (DeepSORT): confirmed tracks vs detections, Euclidean distance of mean embeddings, gated.
      if (reid && embeds) {
        const activeRow = new Int32Array(allIds.length).fill(-1);
        const active: number[] = [];
        allIds.forEach((id, row) => {
          if (!this.store.get(id).tentative) activeRow[row] = active.push(id) - 1;
        });
        if (active.length > 0) {
          const trackEmbeds = this.store.meanEmbeddings(active, reid.num_samples, dim);
          const rows: number[] = [];
          const cols: number[] = [];
          const values: number[] = [];
          for (let e = 0; e < gate.rows.length; e++) {
            const r = activeRow[gate.rows[e]!]!;
            if (r < 0) continue;
            const c = gate.cols[e]!;
            rows.push(r);
            cols.push(c);
            values.push(embeddingDistances(trackEmbeds.subarray(r * dim, (r + 1) * dim), 1, embeds.subarray(c * dim, (c + 1) * dim), 1, dim)[0]!);
          }
          const dists: SparsePairs = { rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float64Array.from(values) };
          const sol = assignAllowedSparse(dists, active.length, n);
          const value = new Map<number, number>();
          for (let e = 0; e < rows.length; e++) value.set(rows[e]! * n + cols[e]!, values[e]!);
          for (let k = 0; k < sol.rows.length; k++) {
            const r = sol.rows[k]!;
            const c = sol.cols[k]!;
            if (value.get(r * n + c)! <= reid.match_score_thr) ids[c] = active[r]!;
          }
        }
      }

      // 3. IoU: tracks seen in the previous frame and not matched yet vs the detections left, last box vs box,
      //    `linear_sum_assignment(1 − IoU)`, pairs kept where `1 − IoU < 1 − match_iou_thr`.
      const taken = new Set(ids);
      const active = allIds.filter((id) => !taken.has(id) && this.store.get(id).frameId === frameId - 1);
      if (active.length > 0) {
        const dets: number[] = [];
        for (let c = 0; c < n; c++) if (ids[c] === -1) dets.push(c);
        const detBoxes = new Float64Array(4 * dets.length);
        for (const [k, c] of dets.entries()) detBoxes.set(boxes.subarray(4 * c, 4 * c + 4), 4 * k);
        const ious = overlappingPairs(this.store.lastBoxes(active), active.length, detBoxes, dets.length);
        const sol = maxWeightPairs(ious, active.length, dets.length);
        const iouOf = new Map<number, number>();
        for (let e = 0; e < ious.rows.length; e++) iouOf.set(ious.rows[e]! * dets.length + ious.cols[e]!, ious.values[e]!);
        for (let k = 0; k < sol.rows.length; k++) {
          const r = sol.rows[k]!;
          const c = sol.cols[k]!;
          if (1 - iouOf.get(r * dets.length + c)! < 1 - this.matchIouThr) ids[dets[c]!] = active[r]!;
        }
      }
    }

    // 4. New tracks for the detections left.
    for (let k = 0; k < n; k++) if (ids[k] === -1) ids[k] = this.idCounter.next();

    // 5. Update the memo: new tracks start tentative; `num_tentatives` updates confirm them.
    const z = new Float64Array(4);
    for (let k = 0; k < n; k++) {
      const box = boxes.subarray(4 * k, 4 * k + 4);
      const { track, created } = this.store.record(
        ids[k]!,
        { box, score: detections.scores[keep[k]!]!, label: detections.labels[keep[k]!]!, ...(embeds ? { embed: embeds.subarray(k * dim, (k + 1) * dim) } : {}) },
        frameId,
      );
      xyxyToCxcyah(track.bbox, 0, z);
      if (created) {
        track.tentative = true;
        track.kalman = this.kf.initiate(z);
      } else {
        if (track.tentative && track.hits >= this.numTentatives) track.tentative = false;
        track.kalman = this.kf.update(track.kalman!, z);
      }
    }
    // 6. Drop tracks lost for num_frames_retain frames, and tentative tracks not matched in this frame.
    this.store.removeInvalid(frameId, (t) => t.tentative && t.frameId !== frameId);

    return {
      boxes: Float32Array.from(boxes),
      scores: Float32Array.from(keep, (i) => detections.scores[i]!),
      labels: Int32Array.from(keep, (i) => detections.labels[i]!),
      ids,
    };
  }
}
