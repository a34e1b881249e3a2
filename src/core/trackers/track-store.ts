/**
 * The memory of a tracker: MMTracking's `BaseTracker` buffers
 * (https://github.com/open-mmlab/mmtracking/blob/master/mmtrack/models/trackers/base_tracker.py) — tracks by id in
 * creation order, each with its last box, score and label, recent embeddings and the frame it was last seen in;
 * tracks not seen for `num_frames_retain` frames are dropped; `momentums` blend an item instead of appending it.
 *
 * Unlike MMTracking, which keeps every box and embedding a track ever had, only what the trackers read is kept:
 * the last box and the last `embedHistory` embeddings (`reid.num_samples`).
 */
import type { KalmanState } from './kalman-filter.ts';

/** `momentums`: per memo item, `new = (1 - m) · old + m · observed`. */
export interface Momentums {
  bboxes?: number;
  scores?: number;
  embeds?: number;
}

/** The memo items that can take a momentum. */
export const MOMENTUM_ITEMS = ['bboxes', 'scores', 'embeds'] as const;

export interface Track {
  readonly id: number;
  /** Last `x1, y1, x2, y2` (frame pixels), or the momentum blend. */
  bbox: Float64Array;
  score: number;
  label: number;
  /** Newest last, at most `embedHistory` (one blended embedding under an `embeds` momentum). */
  embeds: Float32Array[];
  /** Frame index of the last update. */
  frameId: number;
  /** Number of updates (frames matched, creation included): MMTracking's `len(track.frame_ids)`. */
  hits: number;
  /** Not yet confirmed (SORT, ByteTrack). */
  tentative: boolean;
  /** Kalman state (SORT, ByteTrack). */
  kalman?: KalmanState;
}

/** One detection assigned to a track id. */
export interface Observation {
  /** `[4]` x1, y1, x2, y2 (a view into the detections is fine: it is copied). */
  box: ArrayLike<number>;
  score: number;
  label: number;
  embed?: Float32Array;
}

export interface TrackStoreOptions {
  /** Tracks unseen for this many frames are dropped (`num_frames_retain`). */
  numFramesRetain: number;
  momentums?: Momentums | null;
  /** Embeddings kept per track (default 1). */
  embedHistory?: number;
}

export class TrackStore {
  readonly tracks = new Map<number, Track>();
  readonly numFramesRetain: number;
  readonly momentums: Momentums | null;
  readonly embedHistory: number;

  constructor(options: TrackStoreOptions) {
    this.numFramesRetain = options.numFramesRetain;
    this.momentums = options.momentums ?? null;
    this.embedHistory = Math.max(1, options.embedHistory ?? 1);
    if (!(Number.isInteger(this.numFramesRetain) && this.numFramesRetain >= 1)) throw new Error(`num_frames_retain must be an integer >= 1, got ${this.numFramesRetain}`);
    for (const [k, m] of Object.entries(this.momentums ?? {})) {
      if (!(MOMENTUM_ITEMS as readonly string[]).includes(k)) throw new Error(`momentums: '${k}' cannot be blended; items: ${MOMENTUM_ITEMS.join(', ')}`);
      if (typeof m !== 'number' || !(m >= 0 && m <= 1)) throw new Error(`momentums.${k} must be a number in [0, 1], got ${String(m)}`);
    }
  }

  get empty(): boolean {
    return this.tracks.size === 0;
  }

  /** Track ids in creation order. */
  get ids(): number[] {
    return [...this.tracks.keys()];
  }

  get(id: number): Track {
    const t = this.tracks.get(id);
    if (!t) throw new Error(`TrackStore: no track ${id}`);
    return t;
  }

  /** MMTracking's `init_track` / `update_track` for one object; returns the track and whether it is new. */
  record(id: number, obs: Observation, frameId: number): { track: Track; created: boolean } {
    const m = this.momentums;
    const existing = this.tracks.get(id);
    if (!existing) {
      const track: Track = {
        id,
        bbox: Float64Array.from({ length: 4 }, (_, k) => obs.box[k]!),
        score: obs.score,
        label: obs.label,
        embeds: obs.embed ? [Float32Array.from(obs.embed)] : [],
        frameId,
        hits: 1,
        tentative: false,
      };
      this.tracks.set(id, track);
      return { track, created: true };
    }
    const t = existing;
    const mb = m?.bboxes;
    for (let k = 0; k < 4; k++) t.bbox[k] = mb === undefined ? obs.box[k]! : (1 - mb) * t.bbox[k]! + mb * obs.box[k]!;
    t.score = m?.scores === undefined ? obs.score : (1 - m.scores) * t.score + m.scores * obs.score;
    t.label = obs.label;
    if (obs.embed) {
      const me = m?.embeds;
      const last = t.embeds[t.embeds.length - 1];
      if (me !== undefined && last) {
        t.embeds = [Float32Array.from(last, (v, k) => (1 - me) * v + me * obs.embed![k]!)];
      } else {
        t.embeds.push(Float32Array.from(obs.embed));
        if (t.embeds.length > this.embedHistory) t.embeds.splice(0, t.embeds.length - this.embedHistory);
      }
    }
    t.frameId = frameId;
    t.hits++;
    return { track: t, created: false };
  }

  /**
   * `pop_invalid_tracks(frame_id)`: drops tracks unseen for `numFramesRetain` frames or more, and those `extra`
   * rejects (e.g. tentative tracks not matched in this frame). @returns the dropped ids.
   */
  removeInvalid(frameId: number, extra?: (t: Track) => boolean): number[] {
    const removed: number[] = [];
    for (const [id, t] of this.tracks) {
      if (frameId - t.frameId >= this.numFramesRetain || (extra?.(t) ?? false)) removed.push(id);
    }
    for (const id of removed) this.tracks.delete(id);
    return removed;
  }

  clear(): void {
    this.tracks.clear();
  }

  /** `[ids.length*4]` last boxes (`get('bboxes', ids)`). */
  lastBoxes(ids: readonly number[]): Float64Array {
    const out = new Float64Array(ids.length * 4);
    for (const [i, id] of ids.entries()) out.set(this.get(id).bbox, 4 * i);
    return out;
  }

  /**
   * `get('embeds', ids, num_samples, behavior='mean')`: per track, the mean of its last `numSamples` embeddings
   * (the last one when `numSamples` is null, as MMTracking). @returns `[ids.length*dim]`.
   */
  meanEmbeddings(ids: readonly number[], numSamples: number | null, dim: number): Float32Array {
    const out = new Float32Array(ids.length * dim);
    const sum = new Float64Array(dim);
    for (const [i, id] of ids.entries()) {
      const embeds = this.get(id).embeds;
      if (embeds.length === 0) throw new Error(`TrackStore: track ${id} has no embedding`);
      const used = numSamples === null ? embeds.slice(-1) : embeds.slice(-numSamples);
      sum.fill(0);
      for (const e of used) {
        if (e.length !== dim) throw new Error(`TrackStore: track ${id} has an embedding of dimension ${e.length}, expected ${dim}`);
        for (let k = 0; k < dim; k++) sum[k] = sum[k]! + e[k]!;
      }
      for (let k = 0; k < dim; k++) out[i * dim + k] = sum[k]! / used.length;
    }
    return out;
  }
}
