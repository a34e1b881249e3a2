/**
 * COCO-style detection results of one video (what `mmtrack detect` writes: `image_id` = 1-based frame index,
 * `bbox` x, y, w, h) back into per-frame {@link Detections}, the input trackers take.
 */
import type { CocoDetection } from './coco-vid.ts';
import { DatasetError } from './issues.ts';
import { type Detections, makeDetections } from '../structures/detections.ts';

/**
 * @param frameCount frames of the video; detections on later frames are an error (they belong to another video).
 * @param labelOf the detector's 0-based label of a `category_id` (COCO ids for COCO detectors, else id − 1).
 */
export function cocoResultsPerFrame(dets: readonly CocoDetection[], frameCount: number, labelOf: (categoryId: number) => number | undefined, file: string): Detections[] {
  const perFrame: Array<{ boxes: number[]; scores: number[]; labels: number[] }> = Array.from({ length: frameCount }, () => ({ boxes: [], scores: [], labels: [] }));
  dets.forEach((d, i) => {
    const f = d.image_id - 1;
    if (f < 0 || f >= frameCount) throw new DatasetError({ file, path: `[${i}].image_id`, message: `frame ${d.image_id} is outside the sequence's ${frameCount} frames (image_id is the 1-based frame index)` });
    const label = labelOf(d.category_id);
    if (label === undefined) throw new DatasetError({ file, path: `[${i}].category_id`, message: `category_id ${d.category_id} is not a class of the config's detector` });
    const [x, y, w, h] = d.bbox;
    const out = perFrame[f]!;
    out.boxes.push(x, y, x + w, y + h);
    out.scores.push(d.score);
    out.labels.push(label);
  });
  // Trackers expect the detector's order: highest score first.
  return perFrame.map((p) => {
    const order = p.scores.map((_, i) => i).sort((a, b) => p.scores[b]! - p.scores[a]!);
    return makeDetections({ boxes: order.flatMap((i) => p.boxes.slice(i * 4, i * 4 + 4)), scores: order.map((i) => p.scores[i]!), labels: order.map((i) => p.labels[i]!) });
  });
}
