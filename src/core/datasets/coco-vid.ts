import { IssueCollector, type Parsed } from './issues.ts';
import { bboxProblem, isObject, numberProblem, parseJsonText, requireArray } from './json-input.ts';

/**
 * CocoVID annotations (MMTracking's video COCO format: `videos`, `images` with `video_id`/`frame_id`,
 * `annotations` with `instance_id`) and COCO detection results.
 * https://github.com/open-mmlab/mmtracking/blob/master/mmtrack/datasets/parsers/coco_video_parser.py
 */
export interface CocoVideo {
  id: number;
  name?: string;
  width?: number;
  height?: number;
}
export interface CocoImage {
  id: number;
  video_id?: number;
  frame_id?: number;
  file_name?: string;
  width?: number;
  height?: number;
}
export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  /** `[x, y, w, h]`, pixels. */
  bbox: [number, number, number, number];
  /** Pixels²; COCOeval uses it for the area ranges. Defaults to `w*h` (reported) when absent. */
  area: number;
  iscrowd: number;
  instance_id?: number;
  video_id?: number;
  segmentation?: unknown;
}
export interface CocoCategory {
  id: number;
  name: string;
}
export interface CocoVidDataset {
  videos: CocoVideo[];
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}
/** One COCO detection result. */
export interface CocoDetection {
  image_id: number;
  category_id: number;
  bbox: [number, number, number, number];
  score: number;
  segmentation?: unknown;
}

/** Reads a CocoVID (or plain COCO) annotation file. Bad annotations are reported and skipped. */
export function parseCocoVid(text: string, file: string, options: { maxBadRows?: number } = {}): Parsed<CocoVidDataset> {
  const issues: IssueCollector = new IssueCollector(file, options.maxBadRows);
  const root = parseJsonText(text, file);
  if (!isObject(root)) issues.fail({ path: '$', message: 'expected a JSON object with images, annotations and categories' });
  const images: CocoImage[] = [];
  const imageIds = new Set<number>();
  requireArray(root, 'images', issues).forEach((im, i) => {
    const path = `images[${i}]`;
    if (!isObject(im)) return issues.warn({ path, message: 'image must be an object' });
    const p = numberProblem(im.id, 'id', { integer: true }) ?? numberProblem(im.frame_id, 'frame_id', { integer: true, optional: true }) ?? numberProblem(im.video_id, 'video_id', { integer: true, optional: true });
    if (p) return issues.warn({ path, message: p });
    if (imageIds.has(im.id as number)) return issues.warn({ path, message: `duplicate image id ${String(im.id)}` });
    imageIds.add(im.id as number);
    images.push(im as unknown as CocoImage);
  });
  const categories: CocoCategory[] = [];
  requireArray(root, 'categories', issues).forEach((c, i) => {
    const path = `categories[${i}]`;
    if (!isObject(c)) return issues.warn({ path, message: 'category must be an object' });
    const p = numberProblem(c.id, 'id', { integer: true });
    if (p) return issues.warn({ path, message: p });
    categories.push({ id: c.id as number, name: typeof c.name === 'string' ? c.name : String(c.id) });
  });
  const annotations: CocoAnnotation[] = [];
  const annotationRows = requireArray(root, 'annotations', issues);
  annotationRows.forEach((a, i) => {
    const path = `annotations[${i}]`;
    if (!isObject(a)) return issues.warn({ path, message: 'annotation must be an object' });
    const p =
      numberProblem(a.id, 'id') ??
      numberProblem(a.image_id, 'image_id', { integer: true }) ??
      numberProblem(a.category_id, 'category_id', { integer: true }) ??
      bboxProblem(a.bbox) ??
      numberProblem(a.area, 'area', { optional: true });
    if (p) return issues.warn({ path, message: p });
    if (!imageIds.has(a.image_id as number)) return issues.warn({ path, message: `image_id ${String(a.image_id)} is not in images` });
    const bbox = a.bbox as [number, number, number, number];
    let area = a.area as number | undefined;
    if (area === undefined) {
      issues.warnings.push({ file, path, message: "no 'area'; using bbox w*h", kept: true });
      area = bbox[2] * bbox[3];
    }
    const ann: CocoAnnotation = { ...(a as object), id: a.id as number, image_id: a.image_id as number, category_id: a.category_id as number, bbox, area, iscrowd: a.iscrowd ? 1 : 0 };
    annotations.push(ann);
  });
  if (annotationRows.length > 0) issues.requireSomeRows(annotations.length);
  const videos: CocoVideo[] = [];
  if (root.videos !== undefined) {
    requireArray(root, 'videos', issues).forEach((v, i) => {
      const path = `videos[${i}]`;
      if (!isObject(v)) return issues.warn({ path, message: 'video must be an object' });
      const p = numberProblem(v.id, 'id', { integer: true });
      if (p) return issues.warn({ path, message: p });
      videos.push(v as unknown as CocoVideo);
    });
  }
  return { value: { videos, images, annotations, categories }, warnings: issues.warnings };
}

/** Reads a COCO detection results list (`[{image_id, category_id, bbox, score}, ...]`). */
export function parseCocoResults(text: string, file: string, options: { maxBadRows?: number } = {}): Parsed<CocoDetection[]> {
  const issues: IssueCollector = new IssueCollector(file, options.maxBadRows);
  const root = parseJsonText(text, file);
  if (!Array.isArray(root)) issues.fail({ path: '$', message: 'expected a JSON list of detections' });
  const out: CocoDetection[] = [];
  root.forEach((d, i) => {
    const path = `[${i}]`;
    if (!isObject(d)) return issues.warn({ path, message: 'detection must be an object' });
    const p = numberProblem(d.image_id, 'image_id', { integer: true }) ?? numberProblem(d.category_id, 'category_id', { integer: true }) ?? bboxProblem(d.bbox) ?? numberProblem(d.score, 'score');
    if (p) return issues.warn({ path, message: p });
    const det: CocoDetection = { image_id: d.image_id as number, category_id: d.category_id as number, bbox: d.bbox as [number, number, number, number], score: d.score as number };
    if (d.segmentation !== undefined) det.segmentation = d.segmentation;
    out.push(det);
  });
  if (root.length > 0) issues.requireSomeRows(out.length);
  return { value: out, warnings: issues.warnings };
}

/** Serialises detections as COCO results JSON. */
export function writeCocoResults(dets: readonly CocoDetection[]): string {
  return JSON.stringify(dets);
}
