/**
 * A video's tracked instance masks as YouTube-VIS results, the way MMTracking's `YouTubeVISDataset.format_results`
 * writes them (https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/datasets/youtube_vis_dataset.py): one
 * entry per track id with `video_id`, `score` (the mean of its per-frame scores), `category_id` (the most frequent
 * label + 1, the smallest on a tie, as numpy's bincount argmax) and `segmentations` (a compressed RLE per frame, null
 * where the id is absent). Two detections with one id on a frame (MaskTrack R-CNN's duplicate ids) both add a score
 * and a label, and the later mask stands, as upstream.
 */
import type { RleMasks } from '../structures/bit-masks.ts';
import { rleToString } from './rle.ts';

export interface YtvisResultJson {
  video_id: number;
  score: number;
  category_id: number;
  segmentations: ({ size: [number, number]; counts: string } | null)[];
}

interface Collected {
  labels: number[];
  scores: number[];
  masks: Map<number, { size: [number, number]; counts: string }>;
}

export class YtvisResultsBuilder {
  private readonly tracks = new Map<number, Collected>();
  private frames = 0;

  constructor(readonly videoId: number) {}

  /** Frame `frameId`'s kept instances: `ids[i]` < 0 is skipped (a detection the tracker dropped). */
  addFrame(frameId: number, ids: ArrayLike<number>, labels: ArrayLike<number>, scores: ArrayLike<number>, masks: RleMasks): void {
    if (masks.counts.length !== ids.length || labels.length !== ids.length || scores.length !== ids.length) throw new Error(`YouTube-VIS results: ${ids.length} ids, ${labels.length} labels, ${scores.length} scores and ${masks.counts.length} masks on frame ${frameId}`);
    this.frames = Math.max(this.frames, frameId + 1);
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j]!;
      if (id < 0) continue;
      let t = this.tracks.get(id);
      if (!t) this.tracks.set(id, (t = { labels: [], scores: [], masks: new Map() }));
      t.labels.push(labels[j]!);
      t.scores.push(scores[j]!);
      t.masks.set(frameId, { size: [masks.height, masks.width], counts: rleToString(masks.counts[j]!) });
    }
  }

  /** Frames seen so far (the highest frame id + 1, or more when given). */
  results(frameCount = this.frames): YtvisResultJson[] {
    return [...this.tracks.values()].map((t) => {
      const votes = new Map<number, number>();
      for (const l of t.labels) votes.set(l, (votes.get(l) ?? 0) + 1);
      let label = Infinity;
      let most = 0;
      for (const [l, c] of votes) if (c > most || (c === most && l < label)) [label, most] = [l, c];
      return {
        video_id: this.videoId,
        score: t.scores.reduce((a, b) => a + b, 0) / t.scores.length,
        category_id: label + 1,
        segmentations: Array.from({ length: frameCount }, (_, f) => t.masks.get(f) ?? null),
      };
    });
  }
}
