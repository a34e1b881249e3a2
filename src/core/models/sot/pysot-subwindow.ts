/**
 * pysot's crop (`SiameseTracker.get_subwindow`), which NanoTrack's tracker uses: a `originalSize`-pixel square
 * starting at `floor(c - (originalSize + 1) / 2 + 0.5)`, padded with the first frame's mean colour (stored in a
 * uint8 image, so truncated), resized to `modelSize` by `cv2.resize` (bilinear, half-pixel centres, uint8 result)
 * unless the sizes agree. MMTracking's SiamRPN crops differently (`src/core/ops/sot-crop.ts`).
 * https://github.com/HonglinChu/SiamTrackers/blob/master/NanoTrack/nanotrack/tracker/base_tracker.py
 * https://github.com/STVIR/pysot/blob/master/pysot/tracker/base_tracker.py
 *
 * cv2's INTER_LINEAR on uint8 uses 11-bit fixed-point weights; this computes the bilinear value in float and
 * rounds it to an integer, so a value can differ from OpenCV's by 1.
 */
import { torchLinearTap } from '../../ops/sot-crop.ts';

export interface PysotSubwindowOptions {
  /** Crop centre in frame pixels. */
  cx: number;
  cy: number;
  /** Output side (127 template, 255 search). */
  modelSize: number;
  /** Window side in frame pixels, an integer (`round(s_z)`). */
  originalSize: number;
  /** Mean colour of the first frame, RGB order, 0-255. */
  avgChannel: readonly [number, number, number];
  channelOrder: 'bgr' | 'rgb';
}

/** Window start in frame pixels: `floor(pos - (sz + 1) / 2 + 0.5)`; the window is `sz` pixels wide. */
export function pysotWindowStart(center: number, size: number): number {
  return Math.floor(center - (size + 1) / 2 + 0.5);
}

/** @returns float32 NCHW `[1, 3, modelSize, modelSize]` with integer values 0-255. */
export function pysotSubwindow(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, o: PysotSubwindowOptions): Float32Array {
  if (rgba.length !== width * height * 4) throw new Error(`SOT crop: ${rgba.length} bytes for a ${width}x${height} RGBA frame`);
  const sz = Math.round(o.originalSize);
  if (!(sz >= 1)) throw new Error(`SOT crop: window of ${o.originalSize} pixels`);
  const x0 = pysotWindowStart(o.cx, sz);
  const y0 = pysotWindowStart(o.cy, sz);
  const t = o.modelSize;
  const pad = o.avgChannel.map((v) => Math.trunc(v));
  const out = new Float32Array(3 * t * t);
  const src = o.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const pixel = (x: number, y: number, channel: number): number => {
    const fx = x0 + x;
    const fy = y0 + y;
    return fx >= 0 && fx < width && fy >= 0 && fy < height ? rgba[(fy * width + fx) * 4 + channel]! : pad[channel]!;
  };
  if (sz === t) {
    for (let y = 0; y < t; y++) for (let x = 0; x < t; x++) for (let c = 0; c < 3; c++) out[(c * t + y) * t + x] = pixel(x, y, src[c]!);
    return out;
  }
  // cv2 INTER_LINEAR and torch's align_corners=False pick the same taps and weights (clamped at the borders).
  const taps = Array.from({ length: t }, (_, i) => torchLinearTap(i, sz, t));
  for (let oy = 0; oy < t; oy++) {
    const ty = taps[oy]!;
    for (let ox = 0; ox < t; ox++) {
      const tx = taps[ox]!;
      for (let c = 0; c < 3; c++) {
        const ch = src[c]!;
        const top = pixel(tx.i0, ty.i0, ch) * (1 - tx.lambda) + pixel(tx.i1, ty.i0, ch) * tx.lambda;
        const bottom = pixel(tx.i0, ty.i1, ch) * (1 - tx.lambda) + pixel(tx.i1, ty.i1, ch) * tx.lambda;
        out[(c * t + oy) * t + ox] = Math.round(top * (1 - ty.lambda) + bottom * ty.lambda);
      }
    }
  }
  return out;
}
