/**
 * Detector input pre-processing as MMDetection's test pipeline does it: `Resize` (keep_ratio) →
 * `Normalize` (mean, std, to_rgb) → `Pad` (size_divisor) → NCHW float32. CPU twin of
 * `src/gpu/preprocess.ts`.
 *
 * Resize: https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/datasets/pipelines/transforms.py
 * (`Resize._resize_img`), sizes from https://github.com/open-mmlab/mmcv/blob/v1.7.2/mmcv/image/geometric.py
 * (`rescale_size`, `_scale_size`), sampling as OpenCV's `cv2.resize(..., INTER_LINEAR)`.
 *
 * Bilinear sampling rule (OpenCV INTER_LINEAR, `resize.cpp`): for output column `dx` the source
 * coordinate is `fx = (dx + 0.5) * (srcW / dstW) - 0.5`, `sx = floor(fx)`, weight `fx - sx`; a tap left
 * of column 0 or right of column srcW-1 is clamped to the edge column (equivalently: the coordinate is
 * clamped to [0, srcW-1]). Rows the same; horizontal pass first, then vertical. We compute in float32
 * without OpenCV's uint8 round trip (it quantises the resized image to uint8 with 11-bit fixed-point
 * weights), so we differ from MMDetection's tensor by at most about 0.5 grey level / std per pixel.
 */

/** Input size to the detector, MMDetection's `img_scale` `(w, h)`. */
export type ImgScale = readonly [width: number, height: number];

export interface PreprocessOptions {
  /** `Resize.img_scale` (w, h); with keepRatio the long edge fits max(w, h) and the short edge min(w, h). */
  scale: ImgScale;
  /** `Resize.keep_ratio` (default true). */
  keepRatio?: boolean;
  /** `Normalize.mean`, per output channel (RGB order when toRgb, else BGR), 0-255 units. */
  mean: readonly [number, number, number];
  /** `Normalize.std`, per output channel. */
  std: readonly [number, number, number];
  /** `Normalize.to_rgb`: true → channels R, G, B; false → B, G, R (MMCV loads images as BGR). */
  toRgb: boolean;
  /** `Pad.size_divisor` (default 1: no padding). Padding is bottom/right, after normalisation. */
  sizeDivisor?: number;
  /** `Pad.pad_to_square`: pad bottom/right to a max(w, h) square (instead of `sizeDivisor`). */
  padToSquare?: boolean;
  /** `Pad.pad_val` per output channel, in tensor units (MMDetection pads after Normalize); default 0. */
  padValue?: readonly [number, number, number];
}

export interface PreprocessGeometry {
  /** Source frame size, pixels. */
  width: number;
  height: number;
  /** Size after `Resize` (`img_shape`). */
  resizedWidth: number;
  resizedHeight: number;
  /** Size after `Pad` (`pad_shape`): the tensor's W and H. */
  paddedWidth: number;
  paddedHeight: number;
  /** MMDetection's `scale_factor` (w_scale, h_scale) = resized / source: divide boxes by it to map back. */
  scaleFactor: readonly [number, number];
}

/** MMCV `rescale_size`: the size keeping the aspect ratio with long edge ≤ max(scale), short edge ≤ min(scale). */
export function rescaleSize(width: number, height: number, scale: ImgScale): [number, number] {
  const maxLongEdge = Math.max(scale[0], scale[1]);
  const maxShortEdge = Math.min(scale[0], scale[1]);
  const factor = Math.min(maxLongEdge / Math.max(height, width), maxShortEdge / Math.min(height, width));
  // MMCV `_scale_size`: int(w * scale + 0.5).
  return [Math.trunc(width * factor + 0.5), Math.trunc(height * factor + 0.5)];
}

/** Resize/pad sizes and scale factor for a `width`×`height` frame. */
export function preprocessGeometry(width: number, height: number, options: PreprocessOptions): PreprocessGeometry {
  if (!(width > 0 && height > 0)) throw new Error(`preprocess: empty frame ${width}x${height}`);
  const [resizedWidth, resizedHeight] = (options.keepRatio ?? true) ? rescaleSize(width, height, options.scale) : [options.scale[0], options.scale[1]];
  if (resizedWidth < 1 || resizedHeight < 1) throw new Error(`preprocess: scale ${options.scale.join('x')} resizes ${width}x${height} to ${resizedWidth}x${resizedHeight}`);
  const divisor = options.sizeDivisor ?? 1;
  if (!Number.isInteger(divisor) || divisor < 1) throw new Error(`preprocess: size_divisor must be a positive integer, got ${divisor}`);
  // MMDetection's Pad: pad_to_square sets the size max(h, w) (size_divisor is then not allowed).
  const square = options.padToSquare ? Math.max(resizedWidth, resizedHeight) : 0;
  return {
    width,
    height,
    resizedWidth,
    resizedHeight,
    paddedWidth: square || Math.ceil(resizedWidth / divisor) * divisor,
    paddedHeight: square || Math.ceil(resizedHeight / divisor) * divisor,
    scaleFactor: [resizedWidth / width, resizedHeight / height],
  };
}

/** One axis of OpenCV's INTER_LINEAR: source index and weight of the second tap, in float32. */
export function linearTap(dst: number, srcSize: number, dstSize: number): { index: number; frac: number } {
  const f = Math.fround;
  const scale = f(srcSize / dstSize);
  const x = f(f(f(dst + 0.5) * scale) - 0.5);
  let index = Math.floor(x);
  let frac = f(x - index);
  if (index < 0) {
    index = 0;
    frac = 0;
  }
  if (index >= srcSize - 1) {
    index = srcSize - 1;
    frac = 0;
  }
  return { index, frac };
}

/**
 * Checks the frame's byte count and returns its geometry and the tensor to fill: float32 NCHW
 * `[1, 3, paddedHeight, paddedWidth]`, each channel's padding already set to its `padValue`.
 */
export function preprocessTarget(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  options: PreprocessOptions,
): { data: Float32Array; geometry: PreprocessGeometry } {
  if (rgba.length !== width * height * 4) throw new Error(`preprocess: ${rgba.length} bytes for a ${width}x${height} RGBA frame`);
  const geometry = preprocessGeometry(width, height, options);
  const plane = geometry.paddedWidth * geometry.paddedHeight;
  const data = new Float32Array(3 * plane);
  if (options.padValue) for (let c = 0; c < 3; c++) data.fill(Math.fround(options.padValue[c]!), c * plane, (c + 1) * plane);
  return { data, geometry };
}

/**
 * Pre-processes an RGBA frame (row-major, 4 bytes per pixel, alpha ignored) into the detector tensor.
 * @returns `data`: float32 NCHW `[1, 3, paddedHeight, paddedWidth]`, and the geometry.
 */
export function preprocessImage(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  options: PreprocessOptions,
): { data: Float32Array; geometry: PreprocessGeometry } {
  const { data, geometry: g } = preprocessTarget(rgba, width, height, options);
  const f = Math.fround;
  const plane = g.paddedWidth * g.paddedHeight;
  // MMCV `imnormalize` multiplies by 1/std.
  const mean = options.mean.map(f);
  const stdInv = options.std.map((s) => f(1 / s));
  const xs = Array.from({ length: g.resizedWidth }, (_, dx) => linearTap(dx, width, g.resizedWidth));
  for (let dy = 0; dy < g.resizedHeight; dy++) {
    const ty = linearTap(dy, height, g.resizedHeight);
    const y0 = ty.index;
    const y1 = Math.min(y0 + 1, height - 1);
    for (let dx = 0; dx < g.resizedWidth; dx++) {
      const tx = xs[dx]!;
      const x0 = tx.index;
      const x1 = Math.min(x0 + 1, width - 1);
      for (let c = 0; c < 3; c++) {
        const src = options.toRgb ? c : 2 - c;
        const h0 = f(f(f(1 - tx.frac) * rgba[(y0 * width + x0) * 4 + src]!) + f(tx.frac * rgba[(y0 * width + x1) * 4 + src]!));
        const h1 = f(f(f(1 - tx.frac) * rgba[(y1 * width + x0) * 4 + src]!) + f(tx.frac * rgba[(y1 * width + x1) * 4 + src]!));
        const v = f(f(f(1 - ty.frac) * h0) + f(ty.frac * h1));
        data[c * plane + dy * g.paddedWidth + dx] = f(v - mean[c]!) * stdInv[c]!;
      }
    }
  }
  return { data, geometry: g };
}

/**
 * The mean over channels of {@link preprocessImage}'s tensor, averaged over `factor` x `factor` blocks and times
 * `scale`, without building the tensor: the frame is turned into the channels' normalised sum first and that one plane
 * is resized (resizing and summing are linear: the same values up to float rounding), the padding counted as its fill.
 * The default VID's Lucas–Kanade pyramid starts here on every frame (`src/core/ops/lucas-kanade.ts`), which spares a
 * warped frame the whole pre-processing its backbone-less path does not need.
 */
export function preprocessGrayPool(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  options: PreprocessOptions,
  factor: number,
  scale: number,
): { data: Float32Array; height: number; width: number; geometry: PreprocessGeometry } {
  if (rgba.length !== width * height * 4) throw new Error(`preprocess: ${rgba.length} bytes for a ${width}x${height} RGBA frame`);
  const g = preprocessGeometry(width, height, options);
  const h = Math.floor(g.paddedHeight / factor);
  const w = Math.floor(g.paddedWidth / factor);
  if (h < 1 || w < 1) throw new Error(`grayPool: a ${g.paddedHeight}x${g.paddedWidth} image pooled by ${factor} is empty`);
  // Σ_c (v_c − mean_c) / std_c = Σ_c v_c / std_c − Σ_c mean_c / std_c, tensor channel c reading source channel src(c).
  const weights = [0, 0, 0];
  for (let c = 0; c < 3; c++) weights[options.toRgb ? c : 2 - c] = 1 / options.std[c]!;
  const offset = options.mean.reduce((a, m, c) => a + m / options.std[c]!, 0);
  const plane = new Float32Array(width * height);
  for (let p = 0; p < width * height; p++) plane[p] = rgba[p * 4]! * weights[0]! + rgba[p * 4 + 1]! * weights[1]! + rgba[p * 4 + 2]! * weights[2]!;
  const sums = new Float64Array(h * w);
  const xs = Array.from({ length: g.resizedWidth }, (_, dx) => linearTap(dx, width, g.resizedWidth));
  for (let dy = 0; dy < Math.min(g.resizedHeight, h * factor); dy++) {
    const ty = linearTap(dy, height, g.resizedHeight);
    const r0 = ty.index * width;
    const r1 = Math.min(ty.index + 1, height - 1) * width;
    const row = Math.floor(dy / factor) * w;
    for (let dx = 0; dx < Math.min(g.resizedWidth, w * factor); dx++) {
      const tx = xs[dx]!;
      const x1 = Math.min(tx.index + 1, width - 1);
      const top = (1 - tx.frac) * plane[r0 + tx.index]! + tx.frac * plane[r0 + x1]!;
      const bottom = (1 - tx.frac) * plane[r1 + tx.index]! + tx.frac * plane[r1 + x1]!;
      sums[row + Math.floor(dx / factor)]! += (1 - ty.frac) * top + ty.frac * bottom - offset;
    }
  }
  // The padding (right and bottom) holds the fill value of each channel, as the tensor does.
  const pad = options.padValue ? options.padValue.reduce((a, v) => a + v, 0) : 0;
  const out = new Float32Array(h * w);
  const k = scale / (3 * factor * factor);
  for (let by = 0; by < h; by++) {
    const rowsIn = Math.max(0, Math.min(factor, g.resizedHeight - by * factor));
    for (let bx = 0; bx < w; bx++) {
      const colsIn = Math.max(0, Math.min(factor, g.resizedWidth - bx * factor));
      out[by * w + bx] = Math.fround((sums[by * w + bx]! + pad * (factor * factor - rowsIn * colsIn)) * k);
    }
  }
  return { data: out, height: h, width: w, geometry: g };
}
