/**
 * What every multiple-object tracker here shares: the per-frame inputs besides the detections, the interface the
 * app/CLI drive, and the frame clock. Shapes follow supervision's trackers
 * (https://github.com/roboflow/supervision/tree/develop/supervision/tracker/byte_tracker): one `Detections` in,
 * one `Detections` (with `ids`) out.
 */
import type { ConfigDict } from '../config/config-value.ts';
import type { Detections } from '../structures/detections.ts';
import type { GrayImage } from './ecc.ts';

/** Appearance embeddings, one row per box: `data[i*dim .. i*dim+dim-1]`. */
export interface Embeddings {
  data: Float32Array;
  dim: number;
}

/** The detector's bbox head applied to given boxes (Tracktor's regression): one box and score per input box. */
export interface RegressedBoxes {
  /** `[n*4]` x1, y1, x2, y2, frame pixels. */
  boxes: Float32Array;
  /** `[n]` score of the track's class, in [0, 1]. */
  scores: Float32Array;
}

/** Implemented by a two-stage detector runner: regress last frame's track boxes on the current frame. */
export interface BoxRegressor {
  /** @param prevBoxes `[n*4]` x1, y1, x2, y2 in frame pixels (already camera-motion compensated). */
  regressBoxes(prevBoxes: Float32Array): RegressedBoxes | Promise<RegressedBoxes>;
}

/** Implemented by a ReID runner: embeddings of the current frame's crops at the given boxes. */
export interface Embedder {
  /** @param boxes `[n*4]` x1, y1, x2, y2 in frame pixels; @returns `n` embeddings. */
  embed(boxes: Float32Array): Embeddings | Promise<Embeddings>;
}

/** Per-frame inputs besides the detections; which ones a tracker needs is in its {@link TrackerRequirements}. */
export interface TrackerFrame {
  /**
   * 0-based frame index (MMTracking's `frame_id`). Default: one more than the previous call's (0 after
   * construction or `reset()`). Frame 0 resets the tracker, as in MMTracking. Gaps are allowed (tracks age by the
   * difference); going back is an error.
   */
  frameId?: number;
  /** SORT/DeepSORT with `reid`: embeddings of the input detections, same order (all of them, or at least those with `score > obj_score_thr`; the others are ignored). */
  embeddings?: Embeddings;
  /** Tracktor: the detector's box regression on this frame. */
  regressor?: BoxRegressor;
  /** Tracktor with `reid`: embeds boxes of this frame. */
  embedder?: Embedder;
  /** Tracktor with camera motion compensation: this frame in grayscale. */
  image?: GrayImage;
}

/** What a tracker needs in {@link TrackerFrame} besides the detections. */
export interface TrackerRequirements {
  /** `TrackerFrame.embeddings` (SORT with `reid`). */
  embeddings: boolean;
  /** `TrackerFrame.embedder` (Tracktor with `reid`). */
  embedder: boolean;
  /** `TrackerFrame.regressor` (Tracktor). */
  regressor: boolean;
  /** `TrackerFrame.image` (camera motion compensation). */
  image: boolean;
  /** ReID crop settings from the config (`reid.img_scale` `[h, w]`, `reid.img_norm_cfg`), for the ReID runner. */
  reidCrop: ReidCrop | null;
}

/**
 * Whether the tracker needs the frame itself each step (regression, ReID of its own boxes, the image for camera
 * motion compensation), so it cannot re-track cached detections alone.
 */
export function needsFrame(r: TrackerRequirements): boolean {
  return r.regressor || r.embedder || r.image;
}

/**
 * A multiple-object tracker. `update` takes one frame's detections (boxes in frame pixels, scores, labels) and
 * returns the tracked ones with `ids` set (every returned box has an id >= 0); which detections come back, and in
 * which order, is MMTracking's for each tracker. SORT and ByteTrack answer synchronously, Tracktor with a promise
 * (its regressor/embedder may run on the GPU): `await tracker.update(...)` works for all. Await each frame before
 * the next.
 */
export interface MotTracker {
  /** The registered type (`'ByteTracker'`, ...). */
  readonly type: string;
  readonly requires: TrackerRequirements;
  update(detections: Detections, frame?: TrackerFrame): Detections | Promise<Detections>;
  /** Forgets every track and restarts the id counter (MMTracking's `reset()`). */
  reset(): void;
}

/** How the ReID runner should crop and normalise (`reid.img_scale`, `reid.img_norm_cfg`). */
export interface ReidCrop {
  /** `[h, w]` crop size in pixels; null: crops are not resized. */
  imgScale: [number, number] | null;
  /** `dict(mean, std, to_rgb)` of the ReID model; null: the detector's normalisation. */
  imgNormCfg: ConfigDict | null;
}

/** The {@link ReidCrop} of a `reid` config (null when there is none). */
export function reidCrop(reid: { img_scale: number[] | null; img_norm_cfg: ConfigDict | null } | null): ReidCrop | null {
  if (!reid) return null;
  const s = reid.img_scale;
  if (s && s.length !== 2) throw new Error(`reid.img_scale must be (h, w), got ${s.length} numbers`);
  return { imgScale: s ? [s[0]!, s[1]!] : null, imgNormCfg: reid.img_norm_cfg };
}

/** Resolves `frame.frameId` against the previous frame (-1 before the first). */
export function nextFrameId(previous: number, frameId: number | undefined, trackerName: string): number {
  const id = frameId ?? previous + 1;
  if (!Number.isInteger(id) || id < 0) throw new Error(`${trackerName}: frameId must be an integer >= 0, got ${id}`);
  if (id !== 0 && id <= previous) throw new Error(`${trackerName}: frameId ${id} does not follow the previous frame ${previous} (use frameId 0 or reset() to start a new video)`);
  return id;
}

/** Checks that a `Detections` is consistent; returns the number of boxes. */
export function checkDetections(d: Detections, trackerName: string): number {
  const n = d.scores.length;
  if (d.boxes.length !== 4 * n || d.labels.length !== n) {
    throw new Error(`${trackerName}: inconsistent detections (${d.boxes.length} box coordinates, ${n} scores, ${d.labels.length} labels)`);
  }
  return n;
}

/** Checks that `e` has one embedding per box. */
export function checkEmbeddings(e: Embeddings, n: number, what: string): void {
  if (n === 0 && e.data.length === 0) return;
  if (!(Number.isInteger(e.dim) && e.dim > 0) || e.data.length !== n * e.dim) {
    throw new Error(`${what}: ${e.data.length} embedding values of dimension ${e.dim} for ${n} boxes`);
  }
}

/** The detections at `order` (indices into `detections`), in that order, with their track ids: a tracker's output. */
export function trackedDetections(detections: Detections, order: readonly number[], ids: readonly number[]): Detections {
  const boxes = new Float32Array(4 * order.length);
  for (const [k, i] of order.entries()) boxes.set(detections.boxes.subarray(4 * i, 4 * i + 4), 4 * k);
  return {
    boxes,
    scores: Float32Array.from(order, (i) => detections.scores[i]!),
    labels: Int32Array.from(order, (i) => detections.labels[i]!),
    ids: Int32Array.from(ids),
  };
}
