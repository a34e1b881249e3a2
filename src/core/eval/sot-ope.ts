import { mean, type SequenceMetric } from './metric.ts';

const f32 = Math.fround;

/** One SOT sequence: gt and predicted boxes `x, y, w, h` (pixels, `[n*4]`), and optionally which frames count. */
export interface OpeSequenceData {
  gt: ArrayLike<number>;
  pred: ArrayLike<number>;
  /** `[n]` 1 = evaluate the frame (MMTracking's `only_eval_visible`); all frames when absent. */
  visible?: ArrayLike<number>;
}

/** Per-sequence OPE curves (fractions of the sequence's frames). */
export interface OpeResult {
  /** `[21]` success rate at IoU thresholds 0, 0.05 … 1 (IoU strictly above the threshold). */
  success: Float64Array;
  /** `[51]` precision at centre-error thresholds 0 … 50 px. */
  precision: Float64Array;
  /** `[51]` normalised precision at thresholds 0 … 0.5 (centre error divided by the gt box size). */
  normPrecision: Float64Array;
  /** Number of sequences averaged into this result (1 for a sequence). */
  sequences: number;
}

/** numpy `arange(0, 1.05, 0.05)`. */
export const OPE_IOU_THRESHOLDS: Float64Array = Float64Array.from({ length: 21 }, (_, i) => i * 0.05);
/** numpy `arange(0, 51, 1)`. */
export const OPE_PIXEL_THRESHOLDS: Float64Array = Float64Array.from({ length: 51 }, (_, i) => i);
/** numpy `arange(0, 51, 1) / 100.`. */
export const OPE_NORM_THRESHOLDS: Float64Array = Float64Array.from({ length: 51 }, (_, i) => i / 100);

/** First index of a sorted array whose value is > `th`. */
function upperBound(sorted: Float64Array, th: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= th) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `[t]` share of `values` > thresholds[t] (`above`) or <= thresholds[t], over `length` frames; one sort. */
function rates(values: readonly number[], thresholds: Float64Array, length: number, above: boolean): Float64Array {
  // NaN never passes a numpy comparison: put it where neither test counts it.
  const sorted = Float64Array.from(values, (v) => (Number.isNaN(v) ? (above ? -Infinity : Infinity) : v)).sort();
  const out = new Float64Array(thresholds.length);
  for (let t = 0; t < thresholds.length; t++) {
    const k = upperBound(sorted, thresholds[t]!);
    out[t] = (above ? sorted.length - k : k) / length;
  }
  return out;
}

/**
 * MMTracking 0.8's OPE evaluation (`eval_sot_ope`,
 * https://github.com/open-mmlab/mmtracking/blob/v0.8.0/mmtrack/core/evaluation/eval_sot_ope.py), following its
 * arithmetic type by type: the ground truth is read as float64 and x2 = x1 + w, y2 = y1 + h are summed in float64
 * (BaseSOTDataset); predictions are float32 and summed in float32 (a tracker's output); mmdet's `bbox_overlaps`
 * casts both to float32 and computes the IoU in float32 (eps 1e-6); centres and their distances are float64 for the
 * ground truth and float32 for the prediction, mixed in float64.
 * - success: share of frames whose IoU with the gt is > each threshold; frames with an empty gt box count as misses;
 * - precision: share of frames whose centre error is ≤ each pixel threshold (frames whose gt centre is not > 0
 *   count as hits, a quirk of the reference kept on purpose); the reported value is at 20 px;
 * - normalised precision: the same with errors divided by the gt width/height, reported at 0.2.
 * Frames left out by `visible` are dropped from the numerators but the denominator stays the sequence length.
 */
export function evalOpeSequence(data: OpeSequenceData): OpeResult {
  const n = Math.floor(data.gt.length / 4);
  if (Math.floor(data.pred.length / 4) !== n) throw new Error(`OPE: ${Math.floor(data.pred.length / 4)} predicted boxes for ${n} ground-truth frames`);
  const ious: number[] = [];
  const dists: number[] = [];
  const normDists: number[] = [];
  for (let i = 0; i < n; i++) {
    if (data.visible && !data.visible[i]) continue;
    // Ground truth in float64, as np.loadtxt(dtype=float) and `bboxes[:, 2:] += bboxes[:, :2]` leave it.
    const gx1 = data.gt[i * 4]!;
    const gy1 = data.gt[i * 4 + 1]!;
    const gx2 = gx1 + data.gt[i * 4 + 2]!;
    const gy2 = gy1 + data.gt[i * 4 + 3]!;
    // Predictions in float32, summed in float32.
    const px1 = f32(data.pred[i * 4]!);
    const py1 = f32(data.pred[i * 4 + 1]!);
    const px2 = f32(px1 + f32(data.pred[i * 4 + 2]!));
    const py2 = f32(py1 + f32(data.pred[i * 4 + 3]!));
    // IoU (mmdet bbox_overlaps: both cast to float32, float32 arithmetic, eps 1e-6); -1 for an invalid gt box,
    // which is decided in float64 before the cast.
    if (gx2 > gx1 && gy2 > gy1) {
      const [ax1, ay1, ax2, ay2] = [f32(gx1), f32(gy1), f32(gx2), f32(gy2)];
      const areaG = f32(f32(ax2 - ax1) * f32(ay2 - ay1));
      const areaP = f32(f32(px2 - px1) * f32(py2 - py1));
      const ow = Math.max(f32(Math.min(ax2, px2) - Math.max(ax1, px1)), 0);
      const oh = Math.max(f32(Math.min(ay2, py2) - Math.max(ay1, py1)), 0);
      const overlap = f32(ow * oh);
      const union = Math.max(f32(f32(areaG + areaP) - overlap), f32(1e-6));
      ious.push(f32(overlap / union));
    } else {
      ious.push(-1);
    }
    // Centre error. MMTracking leaves -1 where the gt centre is not positive, and -1 <= threshold: such frames
    // count as hits in (normalised) precision. Kept as is, since that is what published numbers contain.
    const gcx = 0.5 * (gx2 + gx1);
    const gcy = 0.5 * (gy2 + gy1);
    const pcx = f32(0.5 * f32(px2 + px1));
    const pcy = f32(0.5 * f32(py2 + py1));
    if (gcx > 0 && gcy > 0) {
      const dx = gcx - pcx;
      const dy = gcy - pcy;
      dists.push(Math.sqrt(dx * dx + dy * dy));
    } else dists.push(-1);
    const gw = gx2 - gx1 + 1e-16;
    const gh = gy2 - gy1 + 1e-16;
    const ngx = gcx / gw;
    const ngy = gcy / gh;
    if (ngx > 0 && ngy > 0) {
      const dx = ngx - pcx / gw;
      const dy = ngy - pcy / gh;
      normDists.push(Math.sqrt(dx * dx + dy * dy));
    } else normDists.push(-1);
  }
  const len = n === 0 ? 1 : n;
  return {
    success: rates(ious, OPE_IOU_THRESHOLDS, len, true),
    precision: rates(dists, OPE_PIXEL_THRESHOLDS, len, false),
    normPrecision: rates(normDists, OPE_NORM_THRESHOLDS, len, false),
    sequences: 1,
  };
}

function combine(all: readonly OpeResult[]): OpeResult {
  const total = all.reduce((s, r) => s + r.sequences, 0);
  const avg = (pick: (r: OpeResult) => Float64Array, len: number): Float64Array => {
    const out = new Float64Array(len);
    for (const r of all) for (let i = 0; i < len; i++) out[i] = out[i]! + pick(r)[i]! * r.sequences;
    for (let i = 0; i < len; i++) out[i] = out[i]! / Math.max(1, total);
    return out;
  };
  return { success: avg((r) => r.success, 21), precision: avg((r) => r.precision, 51), normPrecision: avg((r) => r.normPrecision, 51), sequences: total };
}

/** OPE as a {@link SequenceMetric}: sequences are combined by averaging their curves, as `eval_sot_ope` does. */
export class Ope implements SequenceMetric<OpeSequenceData, OpeResult> {
  readonly name = 'OPE';
  evalSequence(data: OpeSequenceData): OpeResult {
    return evalOpeSequence(data);
  }
  combineSequences(all: Record<string, OpeResult>): OpeResult {
    return combine(Object.values(all));
  }
  combineClassesClassAveraged(all: Record<string, OpeResult>): OpeResult {
    return combine(Object.values(all).map((r) => ({ ...r, sequences: 1 })));
  }
  combineClassesDetAveraged(all: Record<string, OpeResult>): OpeResult {
    return combine(Object.values(all));
  }
  /** `success` (AUC), `precision` (@20 px), `norm_precision` (@0.2), in percent as MMTracking prints them. */
  summary(r: OpeResult): Record<string, number> {
    return { success: mean(r.success) * 100, precision: r.precision[20]! * 100, norm_precision: r.normPrecision[20]! * 100 };
  }
}
