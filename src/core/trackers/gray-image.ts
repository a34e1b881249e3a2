/**
 * The grayscale copy of a frame that camera motion compensation (ECC) aligns: OpenCV's RGB→GRAY weights
 * (0.299 R + 0.587 G + 0.114 B), box-averaged down by an integer factor so that the longer side is at most
 * `maxSide` (ECC's cost grows with the pixels; `scale` tells CameraMotionCompensation how to map back).
 */
import type { GrayImage } from './ecc.ts';

export function grayImage(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, maxSide = 480): GrayImage {
  if (rgba.length !== width * height * 4) throw new Error(`grayImage: ${rgba.length} bytes for a ${width}x${height} RGBA frame`);
  const factor = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  const data = new Float32Array(w * h);
  const inv = 1 / (factor * factor);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        let p = ((y * factor + dy) * width + x * factor) * 4;
        for (let dx = 0; dx < factor; dx++, p += 4) sum += 0.299 * rgba[p]! + 0.587 * rgba[p + 1]! + 0.114 * rgba[p + 2]!;
      }
      data[y * w + x] = sum * inv;
    }
  }
  return { width: w, height: h, data, scale: 1 / factor };
}
