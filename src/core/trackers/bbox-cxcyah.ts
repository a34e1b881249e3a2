/**
 * The Kalman filter's measurement space: `cx, cy, a, h` (box centre, aspect ratio `w / h`, height, all in frame
 * pixels except `a`), as MMTracking's `bbox_xyxy_to_cxcyah` / `bbox_cxcyah_to_xyxy`
 * (https://github.com/open-mmlab/mmtracking/blob/master/mmtrack/structures/bbox/transforms.py).
 */

/** `x1, y1, x2, y2` at `boxes[4i..4i+3]` → `[cx, cy, w / h, h]`. */
export function xyxyToCxcyah(boxes: ArrayLike<number>, i = 0, out = new Float64Array(4)): Float64Array {
  const x1 = boxes[4 * i]!;
  const y1 = boxes[4 * i + 1]!;
  const x2 = boxes[4 * i + 2]!;
  const y2 = boxes[4 * i + 3]!;
  const h = y2 - y1;
  out[0] = (x1 + x2) / 2;
  out[1] = (y1 + y2) / 2;
  out[2] = (x2 - x1) / h;
  out[3] = h;
  return out;
}

/** `cx, cy, a, h` (the first four entries of `cxcyah`, e.g. a Kalman mean) → `[x1, y1, x2, y2]`. */
export function cxcyahToXyxy(cxcyah: ArrayLike<number>, out = new Float64Array(4), offset = 0): Float64Array {
  const cx = cxcyah[0]!;
  const cy = cxcyah[1]!;
  const h = cxcyah[3]!;
  const w = cxcyah[2]! * h;
  out[offset] = cx - w / 2;
  out[offset + 1] = cy - h / 2;
  out[offset + 2] = cx + w / 2;
  out[offset + 3] = cy + h / 2;
  return out;
}
