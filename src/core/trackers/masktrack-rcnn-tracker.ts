/**
 * MaskTrack R-CNN's tracker ("Video Instance Segmentation", Yang et al. 2019, https://arxiv.org/abs/1905.04804) as
 * MMTracking implements it (`MaskTrackRCNNTracker` with `BaseTracker`'s memo, momentums off):
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/trackers/masktrack_rcnn_tracker.py
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/trackers/base_tracker.py
 *
 * Per frame, with the detections in MMDetection's class-major order and their track-head embeddings:
 * 1. Frame 0 starts a new video (MaskTrackRCNN.simple_test resets the tracker). A frame without detections returns
 *    at once: no track is dropped on it.
 * 2. No tracks yet: every detection starts one.
 * 3. Otherwise, for detection i and column j (0 = a new track, then the tracks in the order they were made):
 *    S = log softmax_j [0, e_i . e_j] + det_score * log(score_i) + iou * [0, IoU_ij] + det_label * [1, label_i == label_j].
 * 4. Each detection in turn takes its best column: column 0 → a new id; track j → its id if S beats the best score
 *    track j was given so far on this frame (from -1e6), else -1 (the detection is dropped). An earlier detection
 *    that took track j keeps it, so two detections can share an id (MMTracking issue #610); `fixDuplicateIds` drops
 *    the earlier one instead (a documented deviation, off by default).
 * 5. Detections with an id update their track (box, score, label, embedding, frame) in order, then tracks last seen
 *    `num_frames_retain` or more frames ago are dropped.
 * MMTracking keeps each track's RoI features and runs the embed head on them again every frame; the embedding of the
 * same features is the same, so the embedding is kept instead.
 */
import { bboxOverlaps } from './cost-matrices.ts';
import { IdCounter } from './id-counter.ts';

export interface MaskTrackRcnnTrackerSettings {
  /** `match_weights`: det_score 1, iou 2, det_label 10 in MMTracking's configs. */
  matchWeights: { detScore: number; iou: number; detLabel: number };
  /** `num_frames_retain` (20). */
  numFramesRetain: number;
  /** Not MMTracking: the earlier detection loses a track a later one takes (no duplicate ids). */
  fixDuplicateIds: boolean;
}

/** One frame's detections (class-major) and their embeddings. */
export interface MaskTrackRcnnFrame {
  /** `[n*4]` frame pixels. */
  boxes: Float32Array;
  scores: Float32Array;
  labels: Int32Array;
  /** `[n*dim]` the track head's embeddings. */
  embeddings: Float32Array;
  dim: number;
}

interface Track {
  box: Float32Array;
  label: number;
  embedding: Float32Array;
  frameId: number;
}

export class MaskTrackRcnnTracker {
  /** By id, in the order the tracks were made (Python's dict order). */
  private readonly tracks = new Map<number, Track>();
  private readonly idCounter = new IdCounter(0);

  constructor(readonly settings: MaskTrackRcnnTrackerSettings) {}

  reset(): void {
    this.tracks.clear();
    this.idCounter.reset();
  }

  /** Ids of the live tracks, oldest first. */
  get ids(): number[] {
    return [...this.tracks.keys()];
  }

  /** Steps 1-5: an id per detection, -1 for a dropped one. */
  track(frameId: number, frame: MaskTrackRcnnFrame): Int32Array {
    const n = frame.scores.length;
    if (frame.boxes.length !== n * 4 || frame.labels.length !== n || frame.embeddings.length !== n * frame.dim) {
      throw new Error(`MaskTrack R-CNN tracker: ${frame.boxes.length / 4} boxes, ${n} scores, ${frame.labels.length} labels and ${frame.embeddings.length / frame.dim} embeddings`);
    }
    // 1.
    if (frameId === 0) this.reset();
    if (n === 0) return new Int32Array(0);
    const ids = new Int32Array(n).fill(-1);
    if (this.tracks.size === 0) {
      // 2.
      for (let i = 0; i < n; i++) ids[i] = this.idCounter.next();
    } else this.assignIds(frame, ids);
    // 5.
    for (let i = 0; i < n; i++) {
      if (ids[i]! < 0) continue;
      const track = { box: frame.boxes.slice(i * 4, i * 4 + 4), label: frame.labels[i]!, embedding: frame.embeddings.slice(i * frame.dim, (i + 1) * frame.dim), frameId };
      this.tracks.set(ids[i]!, track);
    }
    for (const [id, t] of this.tracks) if (frameId - t.frameId >= this.settings.numFramesRetain) this.tracks.delete(id);
    return ids;
  }

  /** Steps 3-4. */
  private assignIds(frame: MaskTrackRcnnFrame, ids: Int32Array): void {
    const n = frame.scores.length;
    const prev = [...this.tracks.entries()];
    const m = prev.length;
    const w = this.settings.matchWeights;
    const prevBoxes = new Float32Array(m * 4);
    prev.forEach(([, t], j) => prevBoxes.set(t.box, j * 4));
    const ious = bboxOverlaps(frame.boxes, n, prevBoxes, m);
    const best = new Float64Array(m).fill(-1e6);
    const winner = new Int32Array(m).fill(-1);
    const row = new Float64Array(m + 1);
    const dim = frame.dim;
    for (let i = 0; i < n; i++) {
      // 3. Logits [0, e_i . e_j], log softmax, then the weighted terms.
      row[0] = 0;
      for (let j = 0; j < m; j++) {
        const e = prev[j]![1].embedding;
        let dot = 0;
        for (let k = 0; k < dim; k++) dot += frame.embeddings[i * dim + k]! * e[k]!;
        row[j + 1] = dot;
      }
      let max = -Infinity;
      for (let j = 0; j <= m; j++) max = Math.max(max, row[j]!);
      let sum = 0;
      for (let j = 0; j <= m; j++) sum += Math.exp(row[j]! - max);
      const logSum = max + Math.log(sum);
      const detTerm = w.detScore * Math.log(frame.scores[i]!);
      let bestCol = 0;
      let bestScore = -Infinity;
      for (let j = 0; j <= m; j++) {
        let s = row[j]! - logSum + detTerm;
        if (j === 0) s += w.detLabel;
        else s += w.iou * ious[i * m + j - 1]! + (frame.labels[i] === prev[j - 1]![1].label ? w.detLabel : 0);
        if (s > bestScore) {
          bestScore = s;
          bestCol = j;
        }
      }
      // 4.
      if (bestCol === 0) ids[i] = this.idCounter.next();
      else if (bestScore > best[bestCol - 1]!) {
        const j = bestCol - 1;
        if (this.settings.fixDuplicateIds && winner[j]! >= 0) ids[winner[j]!] = -1;
        ids[i] = prev[j]![0];
        best[j] = bestScore;
        winner[j] = i;
      }
    }
  }
}
