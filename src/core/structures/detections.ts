import type { RleMasks } from './bit-masks.ts';

/**
 * The struct-of-arrays that crosses every boundary (detector → tracker → renderer → exporters),
 * after supervision's `Detections`. Boxes are `x1,y1,x2,y2` in frame pixels.
 */
export interface Detections {
  /** `[n*4]` x1, y1, x2, y2 per box, frame pixels. */
  boxes: Float32Array;
  /** `[n]` confidence in [0, 1]. */
  scores: Float32Array;
  /** `[n]` class index (COCO 0-based for the default detector). */
  labels: Int32Array;
  /** `[n]` track id, or undefined before tracking. */
  ids?: Int32Array;
  /** Appearance embeddings, one row of `dim` values per box (DeepSORT), when the pipeline computes them. */
  embeddings?: { data: Float32Array; dim: number };
  /** One instance mask per box at frame size, as run lengths (VIS), when the pipeline computes them. */
  masks?: RleMasks;
}

export function detectionCount(d: Detections): number {
  return d.scores.length;
}

/** Builds a `Detections`, checking that all arrays agree on the number of boxes. */
export function makeDetections(parts: { boxes: ArrayLike<number>; scores: ArrayLike<number>; labels: ArrayLike<number>; ids?: ArrayLike<number>; embeddings?: { data: ArrayLike<number>; dim: number }; masks?: RleMasks }): Detections {
  const n = parts.scores.length;
  if (parts.boxes.length !== n * 4) throw new Error(`Detections: ${parts.boxes.length} box coordinates for ${n} scores (need ${n * 4})`);
  if (parts.labels.length !== n) throw new Error(`Detections: ${parts.labels.length} labels for ${n} scores`);
  if (parts.ids && parts.ids.length !== n) throw new Error(`Detections: ${parts.ids.length} ids for ${n} scores`);
  if (parts.embeddings && parts.embeddings.data.length !== n * parts.embeddings.dim) throw new Error(`Detections: ${parts.embeddings.data.length} embedding values for ${n} boxes of dim ${parts.embeddings.dim}`);
  const out: Detections = {
    boxes: Float32Array.from(parts.boxes),
    scores: Float32Array.from(parts.scores),
    labels: Int32Array.from(parts.labels),
  };
  if (parts.ids) out.ids = Int32Array.from(parts.ids);
  if (parts.embeddings) out.embeddings = { data: Float32Array.from(parts.embeddings.data), dim: parts.embeddings.dim };
  if (parts.masks) {
    if (parts.masks.counts.length !== n) throw new Error(`Detections: ${parts.masks.counts.length} masks for ${n} boxes`);
    out.masks = parts.masks;
  }
  return out;
}

export function emptyDetections(): Detections {
  return { boxes: new Float32Array(0), scores: new Float32Array(0), labels: new Int32Array(0) };
}
