/**
 * Tracktor's association as MMTracking's `TracktorTracker`
 * (https://github.com/open-mmlab/mmtracking/blob/master/mmtrack/models/trackers/tracktor_tracker.py):
 * P. Bergmann et al., "Tracking without bells and whistles", ICCV 2019 (https://arxiv.org/abs/1903.05625).
 * Last frame's track boxes are moved by the camera motion (ECC), regressed by the detector's bbox head on the
 * current frame (the {@link BoxRegressor} a two-stage detector runner implements), cleaned by NMS; detections that
 * overlap a regressed track are dropped; the rest are re-identified against lost tracks by appearance, or start
 * new tracks.
 */
import { batchedNms } from '../ops/nms.ts';
import type { ConfigDict } from '../config/config-value.ts';
import type { Detections } from '../structures/detections.ts';
import { linearSumAssignment } from '../ops/linear-assignment.ts';
import type { CameraMotionCompensation } from './camera-motion-compensation.ts';
import { bboxOverlaps, embeddingDistances } from './cost-matrices.ts';
import type { GrayImage } from './ecc.ts';
import { IdCounter } from './id-counter.ts';
import { type Momentums, TrackStore } from './track-store.ts';
import { type Embeddings, type MotTracker, type TrackerFrame, type TrackerRequirements, checkDetections, checkEmbeddings, nextFrameId, reidCrop } from './tracker.ts';

/** `regression` of Tracktor. */
export interface TracktorRegressionParams {
  /** Regressed tracks with `score > obj_score_thr` survive. */
  obj_score_thr: number;
  /** NMS over the regressed boxes (`dict(type='nms', iou_threshold=0.6)`). */
  nms: { type: 'nms'; iou_threshold: number };
  /** Detections with IoU >= this with any regressed track are dropped. */
  match_iou_thr: number;
}

/** `reid` of Tracktor. */
export interface TracktorReidParams {
  num_samples: number | null;
  img_scale: number[] | null;
  img_norm_cfg: ConfigDict | null;
  /** Largest Euclidean embedding distance accepted. */
  match_score_thr: number;
  /** Smallest IoU between a lost track's last (motion-compensated) box and a detection for re-identification. */
  match_iou_thr: number;
}

/** The config keys, exactly MMTracking's; their defaults are declared once, in the registry (mot-registry.ts). */
export interface TracktorTrackerParams {
  /** Detections with `score > obj_score_thr` are used. */
  obj_score_thr: number;
  regression: TracktorRegressionParams;
  /** Re-identification of lost tracks; `null` to disable. */
  reid: TracktorReidParams | null;
  /** Frames a lost track is kept. */
  num_frames_retain: number;
  momentums: Momentums | null;
}

/** Modules passed in: MMTracking's `model.cmc` and the id source. */
export interface TracktorModules {
  cmc?: CameraMotionCompensation;
  idCounter?: IdCounter;
}

export class TracktorTracker implements MotTracker {
  readonly type = 'TracktorTracker';
  readonly objScoreThr: number;
  readonly regression: TracktorRegressionParams;
  readonly reid: TracktorReidParams | null;
  readonly requires: TrackerRequirements;
  readonly cmc: CameraMotionCompensation | undefined;
  readonly idCounter: IdCounter;
  readonly store: TrackStore;
  private lastFrameId = -1;
  private lastImage: GrayImage | undefined;
  private busy = false;

  constructor(params: TracktorTrackerParams, modules: TracktorModules = {}) {
    this.objScoreThr = params.obj_score_thr;
    this.regression = { ...params.regression, nms: { ...params.regression.nms } };
    this.reid = params.reid;
    this.cmc = modules.cmc;
    this.idCounter = modules.idCounter ?? new IdCounter();
    this.store = new TrackStore({ numFramesRetain: params.num_frames_retain, momentums: params.momentums, embedHistory: this.reid?.num_samples ?? 1 });
    this.requires = {
      embeddings: false,
      embedder: this.reid !== null,
      regressor: true,
      image: this.cmc !== undefined,
      reidCrop: reidCrop(this.reid),
    };
  }

  reset(): void {
    this.store.clear();
    this.idCounter.reset();
    this.lastFrameId = -1;
    this.lastImage = undefined;
  }

  async update(detections: Detections, frame: TrackerFrame = {}): Promise<Detections> {
    if (this.busy) throw new Error(`${this.type}: update() called before the previous frame finished; await each frame`);
    this.busy = true;
    try {
      return await this.step(detections, frame);
    } finally {
      this.busy = false;
    }
  }

  private async step(detections: Detections, frame: TrackerFrame): Promise<Detections> {
    const nAll = checkDetections(detections, this.type);
    const frameId = nextFrameId(this.lastFrameId, frame.frameId, this.type);
    if (frameId === 0) this.reset();
    const { regressor, embedder, image } = frame;
    if (!regressor) throw new Error(`${this.type}: update() needs frame.regressor (the detector's box regression)`);
    if (this.reid && !embedder) throw new Error(`${this.type}: the config has reid but update() got no frame.embedder; pass one or set reid=None`);
    if (this.cmc && !image) throw new Error(`${this.type}: camera motion compensation is configured but update() got no frame.image`);
    this.lastFrameId = frameId;

    // 0. Keep detections with score > obj_score_thr.
    let dets: number[] = [];
    for (let i = 0; i < nAll; i++) if (detections.scores[i]! > this.objScoreThr) dets.push(i);
    const embed = async (boxes: Float32Array, n: number, what: string): Promise<Embeddings> => {
      const e = await embedder!.embed(boxes);
      checkEmbeddings(e, n, `${this.type}: embedder (${what})`);
      return e;
    };

    let prop: PropagatedTracks = { boxes: new Float32Array(0), scores: new Float32Array(0), labels: new Int32Array(0), ids: new Int32Array(0) };
    let propEmbeds: Embeddings | undefined;
    let detEmbeds: Embeddings | undefined;
    const ids: number[] = [];
    if (this.store.empty) {
      for (const _ of dets) ids.push(this.idCounter.next());
      if (this.reid && dets.length > 0) detEmbeds = await embed(gatherBoxes(detections.boxes, dets), dets.length, 'detections');
    } else {
      // 1. Camera motion compensation: the previous frame's boxes moved to where the camera now sees them.
      if (this.cmc && image) {
        if (!this.lastImage) throw new Error(`${this.type}: camera motion compensation needs the previous frame's image; pass frame.image on every frame`);
        const warp = this.cmc.getWarpMatrix(this.lastImage, image);
        for (const t of this.store.tracks.values()) this.cmc.warpBboxes(t.bbox, warp);
      }

      // 2. Regression: tracks seen in the previous frame, regressed on this frame, NMS, score filter.
      prop = await this.regressTracks(regressor, frameId);

      // 3. Drop detections covered by a regressed track.
      const detBoxes = gatherBoxes(detections.boxes, dets);
      const ious = bboxOverlaps(detBoxes, dets.length, prop.boxes, prop.ids.length);
      dets = dets.filter((_, k) => {
        for (let p = 0; p < prop.ids.length; p++) if (!(ious[k * prop.ids.length + p]! < this.regression.match_iou_thr)) return false;
        return true;
      });
      for (const _ of dets) ids.push(-1);

      // 4. Re-identification: lost tracks vs the detections left, appearance gated by IoU.
      if (this.reid) {
        const reid = this.reid;
        propEmbeds = prop.ids.length > 0 ? await embed(prop.boxes, prop.ids.length, 'regressed tracks') : undefined;
        const remaining = gatherBoxes(detections.boxes, dets);
        detEmbeds = dets.length > 0 ? await embed(remaining, dets.length, 'detections') : undefined;
        const propIds = new Set(prop.ids);
        const active = this.store.ids.filter((id) => !propIds.has(id));
        if (active.length > 0 && detEmbeds) {
          const dim = detEmbeds.dim;
          const n = dets.length;
          const dists = embeddingDistances(this.store.meanEmbeddings(active, reid.num_samples, dim), active.length, detEmbeds.data, n, dim);
          const trackIous = bboxOverlaps(this.store.lastBoxes(active), active.length, remaining, n);
          for (let k = 0; k < dists.length; k++) if (trackIous[k]! < reid.match_iou_thr) dists[k] = 1e6;
          const sol = linearSumAssignment(dists, active.length, n);
          for (let k = 0; k < sol.rows.length; k++) {
            const r = sol.rows[k]!;
            const c = sol.cols[k]!;
            if (dists[r * n + c]! <= reid.match_score_thr) ids[c] = active[r]!;
          }
        }
      }
      // 5. New ids for the rest.
      for (let k = 0; k < ids.length; k++) if (ids[k] === -1) ids[k] = this.idCounter.next();
    }

    // Output and memo: regressed tracks first, then the detections.
    const nProp = prop.ids.length;
    const total = nProp + dets.length;
    const out = { boxes: new Float32Array(4 * total), scores: new Float32Array(total), labels: new Int32Array(total), ids: new Int32Array(total) };
    out.boxes.set(prop.boxes);
    out.scores.set(prop.scores);
    out.labels.set(prop.labels);
    out.ids.set(prop.ids);
    for (const [k, i] of dets.entries()) {
      out.boxes.set(detections.boxes.subarray(4 * i, 4 * i + 4), 4 * (nProp + k));
      out.scores[nProp + k] = detections.scores[i]!;
      out.labels[nProp + k] = detections.labels[i]!;
      out.ids[nProp + k] = ids[k]!;
    }
    for (let k = 0; k < total; k++) {
      const e = k < nProp ? propEmbeds : detEmbeds;
      const row = k < nProp ? k : k - nProp;
      this.store.record(
        out.ids[k]!,
        { box: out.boxes.subarray(4 * k, 4 * k + 4), score: out.scores[k]!, label: out.labels[k]!, ...(e ? { embed: e.data.subarray(row * e.dim, (row + 1) * e.dim) } : {}) },
        frameId,
      );
    }
    this.store.removeInvalid(frameId);
    this.lastImage = image;
    return out;
  }

  /** `regress_tracks`: boxes, scores, labels and ids of the tracks that survive regression, by descending score. */
  private async regressTracks(regressor: NonNullable<TrackerFrame['regressor']>, frameId: number): Promise<PropagatedTracks> {
    const prevIds = this.store.ids.filter((id) => this.store.get(id).frameId === frameId - 1);
    const empty: PropagatedTracks = { boxes: new Float32Array(0), scores: new Float32Array(0), labels: new Int32Array(0), ids: new Int32Array(0) };
    if (prevIds.length === 0) return empty;
    const prevBoxes = Float32Array.from(this.store.lastBoxes(prevIds));
    const r = await regressor.regressBoxes(prevBoxes);
    if (r.boxes.length !== 4 * prevIds.length || r.scores.length !== prevIds.length) {
      throw new Error(`${this.type}: regressBoxes returned ${r.boxes.length / 4} boxes and ${r.scores.length} scores for ${prevIds.length} tracks`);
    }
    const labels = Int32Array.from(prevIds, (id) => this.store.get(id).label);
    // MMDetection's multiclass_nms(score_thr=0): class-aware NMS over scores > 0, sorted by score.
    const candidates: number[] = [];
    for (let k = 0; k < prevIds.length; k++) if (r.scores[k]! > 0) candidates.push(k);
    const nms = batchedNms(gatherBoxes(r.boxes, candidates), Float32Array.from(candidates, (k) => r.scores[k]!), Int32Array.from(candidates, (k) => labels[k]!), {
      iouThreshold: this.regression.nms.iou_threshold,
    });
    const kept = Array.from(nms.keep, (j) => candidates[j]!).filter((k) => r.scores[k]! > this.regression.obj_score_thr);
    return {
      boxes: gatherBoxes(r.boxes, kept),
      scores: Float32Array.from(kept, (k) => r.scores[k]!),
      labels: Int32Array.from(kept, (k) => labels[k]!),
      ids: Int32Array.from(kept, (k) => prevIds[k]!),
    };
  }
}

/** Regressed tracks: `[n*4]` boxes, `[n]` scores, labels, ids. */
interface PropagatedTracks {
  boxes: Float32Array;
  scores: Float32Array;
  labels: Int32Array;
  ids: Int32Array;
}

function gatherBoxes(boxes: ArrayLike<number>, idx: readonly number[]): Float32Array {
  const out = new Float32Array(4 * idx.length);
  for (const [k, i] of idx.entries()) for (let c = 0; c < 4; c++) out[4 * k + c] = boxes[4 * i + c]!;
  return out;
}
