/**
 * The single-object-tracking crop of MMTracking's SiamRPN (`SiamRPN.get_cropped_img`), CPU twin of
 * `src/gpu/sot-crop.ts`: a square window of `cropSize` pixels around a centre, pixels outside the frame
 * filled with the per-channel mean colour of the first frame, resized to `targetSize` with bilinear
 * interpolation as `F.interpolate(..., mode='bilinear', align_corners=False)`.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/sot/siamrpn.py
 * https://github.com/pytorch/pytorch/blob/v2.1.0/aten/src/ATen/native/UpSample.h (`area_pixel_compute_source_index`)
 */

/** The source window of a crop, in frame pixels: columns `[x0, x0 + width)`, rows `[y0, y0 + height)`. */
export interface CropWindow {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * MMTracking's window: `xmin = int(cx - s/2)`, `xmax = int(cx + s/2)` (float32 tensors, `int` truncates
 * toward zero), inclusive. Quirk kept on purpose: when `xmax` lies at or beyond the frame's right edge the
 * padded tensor is `xmax` wide, so the Python slice `[xmin:xmax + 1]` stops one column short (same for
 * rows); the window then ends at `min(xmax + 1, max(W, xmax))`.
 */
export function siamCropWindow(cx: number, cy: number, cropSize: number, frameWidth: number, frameHeight: number): CropWindow {
  const f = Math.fround;
  const half = f(f(cropSize) / 2);
  const axis = (c: number, size: number): [number, number] => {
    const min = Math.trunc(f(f(c) - half));
    const max = Math.trunc(f(f(c) + half));
    const end = Math.min(max + 1, Math.max(size, max));
    return [min, end - min];
  };
  const [x0, width] = axis(cx, frameWidth);
  const [y0, height] = axis(cy, frameHeight);
  if (!(width >= 1 && height >= 1)) throw new Error(`SOT crop: window of ${width}x${height} pixels for centre (${cx}, ${cy}) and size ${cropSize}`);
  return { x0, y0, width, height };
}

/** PyTorch bilinear, align_corners=False, one axis: first tap, second tap, weight of the second (float32). */
export function torchLinearTap(dst: number, inSize: number, outSize: number): { i0: number; i1: number; lambda: number } {
  const f = Math.fround;
  const scale = f(inSize / outSize);
  const src = Math.max(f(f(f(dst + 0.5) * scale) - 0.5), 0);
  const i0 = Math.floor(src);
  const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
  return { i0, i1, lambda: f(src - i0) };
}

export interface SotCropOptions {
  /** Crop centre in frame pixels. */
  cx: number;
  cy: number;
  /** Window side in frame pixels (`z_size` or `x_size`). */
  cropSize: number;
  /** Output side: 127 (exemplar) or 255 (search). */
  targetSize: number;
  /** Padding colour, RGB order, 0-255 (`avg_channel` of the first frame, see `channelMean`). */
  avgChannel: readonly [number, number, number];
  /** Output channel order: 'bgr' as MMTracking's SiamRPN (images loaded by OpenCV), or 'rgb'. */
  channelOrder: 'bgr' | 'rgb';
}

/**
 * Crops an RGBA frame. @returns float32 NCHW `[1, 3, targetSize, targetSize]`, raw 0-255 values
 * (SiamRPN's test pipeline does not normalise).
 */
export function getCroppedImg(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, options: SotCropOptions): Float32Array {
  if (rgba.length !== width * height * 4) throw new Error(`SOT crop: ${rgba.length} bytes for a ${width}x${height} RGBA frame`);
  const f = Math.fround;
  const win = siamCropWindow(options.cx, options.cy, options.cropSize, width, height);
  const t = options.targetSize;
  const out = new Float32Array(3 * t * t);
  const avg = options.avgChannel.map(f);
  const pixel = (x: number, y: number, channel: number): number => {
    const fx = win.x0 + x;
    const fy = win.y0 + y;
    return fx >= 0 && fx < width && fy >= 0 && fy < height ? rgba[(fy * width + fx) * 4 + channel]! : avg[channel]!;
  };
  const xs = Array.from({ length: t }, (_, x) => torchLinearTap(x, win.width, t));
  for (let oy = 0; oy < t; oy++) {
    const ty = torchLinearTap(oy, win.height, t);
    for (let ox = 0; ox < t; ox++) {
      const tx = xs[ox]!;
      for (let c = 0; c < 3; c++) {
        const src = options.channelOrder === 'bgr' ? 2 - c : c;
        const l0 = f(1 - tx.lambda);
        const top = f(f(l0 * pixel(tx.i0, ty.i0, src)) + f(tx.lambda * pixel(tx.i1, ty.i0, src)));
        const bottom = f(f(l0 * pixel(tx.i0, ty.i1, src)) + f(tx.lambda * pixel(tx.i1, ty.i1, src)));
        out[(c * t + oy) * t + ox] = f(f(f(1 - ty.lambda) * top) + f(ty.lambda * bottom));
      }
    }
  }
  return out;
}

/** Per-channel mean colour of an RGBA frame, RGB order (MMTracking's `avg_channel`, computed on the first frame). */
export function channelMean(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  for (let i = 0; i < width * height * 4; i += 4) {
    r += rgba[i]!;
    g += rgba[i + 1]!;
    b += rgba[i + 2]!;
  }
  const n = width * height;
  return [r / n, g / n, b / n];
}
