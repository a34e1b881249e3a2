import type { CocoDetection, CocoVidDataset } from '../datasets/coco-vid.ts';
import { cocoEvaluate, defaultCocoParams, summarizeStats, type CocoAccumulated, type EvalDt, type EvalGt } from './coco-eval.ts';

interface BoxGt extends EvalGt {
  bbox: readonly number[];
}
interface BoxDt extends EvalDt {
  bbox: readonly number[];
}

/** pycocotools `maskUtils.iou` for boxes (`bbIou`): crowd gts use the detection area as the union. */
function bboxIou(dts: readonly BoxDt[], gts: readonly BoxGt[]): Float64Array {
  const G = gts.length;
  const out = new Float64Array(dts.length * G);
  for (let g = 0; g < G; g++) {
    const [gx, gy, gw, gh] = gts[g]!.bbox as [number, number, number, number];
    const ga = gw * gh;
    const crowd = gts[g]!.iscrowd;
    for (let d = 0; d < dts.length; d++) {
      const [dx, dy, dw, dh] = dts[d]!.bbox as [number, number, number, number];
      const da = dw * dh;
      const w = Math.min(dw + dx, gw + gx) - Math.max(dx, gx);
      if (w <= 0) continue;
      const h = Math.min(dh + dy, gh + gy) - Math.max(dy, gy);
      if (h <= 0) continue;
      const i = w * h;
      const u = crowd ? da : da + ga - i;
      out[d * G + g] = i / u;
    }
  }
  return out;
}

/** COCO bbox metric names, in `COCOeval.stats` order (MMDetection's keys). */
export const BBOX_METRIC_NAMES = ['bbox_mAP', 'bbox_mAP_50', 'bbox_mAP_75', 'bbox_mAP_s', 'bbox_mAP_m', 'bbox_mAP_l', 'bbox_AR@1', 'bbox_AR@10', 'bbox_AR@100', 'bbox_AR_s@100', 'bbox_AR_m@100', 'bbox_AR_l@100'] as const;

export interface CocoBboxReport {
  /** `bbox_mAP` … fractions; -1 where an area range has no gt (as pycocotools). */
  metrics: Record<(typeof BBOX_METRIC_NAMES)[number], number>;
  accumulated: CocoAccumulated;
}

/**
 * COCO-style box mAP of detections on a (CocoVID) dataset, as pycocotools' `COCOeval(iouType='bbox')` with default
 * parameters computes it (https://github.com/cocodataset/cocoapi/blob/master/PythonAPI/pycocotools/cocoeval.py):
 * IoU thresholds .50:.05:.95, 101 recall points, maxDets 1/10/100, area ranges small < 32² ≤ medium < 96² ≤ large,
 * crowd gts matched without being counted. ImageNet VID's "box AP@50" is `bbox_mAP_50`.
 * @param imageIds restrict to these images (e.g. one video); all images by default.
 */
export function evalCocoBbox(dataset: CocoVidDataset, dets: readonly CocoDetection[], options: { imageIds?: number[]; onProgress?: (done: number, total: number) => void } = {}): CocoBboxReport {
  const gts: BoxGt[] = dataset.annotations.map((a) => ({ id: a.id, itemId: a.image_id, categoryId: a.category_id, area: a.area, iscrowd: a.iscrowd !== 0, bbox: a.bbox }));
  // loadRes: ids count from 1, area = w*h, never crowd.
  const dts: BoxDt[] = dets.map((d, i) => ({ id: i + 1, itemId: d.image_id, categoryId: d.category_id, area: d.bbox[2] * d.bbox[3], score: d.score, bbox: d.bbox }));
  const params = defaultCocoParams(options.imageIds ?? dataset.images.map((im) => im.id), dataset.categories.map((c) => c.id));
  const accumulated = cocoEvaluate(gts, dts, params, bboxIou, options.onProgress);
  const stats = summarizeStats(accumulated);
  const metrics = Object.fromEntries(BBOX_METRIC_NAMES.map((n, i) => [n, stats[i]!])) as CocoBboxReport['metrics'];
  return { metrics, accumulated };
}
