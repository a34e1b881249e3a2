// The default VID benchmarks' agreement measure (scripts/bench/vid.bench.ts, vid-app.bench.ts): bbox mAP@50 of a
// method's detections taking another's (the per-frame detector's) detections with score >= GT_SCORE as ground truth.
import type { CocoDetection, CocoVidDataset } from '../../../src/core/datasets/coco-vid.ts';
import { evalCocoBbox } from '../../../src/core/eval/coco-bbox.ts';
import type { Detections } from '../../../src/core/structures/detections.ts';

export const GT_SCORE = 0.3;

export function toCoco(d: Detections, frame: number): CocoDetection[] {
  return Array.from(d.scores, (score, k) => {
    const [x1, y1, x2, y2] = [d.boxes[k * 4]!, d.boxes[k * 4 + 1]!, d.boxes[k * 4 + 2]!, d.boxes[k * 4 + 3]!];
    return { image_id: frame + 1, category_id: d.labels[k]! + 1, score, bbox: [x1, y1, x2 - x1, y2 - y1] };
  });
}

/** bbox mAP@50 of `dets` against `reference` (score >= GT_SCORE) as ground truth over `frames` frames. */
export function agreement(reference: CocoDetection[], dets: CocoDetection[], frames: number): { map50: number; gtBoxes: number } {
  const gt = reference.filter((d) => d.score >= GT_SCORE);
  const dataset: CocoVidDataset = {
    videos: [],
    images: Array.from({ length: frames }, (_, i) => ({ id: i + 1, file_name: String(i), width: 0, height: 0 })),
    annotations: gt.map((d, i) => ({ id: i + 1, image_id: d.image_id, category_id: d.category_id, bbox: d.bbox, area: d.bbox[2] * d.bbox[3], iscrowd: 0 })),
    categories: Array.from({ length: 80 }, (_, i) => ({ id: i + 1, name: String(i + 1) })),
  };
  return { map50: evalCocoBbox(dataset, dets).metrics.bbox_mAP_50, gtBoxes: gt.length };
}

