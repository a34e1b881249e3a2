/**
 * MMDetection's `DeltaXYWHBBoxCoder` decode (`delta2bbox`): boxes from reference boxes (anchors or proposals) and
 * the network's (dx, dy, dw, dh) deltas.
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/core/bbox/coder/delta_xywh_bbox_coder.py
 *
 * Per reference box (x1, y1, x2, y2) and each group of 4 deltas (one group per class when class-specific), float32:
 * 1. `d = delta * std + mean` (`target_stds`, `target_means`).
 * 2. `px = (x1 + x2) * 0.5`, `pw = x2 - x1` (same for y, h); `dx_width = pw * dx` (clamped to ±`ctr_clamp` when
 *    `add_ctr_clamp`).
 * 3. `dw` clamped to [-r, r] with `r = |log(wh_ratio_clip)|` (only `<= r` when `add_ctr_clamp`).
 * 4. `gw = pw * exp(dw)`, `gx = px + dx_width`; box `(gx - gw * 0.5, gy - gh * 0.5, gx + gw * 0.5, gy + gh * 0.5)`.
 * 5. With `clip_border` and a `max_shape` (h, w): x clamped to [0, w], y to [0, h].
 */
import { param } from '../../config/params.ts';
import { Registry } from '../../config/registry.ts';

const f = Math.fround;

export interface DeltaXYWHBBoxCoderOptions {
  /** `target_means` (default 0, 0, 0, 0). */
  targetMeans?: readonly [number, number, number, number];
  /** `target_stds` (default 1, 1, 1, 1; MMDetection's box heads use 0.1, 0.1, 0.2, 0.2). */
  targetStds?: readonly [number, number, number, number];
  /** `clip_border` (default true): clip to `max_shape` when one is given. */
  clipBorder?: boolean;
  /** `add_ctr_clamp` (default false, YOLOF) and `ctr_clamp` (default 32 pixels). */
  addCtrClamp?: boolean;
  ctrClamp?: number;
}

export class DeltaXYWHBBoxCoder {
  readonly means: readonly number[];
  readonly stds: readonly number[];
  readonly clipBorder: boolean;
  readonly addCtrClamp: boolean;
  readonly ctrClamp: number;

  constructor(options: DeltaXYWHBBoxCoderOptions = {}) {
    this.means = (options.targetMeans ?? [0, 0, 0, 0]).map(f);
    this.stds = (options.targetStds ?? [1, 1, 1, 1]).map(f);
    this.clipBorder = options.clipBorder ?? true;
    this.addCtrClamp = options.addCtrClamp ?? false;
    this.ctrClamp = options.ctrClamp ?? 32;
  }

  /**
   * @param rois `[n*4]` reference boxes x1, y1, x2, y2 (pixels).
   * @param deltas `[n*4k]`: k groups of (dx, dy, dw, dh) per box (k = 1, or one per class).
   * @param maxShape `[height, width]` to clip to (MMDetection's `img_shape`), or undefined for no clipping.
   * @param whRatioClip the largest width/height change is `1 / whRatioClip` (default 16 / 1000).
   * @returns float32 `[n*4k]` boxes, laid out as `deltas`.
   */
  decode(rois: Float32Array, deltas: Float32Array, maxShape?: readonly [number, number], whRatioClip = 16 / 1000): Float32Array {
    const n = rois.length / 4;
    if (!Number.isInteger(n)) throw new Error(`DeltaXYWHBBoxCoder: rois must be [n, 4], got ${rois.length} values`);
    const k = n === 0 ? 0 : deltas.length / (n * 4);
    if (n > 0 ? !Number.isInteger(k) || k < 1 : deltas.length !== 0) throw new Error(`DeltaXYWHBBoxCoder: ${deltas.length} delta values for ${n} boxes (need a multiple of ${n * 4})`);
    const maxRatio = f(Math.abs(Math.log(whRatioClip)));
    const [m0, m1, m2, m3] = this.means as [number, number, number, number];
    const [s0, s1, s2, s3] = this.stds as [number, number, number, number];
    const clip = this.clipBorder && maxShape !== undefined;
    const maxX = clip ? f(maxShape[1]) : 0;
    const maxY = clip ? f(maxShape[0]) : 0;
    const out = new Float32Array(deltas.length);
    for (let i = 0; i < n; i++) {
      const x1 = rois[i * 4]!;
      const y1 = rois[i * 4 + 1]!;
      const x2 = rois[i * 4 + 2]!;
      const y2 = rois[i * 4 + 3]!;
      const px = f(f(x1 + x2) * 0.5);
      const py = f(f(y1 + y2) * 0.5);
      const pw = f(x2 - x1);
      const ph = f(y2 - y1);
      for (let c = 0; c < k; c++) {
        const o = (i * k + c) * 4;
        const dx = f(f(deltas[o]! * s0) + m0);
        const dy = f(f(deltas[o + 1]! * s1) + m1);
        let dw = f(f(deltas[o + 2]! * s2) + m2);
        let dh = f(f(deltas[o + 3]! * s3) + m3);
        let dxWidth = f(pw * dx);
        let dyHeight = f(ph * dy);
        if (this.addCtrClamp) {
          dxWidth = Math.min(Math.max(dxWidth, -this.ctrClamp), this.ctrClamp);
          dyHeight = Math.min(Math.max(dyHeight, -this.ctrClamp), this.ctrClamp);
          dw = Math.min(dw, maxRatio);
          dh = Math.min(dh, maxRatio);
        } else {
          dw = Math.min(Math.max(dw, -maxRatio), maxRatio);
          dh = Math.min(Math.max(dh, -maxRatio), maxRatio);
        }
        const gw = f(pw * f(Math.exp(dw)));
        const gh = f(ph * f(Math.exp(dh)));
        const gx = f(px + dxWidth);
        const gy = f(py + dyHeight);
        const halfW = f(gw * 0.5);
        const halfH = f(gh * 0.5);
        let bx1 = f(gx - halfW);
        let by1 = f(gy - halfH);
        let bx2 = f(gx + halfW);
        let by2 = f(gy + halfH);
        if (clip) {
          bx1 = Math.min(Math.max(bx1, 0), maxX);
          by1 = Math.min(Math.max(by1, 0), maxY);
          bx2 = Math.min(Math.max(bx2, 0), maxX);
          by2 = Math.min(Math.max(by2, 0), maxY);
        }
        out[o] = bx1;
        out[o + 1] = by1;
        out[o + 2] = bx2;
        out[o + 3] = by2;
      }
    }
    return out;
  }
}

/** Box coders by config `type` (`bbox_coder` of RPN and box heads). */
export const BBOX_CODERS = new Registry<DeltaXYWHBBoxCoder>('bbox coders');

BBOX_CODERS.register('DeltaXYWHBBoxCoder', {
  params: {
    target_means: param.array(param.number(), 4).default([0, 0, 0, 0]),
    target_stds: param.array(param.number({ min: 0 }), 4).default([1, 1, 1, 1]),
    clip_border: param.boolean().default(true),
    add_ctr_clamp: param.boolean().default(false),
    ctr_clamp: param.number({ min: 0 }).default(32),
  },
  create: (args) =>
    new DeltaXYWHBBoxCoder({
      targetMeans: args.target_means as [number, number, number, number],
      targetStds: args.target_stds as [number, number, number, number],
      clipBorder: args.clip_border,
      addCtrClamp: args.add_ctr_clamp,
      ctrClamp: args.ctr_clamp,
    }),
});
