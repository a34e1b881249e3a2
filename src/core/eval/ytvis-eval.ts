import type { YtvisDataset, YtvisResult } from '../datasets/youtube-vis.ts';
import { rleArea, rleIntersectionUnion, type Rle } from '../datasets/rle.ts';
import { cocoEvaluate, defaultCocoParams, summarizeStats, type CocoAccumulated, type EvalDt, type EvalGt } from './coco-eval.ts';

interface TrackGt extends EvalGt {
  masks: readonly (Rle | null)[];
}
interface TrackDt extends EvalDt {
  masks: readonly (Rle | null)[];
}

/** Mean of the truthy per-frame areas (YTVIS `avg_area`; 0 when none). */
function averageArea(areas: readonly (number | null)[]): number {
  let s = 0;
  let n = 0;
  for (const a of areas) {
    if (a) {
      s += a;
      n++;
    }
  }
  return n ? s / n : 0;
}

/**
 * Video-level mask IoU (YTVISeval `iou_seq`): intersections and unions summed over the frames both tracks share
 * (pairwise by frame index); a frame where only one has a mask adds its area to the union.
 */
function trackIou(dts: readonly TrackDt[], gts: readonly TrackGt[]): Float64Array {
  const G = gts.length;
  const out = new Float64Array(dts.length * G);
  for (let d = 0; d < dts.length; d++) {
    for (let g = 0; g < G; g++) {
      const dm = dts[d]!.masks;
      const gm = gts[g]!.masks;
      let inter = 0;
      let union = 0;
      const n = Math.min(dm.length, gm.length);
      for (let f = 0; f < n; f++) {
        const a = dm[f];
        const b = gm[f];
        if (a && b) {
          const r = rleIntersectionUnion(a, b);
          inter += r.intersection;
          union += r.union;
        } else if (b) union += rleArea(b);
        else if (a) union += rleArea(a);
      }
      out[d * G + g] = union > 0 ? inter / union : 0;
    }
  }
  return out;
}

export const SEGM_METRIC_NAMES = ['segm_mAP', 'segm_mAP_50', 'segm_mAP_75', 'segm_mAP_s', 'segm_mAP_m', 'segm_mAP_l', 'segm_AR@1', 'segm_AR@10', 'segm_AR@100', 'segm_AR_s@100', 'segm_AR_m@100', 'segm_AR_l@100'] as const;

export interface YtvisReport {
  /** Fractions, unrounded; -1 where an area range has no gt. */
  metrics: Record<(typeof SEGM_METRIC_NAMES)[number], number>;
  accumulated: CocoAccumulated;
}

/**
 * YouTube-VIS video mask AP as MMTracking's `YTVISeval`
 * (https://github.com/open-mmlab/mmtracking/blob/master/mmtrack/core/evaluation/eval_vis.py, after
 * youtubevos/cocoapi `ytvoseval.py`): COCOeval over videos instead of images, with the video-level mask IoU, object
 * area = mean per-frame area, area ranges small < 128² ≤ medium < 256² ≤ large, maxDets 1/10/100.
 * @param videoIds restrict to these videos (one video for a per-sequence table); all by default.
 */
export function evalYtvis(dataset: YtvisDataset, results: readonly YtvisResult[], options: { videoIds?: number[]; onProgress?: (done: number, total: number) => void } = {}): YtvisReport {
  const gts: TrackGt[] = dataset.tracks.map((t) => ({ id: t.id, itemId: t.video_id, categoryId: t.category_id, area: averageArea(t.areas), iscrowd: t.iscrowd !== 0, masks: t.masks }));
  const dts: TrackDt[] = results.map((r, i) => ({ id: i + 1, itemId: r.video_id, categoryId: r.category_id, area: averageArea(r.areas), score: r.score, masks: r.masks }));
  const params = defaultCocoParams(options.videoIds ?? dataset.videos.map((v) => v.id), dataset.categories.map((c) => c.id));
  params.areaRng = [
    [0 ** 2, 1e5 ** 2],
    [0 ** 2, 128 ** 2],
    [128 ** 2, 256 ** 2],
    [256 ** 2, 1e5 ** 2],
  ];
  const accumulated = cocoEvaluate(gts, dts, params, trackIou, options.onProgress);
  const stats = summarizeStats(accumulated);
  const metrics = Object.fromEntries(SEGM_METRIC_NAMES.map((n, i) => [n, stats[i]!])) as YtvisReport['metrics'];
  return { metrics, accumulated };
}
