/**
 * CenterNet box decoding at heat-map peaks, CPU twin of `src/gpu/centernet-boxes.ts`: for each peak
 * (flat NHWC index into the `[H, W, C]` heat map), class = idx % C, x = (idx / C) % W, y = (idx / C) / W,
 * and the size head's four distances (left, top, right, bottom, already in input pixels in MB3-CenterNet)
 * at (y, x) give the box (stride*x - l, stride*y - t, stride*x + r, stride*y + b) in model-input pixels,
 * divided by `scaleFactor` (MMDetection's resized/source) to land in frame pixels.
 * https://github.com/610265158/mobilenetv3_centernet (the in-graph `detections` decode this reproduces)
 */
import type { HeatmapPeaks, HeatmapShape } from './heatmap-peaks.ts';

/** Where the size head's four channels sit: NHWC `[H, W, 4]` or NCHW `[4, H, W]`. */
export type SizeLayout = 'nhwc' | 'nchw';

export interface CenterNetBoxOptions {
  /** Heat-map shape `[H, W, C]`; the size head has the same H, W. */
  shape: HeatmapShape;
  sizeLayout: SizeLayout;
  /** Input pixels per heat-map cell (4 for MB3-CenterNet's 512 → 128). */
  stride: number;
  /** (w, h) model-input size / frame size: boxes are divided by it. */
  scaleFactor: readonly [number, number];
}

export interface CenterNetBoxes {
  /** `[k*4]` x1, y1, x2, y2 in frame pixels. */
  boxes: Float32Array;
  scores: Float32Array;
  labels: Int32Array;
}

/** Index of channel `ch` of the size head at (y, x). */
export function sizeIndex(layout: SizeLayout, height: number, width: number, y: number, x: number, ch: number): number {
  return layout === 'nhwc' ? (y * width + x) * 4 + ch : (ch * height + y) * width + x;
}

/** Boxes for every peak, in peak order (no threshold: the caller filters by score). */
export function centerNetBoxes(peaks: HeatmapPeaks, size: Float32Array, opts: CenterNetBoxOptions): CenterNetBoxes {
  const [h, w, c] = opts.shape;
  if (size.length !== h * w * 4) throw new Error(`CenterNet boxes: size head has ${size.length} values, expected ${h}x${w}x4`);
  const k = peaks.scores.length;
  const boxes = new Float32Array(k * 4);
  const labels = new Int32Array(k);
  // Multiply by the float32 reciprocal, as the kernel does: f32 multiplication is exactly rounded on both sides.
  const [sx, sy] = [Math.fround(1 / opts.scaleFactor[0]), Math.fround(1 / opts.scaleFactor[1])];
  for (let i = 0; i < k; i++) {
    const idx = peaks.indices[i]!;
    const pixel = Math.floor(idx / c);
    const x = pixel % w;
    const y = Math.floor(pixel / w);
    labels[i] = idx % c;
    const at = (ch: number) => size[sizeIndex(opts.sizeLayout, h, w, y, x, ch)]!;
    const cx = Math.fround(opts.stride * x);
    const cy = Math.fround(opts.stride * y);
    boxes[i * 4] = Math.fround(cx - at(0)) * sx;
    boxes[i * 4 + 1] = Math.fround(cy - at(1)) * sy;
    boxes[i * 4 + 2] = Math.fround(cx + at(2)) * sx;
    boxes[i * 4 + 3] = Math.fround(cy + at(3)) * sy;
  }
  return { boxes, scores: Float32Array.from(peaks.scores), labels };
}
