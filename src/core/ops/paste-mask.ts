/**
 * Mask paste as MMDetection 2.x's `FCNMaskHead.get_seg_masks` runs it at test time (CPU twin of src/gpu/paste-mask.ts):
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/roi_heads/mask_heads/fcn_mask_head.py
 * 1. The label's channel of the `S x S` mask logits (channel 0 when class-agnostic), through a sigmoid.
 * 2. `_do_paste_mask`: for each frame pixel (x, y) of the box's region (the box grown by one pixel, floored/ceiled,
 *    clipped to the frame), the normalised grid position gx = (x + 0.5 - x0) / (x1 - x0) * 2 - 1 (an infinite one,
 *    from an empty box, becomes 0, as MMDetection does; 0/0 samples nothing), then `grid_sample` with
 *    `align_corners=False` and zero padding: u = (gx + 1) * S / 2 - 0.5, bilinear over the four neighbours.
 * 3. Pixels with value >= `mask_thr_binary` are on. Outside the region nothing is on (a value >= 0.5 needs u <= 27.5
 *    inside the box, so the region never cuts a set pixel: MMDetection's CPU and GPU paths agree).
 * float32 throughout, in torch's order.
 */
import { type BitMasks, emptyBitMasks } from '../structures/bit-masks.ts';

const f = Math.fround;

export interface PasteMaskInput {
  /** `[N, C, S, S]` mask logits (`mask_pred`). */
  maskPred: Float32Array;
  /** C: the mask head's channels (1 when class-agnostic). */
  channels: number;
  /** S: the mask head's output size (28). */
  size: number;
  /** `[N]` the detection labels (the channel pasted; ignored when `channels` is 1). */
  labels: ArrayLike<number>;
  /** `[N*4]` boxes in frame pixels. */
  boxes: Float32Array;
  width: number;
  height: number;
  /** `mask_thr_binary` (0.5). */
  threshold: number;
}

/** Region of frame pixels `_do_paste_mask` evaluates for one box: [x0, x1) x [y0, y1) (may be empty). */
export function pasteRegion(box: ArrayLike<number>, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } {
  return {
    x0: Math.max(Math.floor(box[0]!) - 1, 0),
    y0: Math.max(Math.floor(box[1]!) - 1, 0),
    x1: Math.min(Math.ceil(box[2]!) + 1, width),
    y1: Math.min(Math.ceil(box[3]!) + 1, height),
  };
}

/** The sample position (`grid_sample`'s unnormalised u) of frame coordinate `p` in a box side [lo, hi], or NaN. */
function sourceIndex(p: number, lo: number, hi: number, size: number): number {
  let g = f(f(f(p + 0.5) - lo) / f(hi - lo));
  if (g === Infinity || g === -Infinity) g = 0;
  else g = f(f(g * 2) - 1);
  return f(f(f(g + 1) * (size / 2)) - 0.5);
}

/** Step 1 for detection `i`: sigmoid of its channel, `[S*S]`. */
function probabilities(input: PasteMaskInput, i: number): Float32Array {
  const { channels: c, size: s } = input;
  const channel = c === 1 ? 0 : input.labels[i]!;
  if (!(channel >= 0 && channel < c)) throw new Error(`mask paste: label ${channel} of detection ${i} has no mask channel (${c} channels)`);
  const offset = (i * c + channel) * s * s;
  const p = new Float32Array(s * s);
  for (let k = 0; k < s * s; k++) p[k] = f(1 / f(1 + f(Math.exp(-input.maskPred[offset + k]!))));
  return p;
}

/** Bilinear sample of `plane` (`[S*S]`) at (u, v) with zeros outside (`grid_sample`, zeros padding). */
function sample(plane: Float32Array, size: number, u: number, v: number): number {
  if (Number.isNaN(u) || Number.isNaN(v)) return 0;
  const xl = Math.floor(u);
  const yl = Math.floor(v);
  const tx = f(u - xl);
  const ty = f(v - yl);
  const at = (yy: number, xx: number) => (xx >= 0 && xx < size && yy >= 0 && yy < size ? plane[yy * size + xx]! : 0);
  const nw = f(f(1 - tx) * f(1 - ty));
  const ne = f(tx * f(1 - ty));
  const sw = f(f(1 - tx) * ty);
  const se = f(tx * ty);
  return f(f(f(f(at(yl, xl) * nw) + f(at(yl, xl + 1) * ne)) + f(at(yl + 1, xl) * sw)) + f(at(yl + 1, xl + 1) * se));
}

/** Visits every pixel of detection `i`'s region with its pasted value. */
function pasteOne(input: PasteMaskInput, i: number, visit: (x: number, y: number, value: number) => void): void {
  const box = input.boxes.subarray(i * 4, i * 4 + 4);
  const r = pasteRegion(box, input.width, input.height);
  if (r.x1 <= r.x0 || r.y1 <= r.y0) return;
  const plane = probabilities(input, i);
  const us = Float32Array.from({ length: r.x1 - r.x0 }, (_, k) => sourceIndex(r.x0 + k, box[0]!, box[2]!, input.size));
  for (let y = r.y0; y < r.y1; y++) {
    const v = sourceIndex(y, box[1]!, box[3]!, input.size);
    for (let x = r.x0; x < r.x1; x++) visit(x, y, sample(plane, input.size, us[x - r.x0]!, v));
  }
}

function checkInput(input: PasteMaskInput): number {
  const n = input.boxes.length / 4;
  const { channels: c, size: s } = input;
  if (!Number.isInteger(n) || input.labels.length !== n) throw new Error(`mask paste: ${input.boxes.length / 4} boxes and ${input.labels.length} labels`);
  if (input.maskPred.length !== n * c * s * s) throw new Error(`mask paste: mask_pred has ${input.maskPred.length} values, expected [${n}, ${c}, ${s}, ${s}]`);
  return n;
}

/** Steps 1-3 for every detection: the binary masks at frame size. */
export function pasteMasks(input: PasteMaskInput): BitMasks {
  const n = checkInput(input);
  const out = emptyBitMasks(n, input.width, input.height);
  const thr = f(input.threshold);
  for (let i = 0; i < n; i++) {
    const base = i * input.height * out.wordsPerRow;
    pasteOne(input, i, (x, y, value) => {
      if (value >= thr) out.data[base + y * out.wordsPerRow + (x >>> 5)]! |= 1 << (x & 31);
    });
  }
  return out;
}

/** Steps 1-2 for detection `i`: the pasted values `[height*width]` (0 outside its region), for parity tests. */
export function pasteMaskValues(input: PasteMaskInput, i: number): Float32Array {
  checkInput(input);
  const out = new Float32Array(input.width * input.height);
  pasteOne(input, i, (x, y, value) => void (out[y * input.width + x] = value));
  return out;
}
