/**
 * One MOT run over a video, frame by frame, in the shape every front end needs: the detector's output is filtered to
 * the config's `classes`, handed to the tracker, and the tracked boxes are collected per frame, as tracks (for the
 * track list) and as MOTChallenge rows (for export and `eval mot`). Detection is done by the caller (GPU worker in
 * the app, CPU runner in the CLI); this is the pure part.
 */
import type { ConfigDict } from '../../config/config-value.ts';
import { ConfigError } from '../../config/config-error.ts';
import type { CocoAnnotation, CocoVidDataset } from '../../datasets/coco-vid.ts';
import type { MotRows } from '../../datasets/mot-challenge.ts';
import { type Detections, makeDetections } from '../../structures/detections.ts';
import { IdCounter } from '../../trackers/id-counter.ts';
import type { MotTracker, TrackerFrame } from '../../trackers/tracker.ts';
import { buildMotTracker } from './build-mot-tracker.ts';

/** Label indices of the config's `classes` (names) among the detector's class names; null = keep every class. */
export function classFilter(config: ConfigDict, classNames: readonly string[]): Set<number> | null {
  const classes = config.classes;
  if (classes === undefined || classes === null) return null;
  const names = typeof classes === 'string' ? [classes] : Array.isArray(classes) ? classes : null;
  if (!names || names.some((n) => typeof n !== 'string')) throw new ConfigError(`classes: expected a tuple of class names, got ${JSON.stringify(classes)}`, undefined);
  const out = new Set<number>();
  for (const n of names as string[]) {
    const i = classNames.indexOf(n);
    if (i < 0) throw new ConfigError(`classes: '${n}' is not a class of the detector (it knows ${classNames.slice(0, 8).join(', ')}${classNames.length > 8 ? ', ...' : ''})`, undefined);
    out.add(i);
  }
  return out;
}

/** Keeps the detections whose label is in `keep` and whose score is at least `minScore`. */
export function filterDetections(d: Detections, keep: Set<number> | null, minScore = 0): Detections {
  const idx: number[] = [];
  for (let i = 0; i < d.scores.length; i++) if ((!keep || keep.has(d.labels[i]!)) && d.scores[i]! >= minScore) idx.push(i);
  if (idx.length === d.scores.length) return d;
  const e = d.embeddings;
  return makeDetections({
    boxes: idx.flatMap((i) => Array.from(d.boxes.subarray(i * 4, i * 4 + 4))),
    scores: idx.map((i) => d.scores[i]!),
    labels: idx.map((i) => d.labels[i]!),
    ...(e ? { embeddings: { data: idx.flatMap((i) => Array.from(e.data.subarray(i * e.dim, (i + 1) * e.dim))), dim: e.dim } } : {}),
  });
}

/** CocoVID JSON of a tracking run: annotations carry the track id (`instance_id`) and the detector's score. */
export type TrackedCocoVid = Omit<CocoVidDataset, 'annotations'> & { annotations: Array<CocoAnnotation & { score: number }> };

/** A track as the track list shows it. */
export interface TrackSummary {
  id: number;
  label: number;
  /** 0-based frames. */
  firstFrame: number;
  lastFrame: number;
  /** Frames in which it has a box. */
  length: number;
}

/** Runs a tracker over per-frame detections and keeps everything the UI and exporters read. */
export class MotRun {
  readonly tracker: MotTracker;
  private readonly keep: Set<number> | null;
  /** Tracked boxes per 0-based frame (with `ids`). */
  readonly frames = new Map<number, Detections>();
  private readonly tracks = new Map<number, TrackSummary>();

  /** Ids start at 1, as MOTChallenge files expect. */
  constructor(config: ConfigDict, classNames: readonly string[]) {
    this.tracker = buildMotTracker(config.model, { idCounter: new IdCounter(1) });
    this.keep = classFilter(config, classNames);
  }

  /**
   * Tracks one frame (frames must come in order from 0); returns its tracked boxes. `frame`: what the tracker needs
   * besides the detections (Tracktor's regressor, ReID embedder, grayscale image; `tracker.requires` says which).
   */
  async step(frameIndex: number, detections: Detections, minScore = 0, frame: Omit<TrackerFrame, 'frameId' | 'embeddings'> = {}): Promise<Detections> {
    const input = filterDetections(detections, this.keep, minScore);
    if (this.tracker.requires.embeddings && !input.embeddings) {
      throw new Error(`${this.tracker.type} has reid (DeepSORT) but the detections carry no appearance embeddings: use a config with model.reid (e.g. configs/mot/deepsort/deepsort_centernet_mobilenetv3_coco-person_detector-features.py), or set model.tracker.reid=None for SORT`);
    }
    const tracked = await this.tracker.update(input, { ...frame, frameId: frameIndex, ...(input.embeddings ? { embeddings: input.embeddings } : {}) });
    this.record(frameIndex, tracked);
    return tracked;
  }

  /** A finished run from its tracked boxes (a saved run read back): tracks and exports as if it had just run. */
  static fromFrames(config: ConfigDict, classNames: readonly string[], frames: Iterable<readonly [number, Detections]>): MotRun {
    const run = new MotRun(config, classNames);
    for (const [f, d] of [...frames].sort((a, b) => a[0] - b[0])) run.record(f, d);
    return run;
  }

  private record(frameIndex: number, tracked: Detections): void {
    this.frames.set(frameIndex, tracked);
    const ids = tracked.ids ?? new Int32Array(0);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const t = this.tracks.get(id);
      if (t) {
        t.lastFrame = frameIndex;
        t.length++;
      } else this.tracks.set(id, { id, label: tracked.labels[i]!, firstFrame: frameIndex, lastFrame: frameIndex, length: 1 });
    }
  }

  trackList(): TrackSummary[] {
    return [...this.tracks.values()].sort((a, b) => a.id - b.id);
  }

  /** MOTChallenge rows (`frame` 1-based, boxes x, y, w, h), in frame order. */
  motRows(): MotRows {
    const entries = [...this.frames.entries()].sort((a, b) => a[0] - b[0]);
    const count = entries.reduce((n, [, d]) => n + d.scores.length, 0);
    const rows: MotRows = { count, frame: new Int32Array(count), id: new Int32Array(count), boxes: new Float64Array(count * 4), conf: new Float64Array(count), cls: new Int32Array(count).fill(1), visibility: new Float64Array(count).fill(1) };
    let k = 0;
    for (const [f, d] of entries) {
      for (let i = 0; i < d.scores.length; i++, k++) {
        rows.frame[k] = f + 1;
        rows.id[k] = d.ids?.[i] ?? -1;
        const [x1, y1, x2, y2] = [d.boxes[i * 4]!, d.boxes[i * 4 + 1]!, d.boxes[i * 4 + 2]!, d.boxes[i * 4 + 3]!];
        rows.boxes.set([x1, y1, x2 - x1, y2 - y1], k * 4);
        rows.conf[k] = d.scores[i]!;
      }
    }
    return rows;
  }

  /**
   * The run as CocoVID JSON (MMTracking's video format): one video, an image per frame (`frame_id` 0-based), an
   * annotation per tracked box with `instance_id` = track id and its `score`; categories from the detector's
   * class names (1-based ids).
   */
  cocoVid(video: { name: string; width: number; height: number; frameCount: number }, classNames: readonly string[]): TrackedCocoVid {
    const images = Array.from({ length: video.frameCount }, (_, f) => ({ id: f + 1, video_id: 1, frame_id: f, file_name: `${video.name}/${String(f + 1).padStart(6, '0')}.jpg`, width: video.width, height: video.height }));
    const annotations: TrackedCocoVid['annotations'] = [];
    for (const [f, d] of [...this.frames.entries()].sort((a, b) => a[0] - b[0])) {
      for (let i = 0; i < d.scores.length; i++) {
        const [x1, y1, x2, y2] = [d.boxes[i * 4]!, d.boxes[i * 4 + 1]!, d.boxes[i * 4 + 2]!, d.boxes[i * 4 + 3]!];
        annotations.push({ id: annotations.length + 1, image_id: f + 1, video_id: 1, category_id: d.labels[i]! + 1, instance_id: d.ids?.[i] ?? -1, bbox: [x1, y1, x2 - x1, y2 - y1], area: (x2 - x1) * (y2 - y1), iscrowd: 0, score: d.scores[i]! });
      }
    }
    return { videos: [{ id: 1, name: video.name, width: video.width, height: video.height }], images, annotations, categories: classNames.map((name, i) => ({ id: i + 1, name })) };
  }
}
