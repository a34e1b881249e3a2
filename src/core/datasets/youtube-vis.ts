import { IssueCollector, type Parsed } from './issues.ts';
import { isObject, numberProblem, parseJsonText, requireArray } from './json-input.ts';
import { rleArea, segmentationToRle, type Rle } from './rle.ts';

/**
 * YouTube-VIS 2019/2021 annotations and results (https://youtube-vos.org/dataset/vis/): one annotation per object
 * track with a per-frame list of segmentations (RLE or polygons, `null` where the object is absent).
 * The reader decodes every mask to an {@link Rle} once, so the evaluator only intersects run lengths.
 */
export interface YtvisVideo {
  id: number;
  width: number;
  height: number;
  length?: number;
  file_names?: string[];
}
export interface YtvisTrack {
  id: number;
  video_id: number;
  category_id: number;
  /** `[frames]` mask per frame, null where absent. */
  masks: (Rle | null)[];
  /** `[frames]` area per frame (the file's `areas`; for results, computed from the masks), null where absent. */
  areas: (number | null)[];
  iscrowd: number;
}
export interface YtvisDataset {
  videos: YtvisVideo[];
  categories: { id: number; name: string }[];
  tracks: YtvisTrack[];
}
export interface YtvisResult {
  video_id: number;
  category_id: number;
  score: number;
  masks: (Rle | null)[];
  areas: (number | null)[];
}

/** Frames of a video: its `length`, else its `file_names`; undefined when it says neither. */
const videoLength = (v: YtvisVideo): number | undefined => v.length ?? v.file_names?.length;

/**
 * One mask (or null) per frame. A list longer or shorter than the video, or a mask whose RLE `size` is not the
 * video's height x width, is a malformed row (skipped with a warning): scored, it would change the mAP.
 */
function readMasks(segms: unknown[], video: YtvisVideo | undefined, path: string, issues: IssueCollector): (Rle | null)[] | undefined {
  const frames = video ? videoLength(video) : undefined;
  if (frames !== undefined && segms.length !== frames) {
    issues.warn({ path: `${path}.segmentations`, message: `${segms.length} masks for video ${video!.id} of ${frames} frames (one per frame, null where absent)` });
    return undefined;
  }
  const masks: (Rle | null)[] = [];
  for (let f = 0; f < segms.length; f++) {
    const s = segms[f];
    if (s === null || s === undefined) {
      masks.push(null);
      continue;
    }
    let rle: Rle;
    try {
      rle = segmentationToRle(s, video?.height ?? 0, video?.width ?? 0);
    } catch (err) {
      issues.warn({ path: `${path}.segmentations[${f}]`, message: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
    if (video && (rle.h !== video.height || rle.w !== video.width)) {
      issues.warn({ path: `${path}.segmentations[${f}]`, message: `RLE size [${rle.h}, ${rle.w}] is not video ${video.id}'s [${video.height}, ${video.width}]` });
      return undefined;
    }
    masks.push(rle);
  }
  return masks;
}

function readVideos(root: Record<string, unknown>, issues: IssueCollector): Map<number, YtvisVideo> {
  const videos = new Map<number, YtvisVideo>();
  requireArray(root, 'videos', issues).forEach((v, i) => {
    const path = `videos[${i}]`;
    if (!isObject(v)) return issues.warn({ path, message: 'video must be an object' });
    const p = numberProblem(v.id, 'id', { integer: true }) ?? numberProblem(v.width, 'width', { integer: true }) ?? numberProblem(v.height, 'height', { integer: true });
    if (p) return issues.warn({ path, message: p });
    videos.set(v.id as number, v as unknown as YtvisVideo);
  });
  return videos;
}

/**
 * Reads a YouTube-VIS annotation file. Also accepts MMTracking's CocoVID form of VIS data (per-frame
 * `annotations` with `instance_id`, `images` with `frame_id`), grouped into tracks as MMTracking's
 * `convert_vis_fmt` does.
 */
export function parseYtvis(text: string, file: string, options: { maxBadRows?: number } = {}): Parsed<YtvisDataset> {
  return readYtvis(parseJsonText(text, file), file, options);
}

/** {@link parseYtvis} on JSON already parsed (a caller that reads other keys of the same file parses it once). */
export function readYtvis(root: unknown, file: string, options: { maxBadRows?: number } = {}): Parsed<YtvisDataset> {
  const issues: IssueCollector = new IssueCollector(file, options.maxBadRows);
  if (!isObject(root)) issues.fail({ path: '$', message: 'expected a JSON object with videos, annotations and categories' });
  const videos = readVideos(root, issues);
  const categories: { id: number; name: string }[] = [];
  requireArray(root, 'categories', issues).forEach((c, i) => {
    if (!isObject(c) || numberProblem(c.id, 'id', { integer: true })) return issues.warn({ path: `categories[${i}]`, message: "category must be an object with an integer 'id'" });
    categories.push({ id: c.id as number, name: typeof c.name === 'string' ? c.name : String(c.id) });
  });
  const anns = requireArray(root, 'annotations', issues);
  const cocoVidForm = Array.isArray(root.images) && anns.some((a) => isObject(a) && 'instance_id' in a && !('segmentations' in a));
  const tracks = cocoVidForm ? groupCocoVidTracks(root, anns, videos, issues) : readTracks(anns, videos, issues);
  if (anns.length > 0) issues.requireSomeRows(tracks.length);
  return { value: { videos: [...videos.values()], categories, tracks }, warnings: issues.warnings };
}

function readTracks(anns: unknown[], videos: Map<number, YtvisVideo>, issues: IssueCollector): YtvisTrack[] {
  const tracks: YtvisTrack[] = [];
  anns.forEach((a, i) => {
    const path = `annotations[${i}]`;
    if (!isObject(a)) return issues.warn({ path, message: 'annotation must be an object' });
    const p = numberProblem(a.id, 'id') ?? numberProblem(a.video_id, 'video_id', { integer: true }) ?? numberProblem(a.category_id, 'category_id', { integer: true });
    if (p) return issues.warn({ path, message: p });
    const video = videos.get(a.video_id as number);
    if (!video) return issues.warn({ path, message: `video_id ${String(a.video_id)} is not in videos` });
    if (!Array.isArray(a.segmentations)) return issues.warn({ path, message: "missing 'segmentations' list" });
    const masks = readMasks(a.segmentations, video, path, issues);
    if (!masks) return;
    let areas: (number | null)[];
    if (Array.isArray(a.areas) && a.areas.length === masks.length && a.areas.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)))) {
      areas = a.areas as (number | null)[];
    } else {
      issues.warnings.push({ file: issues.file, path, message: "'areas' missing or not one number/null per frame; using mask areas", kept: true });
      areas = masks.map((m) => (m ? rleArea(m) : null));
    }
    tracks.push({ id: a.id as number, video_id: a.video_id as number, category_id: a.category_id as number, masks, areas, iscrowd: a.iscrowd ? 1 : 0 });
  });
  return tracks;
}

function groupCocoVidTracks(root: Record<string, unknown>, anns: unknown[], videos: Map<number, YtvisVideo>, issues: IssueCollector): YtvisTrack[] {
  const frameOf = new Map<number, number>();
  const videoOfImage = new Map<number, number>();
  const videoLength = new Map<number, number>();
  (root.images as unknown[]).forEach((im, i) => {
    if (!isObject(im) || numberProblem(im.id, 'id', { integer: true }) || numberProblem(im.frame_id, 'frame_id', { integer: true }) || numberProblem(im.video_id, 'video_id', { integer: true })) {
      return issues.warn({ path: `images[${i}]`, message: 'image needs integer id, video_id and frame_id' });
    }
    frameOf.set(im.id as number, im.frame_id as number);
    videoOfImage.set(im.id as number, im.video_id as number);
    // MMTracking takes the last image's frame_id + 1 as the video length.
    videoLength.set(im.video_id as number, Math.max(1, (im.frame_id as number) + 1));
  });
  const byInstance = new Map<number, { ann: Record<string, unknown>; path: string }[]>();
  anns.forEach((a, i) => {
    const path = `annotations[${i}]`;
    if (!isObject(a)) return issues.warn({ path, message: 'annotation must be an object' });
    const p = numberProblem(a.instance_id, 'instance_id') ?? numberProblem(a.image_id, 'image_id', { integer: true }) ?? numberProblem(a.category_id, 'category_id', { integer: true });
    if (p) return issues.warn({ path, message: p });
    if (!frameOf.has(a.image_id as number)) return issues.warn({ path, message: `image_id ${String(a.image_id)} is not in images` });
    const list = byInstance.get(a.instance_id as number) ?? [];
    list.push({ ann: a, path });
    byInstance.set(a.instance_id as number, list);
  });
  const tracks: YtvisTrack[] = [];
  for (const [instanceId, list] of byInstance) {
    const head = list[0]!.ann;
    // Annotations may omit video_id; their image knows it.
    const videoId = typeof head.video_id === 'number' ? head.video_id : videoOfImage.get(head.image_id as number)!;
    const video = videos.get(videoId);
    const len = videoLength.get(videoId) ?? 1;
    const masks: (Rle | null)[] = new Array<Rle | null>(len).fill(null);
    const areas: (number | null)[] = new Array<number | null>(len).fill(null);
    let ok = true;
    for (const { ann, path } of list) {
      const f = frameOf.get(ann.image_id as number)!;
      const m = ann.segmentation === undefined || ann.segmentation === null ? [null] : readMasks([ann.segmentation], video, path, issues);
      if (!m) {
        ok = false;
        break;
      }
      masks[f] = m[0]!;
      areas[f] = typeof ann.area === 'number' ? ann.area : m[0] ? rleArea(m[0]) : null;
    }
    if (ok) tracks.push({ id: instanceId, video_id: videoId, category_id: head.category_id as number, masks, areas, iscrowd: head.iscrowd ? 1 : 0 });
  }
  return tracks;
}

/** Reads YouTube-VIS results (`[{video_id, category_id, score, segmentations}, ...]`). */
export function parseYtvisResults(text: string, file: string, videos: readonly YtvisVideo[], options: { maxBadRows?: number } = {}): Parsed<YtvisResult[]> {
  const issues: IssueCollector = new IssueCollector(file, options.maxBadRows);
  const root = parseJsonText(text, file);
  if (!Array.isArray(root)) issues.fail({ path: '$', message: 'expected a JSON list of results' });
  const byId = new Map(videos.map((v) => [v.id, v]));
  const out: YtvisResult[] = [];
  root.forEach((r, i) => {
    const path = `[${i}]`;
    if (!isObject(r)) return issues.warn({ path, message: 'result must be an object' });
    const p = numberProblem(r.video_id, 'video_id', { integer: true }) ?? numberProblem(r.category_id, 'category_id', { integer: true }) ?? numberProblem(r.score, 'score');
    if (p) return issues.warn({ path, message: p });
    if (!Array.isArray(r.segmentations)) return issues.warn({ path, message: "missing 'segmentations' list" });
    const video = byId.get(r.video_id as number);
    if (!video) return issues.warn({ path, message: `video_id ${String(r.video_id)} is not in the annotation file` });
    const masks = readMasks(r.segmentations, video, path, issues);
    if (!masks) return;
    out.push({ video_id: r.video_id as number, category_id: r.category_id as number, score: r.score as number, masks, areas: masks.map((m) => (m ? rleArea(m) : null)) });
  });
  if (root.length > 0) issues.requireSomeRows(out.length);
  return { value: out, warnings: issues.warnings };
}
