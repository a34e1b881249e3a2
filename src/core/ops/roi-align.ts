/**
 * RoIAlign with MMCV semantics (average pooling) and MMDetection's `SingleRoIExtractor` FPN level
 * mapping, CPU twin of `src/gpu/roi-align.ts`.
 * https://github.com/open-mmlab/mmcv/blob/v1.7.2/mmcv/ops/csrc/pytorch/cpu/roi_align.cpp
 * https://github.com/open-mmlab/mmcv/blob/v1.7.2/mmcv/ops/csrc/common/cuda/roi_align_cuda_kernel.cuh
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/roi_heads/roi_extractors/single_level_roi_extractor.py
 *
 * Per RoI `(batch, x1, y1, x2, y2)` (input-image pixels) and output bin (ph, pw):
 * - `offset = aligned ? 0.5 : 0`; `start = x1 * spatialScale - offset`, `end = x2 * spatialScale - offset`;
 *   `size = end - start`, forced to ≥ 1 only when `aligned` is false.
 * - `grid = samplingRatio > 0 ? samplingRatio : ceil(size / outputSize)` samples per bin and axis, at
 *   `start + p * bin + (i + 0.5) * bin / grid`; the bin value is the mean of the samples
 *   (`count = max(gridH * gridW, 1)`).
 * - Bilinear sample at (y, x): 0 when y < -1, y > H, x < -1 or x > W; otherwise y, x clamped below at 0,
 *   `low = int(y)`; when `low >= H - 1` both taps are row H-1; same for x.
 * All arithmetic in float32 in the order MMCV's kernels use.
 */

export interface RoiAlignOptions {
  /** Output bins per side (MMDetection: 7 for boxes, 14 for masks), or [height, width]. */
  outputSize: number | readonly [number, number];
  /** Feature-map pixels per input pixel: 1 / stride. */
  spatialScale: number;
  /** Samples per bin and axis; 0 = adaptive `ceil(roi size / output size)` (MMCV's default). */
  samplingRatio: number;
  /** MMCV `aligned` (default true in MMCV and MMDetection configs): half-pixel shift, no minimum size. */
  aligned: boolean;
}

/** Feature map: float32 NCHW. */
export interface FeatureMap {
  data: Float32Array;
  shape: readonly [n: number, c: number, h: number, w: number];
}

const f = Math.fround;

export function outputHW(size: RoiAlignOptions['outputSize']): [number, number] {
  return typeof size === 'number' ? [size, size] : [size[0], size[1]];
}

/** MMCV's bilinear sample of one channel plane (`offset` = first element of the plane), float32. */
export function bilinearSample(data: Float32Array, offset: number, height: number, width: number, yIn: number, xIn: number): number {
  if (yIn < -1 || yIn > height || xIn < -1 || xIn > width) return 0;
  let y = yIn <= 0 ? 0 : yIn;
  let x = xIn <= 0 ? 0 : xIn;
  let yLow = Math.trunc(y);
  let xLow = Math.trunc(x);
  let yHigh: number;
  let xHigh: number;
  if (yLow >= height - 1) {
    yHigh = yLow = height - 1;
    y = yLow;
  } else yHigh = yLow + 1;
  if (xLow >= width - 1) {
    xHigh = xLow = width - 1;
    x = xLow;
  } else xHigh = xLow + 1;
  const ly = f(y - yLow);
  const lx = f(x - xLow);
  const hy = f(1 - ly);
  const hx = f(1 - lx);
  const v1 = data[offset + yLow * width + xLow]!;
  const v2 = data[offset + yLow * width + xHigh]!;
  const v3 = data[offset + yHigh * width + xLow]!;
  const v4 = data[offset + yHigh * width + xHigh]!;
  return f(f(f(f(f(hy * hx) * v1) + f(f(hy * lx) * v2)) + f(f(ly * hx) * v3)) + f(f(ly * lx) * v4));
}

/**
 * RoIAlign of `rois` (`[k*5]`: batch index, x1, y1, x2, y2) on one feature map.
 * @returns float32 `[k, C, outH, outW]`.
 */
export function roiAlign(input: FeatureMap, rois: Float32Array, options: RoiAlignOptions): Float32Array {
  const [n, channels, height, width] = input.shape;
  if (input.data.length !== n * channels * height * width) throw new Error(`roiAlign: ${input.data.length} values for shape ${input.shape.join('x')}`);
  if (rois.length % 5 !== 0) throw new Error(`roiAlign: rois must be [k, 5], got ${rois.length} values`);
  const [outH, outW] = outputHW(options.outputSize);
  const k = rois.length / 5;
  const out = new Float32Array(k * channels * outH * outW);
  for (let r = 0; r < k; r++) roiAlignOne(input, rois, r, options, out, r);
  return out;
}

/** Pools RoI `r` of `rois` into row `outRow` of `out` (`[*, C, outH, outW]`). */
function roiAlignOne(input: FeatureMap, rois: Float32Array, r: number, options: RoiAlignOptions, out: Float32Array, outRow: number): void {
  const [n, channels, height, width] = input.shape;
  const [outH, outW] = outputHW(options.outputSize);
  const batch = Math.trunc(rois[r * 5]!);
  if (batch < 0 || batch >= n) throw new Error(`roiAlign: RoI ${r} has batch index ${rois[r * 5]} for a batch of ${n}`);
  const scale = f(options.spatialScale);
  const offset = options.aligned ? 0.5 : 0;
  const startW = f(f(rois[r * 5 + 1]! * scale) - offset);
  const startH = f(f(rois[r * 5 + 2]! * scale) - offset);
  const endW = f(f(rois[r * 5 + 3]! * scale) - offset);
  const endH = f(f(rois[r * 5 + 4]! * scale) - offset);
  let roiW = f(endW - startW);
  let roiH = f(endH - startH);
  if (!options.aligned) {
    roiW = Math.max(roiW, 1);
    roiH = Math.max(roiH, 1);
  }
  const binH = f(roiH / outH);
  const binW = f(roiW / outW);
  const gridH = options.samplingRatio > 0 ? options.samplingRatio : Math.ceil(f(roiH / outH));
  const gridW = options.samplingRatio > 0 ? options.samplingRatio : Math.ceil(f(roiW / outW));
  const count = Math.max(gridH * gridW, 1);
  for (let c = 0; c < channels; c++) {
    const plane = (batch * channels + c) * height * width;
    for (let ph = 0; ph < outH; ph++) {
      for (let pw = 0; pw < outW; pw++) {
        let sum = 0;
        for (let iy = 0; iy < gridH; iy++) {
          const y = f(f(startH + f(ph * binH)) + f(f(f(iy + 0.5) * binH) / gridH));
          for (let ix = 0; ix < gridW; ix++) {
            const x = f(f(startW + f(pw * binW)) + f(f(f(ix + 0.5) * binW) / gridW));
            sum = f(sum + bilinearSample(input.data, plane, height, width, y, x));
          }
        }
        out[((outRow * channels + c) * outH + ph) * outW + pw] = f(sum / count);
      }
    }
  }
}

/**
 * MMDetection `SingleRoIExtractor.map_roi_levels`: level `floor(log2(sqrt(w * h) / finestScale + 1e-6))`
 * clamped to [0, numLevels - 1], float32. A RoI with negative area (inverted corners) maps to level 0.
 */
export function mapRoiLevels(rois: Float32Array, numLevels: number, finestScale = 56): Int32Array {
  const k = rois.length / 5;
  const levels = new Int32Array(k);
  for (let r = 0; r < k; r++) levels[r] = roiLevel(rois, r, numLevels, finestScale);
  return levels;
}

function roiLevel(rois: Float32Array, r: number, numLevels: number, finestScale: number): number {
  const area = f(f(rois[r * 5 + 3]! - rois[r * 5 + 1]!) * f(rois[r * 5 + 4]! - rois[r * 5 + 2]!));
  const scale = f(Math.sqrt(Math.max(area, 0)));
  const level = Math.floor(Math.log2(f(f(scale / f(finestScale)) + f(1e-6))));
  return Math.min(Math.max(level, 0), numLevels - 1);
}

export interface SingleRoiExtractorOptions {
  /** `roi_layer`: output size, sampling ratio, aligned (spatial scale comes from the strides). */
  roiLayer: Omit<RoiAlignOptions, 'spatialScale'>;
  /** `featmap_strides`, one per level, e.g. [4, 8, 16, 32]. */
  featmapStrides: readonly number[];
  /** `finest_scale` (default 56). */
  finestScale?: number;
}

/**
 * MMDetection's `SingleRoIExtractor.forward` (no `roi_scale_factor`): each RoI pooled from the FPN level
 * its size maps to (a single level skips the mapping). @returns float32 `[k, C, outH, outW]`.
 */
export function singleRoiExtractor(feats: readonly FeatureMap[], rois: Float32Array, options: SingleRoiExtractorOptions): Float32Array {
  if (feats.length === 0 || feats.length !== options.featmapStrides.length) throw new Error(`SingleRoIExtractor: ${feats.length} feature maps for ${options.featmapStrides.length} strides`);
  const channels = feats[0]!.shape[1];
  if (feats.some((m) => m.shape[1] !== channels)) throw new Error('SingleRoIExtractor: feature maps differ in channel count');
  const [outH, outW] = outputHW(options.roiLayer.outputSize);
  const k = rois.length / 5;
  const out = new Float32Array(k * channels * outH * outW);
  const numLevels = feats.length;
  for (let r = 0; r < k; r++) {
    const level = numLevels === 1 ? 0 : roiLevel(rois, r, numLevels, options.finestScale ?? 56);
    roiAlignOne(feats[level]!, rois, r, { ...options.roiLayer, spatialScale: 1 / options.featmapStrides[level]! }, out, r);
  }
  return out;
}
