/**
 * The ground truth of one video for evaluating a MOT run in place: what a user drops next to the video, either a
 * MOTChallenge `gt.txt` (with its `seqinfo.ini`, optional) or a CocoVID JSON (MMTracking's video format). Both become
 * MOTChallenge gt rows, which TrackEval's MOTChallenge pre-processing then scores (pedestrian class 1).
 */
import { DatasetError, type DatasetIssue } from './issues.ts';
import { parseCocoVid } from './coco-vid.ts';
import { type MotRows, parseMotGt, parseSeqInfo } from './mot-challenge.ts';

export interface MotVideoGt {
  /** Where it came from, for labels (`gt.txt`, `ann.json: video walk`). */
  label: string;
  gt: MotRows;
  /** Frames of the sequence: `seqinfo.ini`, the CocoVID video's images, or the video's own frame count. */
  seqLength: number;
  warnings: DatasetIssue[];
}

const base = (p: string) => p.split('/').pop() ?? p;
const stem = (p: string) => base(p).replace(/\.[^.]+$/, '');

/**
 * @param files dropped files, path → text: `gt.txt` (+ `seqinfo.ini`) or one `.json`.
 * @param video the opened video: its file name (to pick the CocoVID video of that name) and frame count.
 * @param classes the class names the run tracks (the config's `classes`); CocoVID annotations of these categories
 *   are the pedestrians of the evaluation. Null: every category.
 */
export function readMotVideoGt(files: Readonly<Record<string, string>>, video: { name: string; frameCount: number }, classes: readonly string[] | null): MotVideoGt {
  const paths = Object.keys(files);
  const gtPath = paths.find((p) => base(p) === 'gt.txt') ?? paths.find((p) => p.endsWith('.txt') && base(p) !== 'seqinfo.ini');
  const jsonPath = paths.find((p) => p.endsWith('.json'));
  if (gtPath) {
    const infoPath = paths.find((p) => base(p) === 'seqinfo.ini');
    const info = infoPath ? parseSeqInfo(files[infoPath]!, infoPath) : undefined;
    // TrackEval refuses results past seqLength: a shorter seqinfo than the video is widened (and reported).
    const seqLength = Math.max(info?.seqLength ?? 0, video.frameCount);
    const parsed = parseMotGt(files[gtPath]!, gtPath, { seqLength });
    const warnings = [...parsed.warnings];
    if (info && info.seqLength !== video.frameCount) warnings.push({ file: infoPath!, message: `seqLength ${info.seqLength} but the video has ${video.frameCount} frames`, kept: true });
    return { label: base(gtPath), gt: parsed.value, seqLength, warnings };
  }
  if (jsonPath) return fromCocoVid(files[jsonPath]!, jsonPath, video, classes);
  throw new DatasetError({ file: paths[0] ?? '(ground truth)', message: 'expected a MOTChallenge gt.txt (with its seqinfo.ini) or a CocoVID .json' });
}

function fromCocoVid(text: string, file: string, video: { name: string; frameCount: number }, classes: readonly string[] | null): MotVideoGt {
  const { value: ds, warnings } = parseCocoVid(text, file);
  // The video of the same name (file stem), else the only one.
  const named = ds.videos.filter((v) => v.name !== undefined && stem(v.name) === stem(video.name));
  const picked = named.length === 1 ? named[0] : ds.videos.length === 1 ? ds.videos[0] : undefined;
  if (!picked) {
    const names = ds.videos.map((v) => v.name ?? `id ${v.id}`).slice(0, 6).join(', ');
    throw new DatasetError({ file, path: 'videos', message: ds.videos.length === 0 ? 'no videos (a CocoVID file lists videos, images with video_id/frame_id and annotations with instance_id)' : `none of its ${ds.videos.length} videos is named like ${video.name} (${names})` });
  }
  const images = new Map(ds.images.filter((im) => im.video_id === picked.id).map((im) => [im.id, im]));
  if (images.size === 0) throw new DatasetError({ file, path: 'images', message: `no images of video ${picked.name ?? picked.id}` });
  const tracked = classes ? new Set(ds.categories.filter((c) => classes.includes(c.name)).map((c) => c.id)) : null;
  if (tracked && tracked.size === 0) throw new DatasetError({ file, path: 'categories', message: `none of its categories (${ds.categories.map((c) => c.name).join(', ')}) is a tracked class (${classes!.join(', ')})` });
  const rows: number[][] = [];
  let seqLength = 0;
  for (const im of images.values()) seqLength = Math.max(seqLength, (im.frame_id ?? 0) + 1);
  ds.annotations.forEach((a, i) => {
    const im = images.get(a.image_id);
    if (!im) return;
    if (a.instance_id === undefined) {
      warnings.push({ file, path: `annotations[${i}]`, message: 'no instance_id: not a tracking annotation (skipped)' });
      return;
    }
    if (im.frame_id === undefined) {
      warnings.push({ file, path: `images (id ${im.id})`, message: 'no frame_id (skipped)' });
      return;
    }
    // Tracked classes are TrackEval's pedestrians; crowd boxes and other classes are zero-marked (ignored regions).
    const counted = (!tracked || tracked.has(a.category_id)) && !a.iscrowd;
    rows.push([im.frame_id + 1, a.instance_id, ...a.bbox, counted ? 1 : 0]);
  });
  rows.sort((p, q) => p[0]! - q[0]! || p[1]! - q[1]!);
  const gt: MotRows = {
    count: rows.length,
    frame: Int32Array.from(rows, (r) => r[0]!),
    id: Int32Array.from(rows, (r) => r[1]!),
    boxes: Float64Array.from(rows.flatMap((r) => r.slice(2, 6))),
    conf: Float64Array.from(rows, (r) => r[6]!),
    cls: new Int32Array(rows.length).fill(1),
    visibility: new Float64Array(rows.length).fill(1),
  };
  if (seqLength !== video.frameCount) warnings.push({ file, message: `video ${picked.name ?? picked.id} has ${seqLength} frames, the opened video ${video.frameCount}`, kept: true });
  return { label: `${base(file)}: video ${picked.name ?? picked.id}`, gt, seqLength: Math.max(seqLength, video.frameCount), warnings };
}
