/**
 * Heat-map peak extraction for centre-based detectors (CenterNet), CPU twin of
 * `src/gpu/heatmap-peaks.ts`: 3x3 max-pool suppression (stride 1, SAME padding: only in-map neighbours
 * count) keeps a value where it equals its neighbourhood maximum and sets it to 0 elsewhere (TF
 * CenterNet's `heat * (maxpool(heat) == heat)`), then top-k over all H*W*C values, larger first, equal
 * values by lower flat index (`tf.math.top_k`'s order). Layout NHWC with N = 1, as MB3-CenterNet's
 * `tower_0/keypoints`; flat index = (y * W + x) * C + c.
 * https://github.com/xingyizhou/CenterNet/blob/master/src/lib/models/decode.py (`_nms`, `_topk`)
 * https://www.tensorflow.org/api_docs/python/tf/math/top_k
 */

/** Heat-map shape `[H, W, C]` (NHWC without the batch of 1). */
export type HeatmapShape = readonly [height: number, width: number, channels: number];

/**
 * Memory layout of the map. Peaks are defined on the logical `[H, W, C]` map either way: indices are NHWC-flat
 * and ties break in NHWC order, so an NCHW graph output gives the same peaks as its NHWC transpose.
 */
export type HeatmapLayout = 'nhwc' | 'nchw';

/** NCHW `[C, H, W]` values in NHWC `[H, W, C]` order. */
export function nchwToNhwc(data: Float32Array, shape: HeatmapShape): Float32Array {
  const [h, w, c] = shape;
  if (data.length !== h * w * c) throw new Error(`heat-map peaks: ${data.length} values for shape ${shape.join('x')}`);
  const out = new Float32Array(data.length);
  for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(y * w + x) * c + ch] = data[(ch * h + y) * w + x]!;
  return out;
}

export interface HeatmapPeaks {
  /** `[k]` peak values, descending. */
  scores: Float32Array;
  /** `[k]` flat NHWC indices. */
  indices: Int32Array;
}

/** Splits a flat NHWC index into class, column and row. */
export function decodePeakIndex(index: number, width: number, channels: number): { classId: number; x: number; y: number } {
  const pixel = Math.floor(index / channels);
  return { classId: index % channels, x: pixel % width, y: Math.floor(pixel / width) };
}

/** The suppressed map: value where it is the maximum of its 3x3 neighbourhood (ties included), else 0. */
export function suppressNonPeaks(heat: Float32Array, shape: HeatmapShape): Float32Array {
  const [h, w, c] = shape;
  if (heat.length !== h * w * c) throw new Error(`heat-map peaks: ${heat.length} values for shape ${shape.join('x')}`);
  const out = new Float32Array(heat.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        const v = heat[(y * w + x) * c + ch]!;
        let max = v;
        for (let dy = Math.max(y - 1, 0); dy <= Math.min(y + 1, h - 1); dy++) {
          for (let dx = Math.max(x - 1, 0); dx <= Math.min(x + 1, w - 1); dx++) max = Math.max(max, heat[(dy * w + dx) * c + ch]!);
        }
        out[(y * w + x) * c + ch] = v === max ? v : 0;
      }
    }
  }
  return out;
}

/** Peaks of a heat map: the `k` largest suppressed values with their NHWC-flat indices. */
export function heatmapPeaks(heat: Float32Array, shape: HeatmapShape, k: number, layout: HeatmapLayout = 'nhwc'): HeatmapPeaks {
  const kept = suppressNonPeaks(layout === 'nchw' ? nchwToNhwc(heat, shape) : heat, shape);
  if (!Number.isInteger(k) || k < 1 || k > kept.length) throw new Error(`heat-map peaks: k = ${k} for ${kept.length} values`);
  // Running top-k, sorted: a value enters only if larger than the current k-th (equal values keep the
  // lower index already there, since indices arrive in increasing order).
  const scores = new Float32Array(k);
  const indices = new Int32Array(k);
  let size = 0;
  for (let i = 0; i < kept.length; i++) {
    const v = kept[i]!;
    if (size === k && !(v > scores[k - 1]!)) continue;
    let p = size < k ? size++ : k - 1;
    while (p > 0 && v > scores[p - 1]!) {
      scores[p] = scores[p - 1]!;
      indices[p] = indices[p - 1]!;
      p--;
    }
    scores[p] = v;
    indices[p] = i;
  }
  return { scores, indices };
}

/**
 * `heatmapPeaks` without the peaks below `minScore` (> 0), which a score threshold drops anyway: the same peaks in
 * the same order, found by visiting only the values >= minScore (a detector's heat map is almost all near zero), so
 * the CPU path neither transposes nor max-pools the whole map. Fewer than `k` peaks when fewer pass.
 */
export function heatmapPeaksAbove(heat: Float32Array, shape: HeatmapShape, k: number, minScore: number, layout: HeatmapLayout = 'nhwc'): HeatmapPeaks {
  const [h, w, c] = shape;
  if (heat.length !== h * w * c) throw new Error(`heat-map peaks: ${heat.length} values for shape ${shape.join('x')}`);
  if (!(minScore > 0)) throw new Error(`heat-map peaks: minScore must be > 0, got ${minScore}`);
  if (!Number.isInteger(k) || k < 1 || k > heat.length) throw new Error(`heat-map peaks: k = ${k} for ${heat.length} values`);
  // Strides of (channel, row, column) in memory.
  const [sc, sy, sx] = layout === 'nchw' ? [h * w, w, 1] : [1, w * c, c];
  const found: { v: number; i: number }[] = [];
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      const row = ch * sc + y * sy;
      for (let x = 0; x < w; x++) {
        const v = heat[row + x * sx]!;
        if (!(v >= minScore)) continue;
        let peak = true;
        for (let dy = Math.max(y - 1, 0); peak && dy <= Math.min(y + 1, h - 1); dy++) {
          const nrow = ch * sc + dy * sy;
          for (let dx = Math.max(x - 1, 0); dx <= Math.min(x + 1, w - 1); dx++) {
            if (heat[nrow + dx * sx]! > v) {
              peak = false;
              break;
            }
          }
        }
        if (peak) found.push({ v, i: (y * w + x) * c + ch });
      }
    }
  }
  // top_k's order: larger first, equal values by lower NHWC index.
  found.sort((a, b) => b.v - a.v || a.i - b.i);
  const n = Math.min(k, found.length);
  return { scores: Float32Array.from(found.slice(0, n), (p) => p.v), indices: Int32Array.from(found.slice(0, n), (p) => p.i) };
}
