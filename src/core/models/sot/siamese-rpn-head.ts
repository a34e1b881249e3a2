/**
 * SiamRPN++ head outputs → candidate boxes, as MMTracking 0.x's `SiameseRPNHead.get_bbox` decodes them:
 * `SiameseRPNAnchorGenerator` anchors centred on the search crop, two-class softmax, `DeltaXYWHBBoxCoder.decode`.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/core/anchor/sot_anchor_generator.py
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/track_heads/siamese_rpn_head.py
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/core/bbox/coder/delta_xywh_bbox_coder.py
 */
import { foregroundProbability, type SiameseCandidates } from './siamese-postprocess.ts';

/** `anchor_generator` of the head config. */
export interface SiameseRpnAnchorConfig {
  /** One level only (SiamRPN++ combines its three levels before the head output). */
  stride: number;
  ratios: readonly number[];
  scales: readonly number[];
}

/** `bbox_coder` of the head config (`DeltaXYWHBBoxCoder`). */
export interface DeltaXywhCoderConfig {
  targetMeans: readonly [number, number, number, number];
  targetStds: readonly [number, number, number, number];
}

/**
 * Anchors `[H*W*A*4]` as `x1, y1, x2, y2` in search-crop pixels with (0, 0) at the crop centre, order (H, W, A).
 * Base anchors (centre 0, `scale_major`): `w = int(stride / sqrt(r)) * scale`, `h = int(stride * sqrt(r)) * scale`
 * (ratios outer, scales inner); cell (i, j) shifts them by `(j * stride, i * stride)`, then everything moves by
 * `-(W // 2) * stride`, `-(H // 2) * stride` so the map's centre cell sits on the crop centre.
 */
export function siameseRpnAnchors(height: number, width: number, cfg: SiameseRpnAnchorConfig): Float64Array {
  const f = Math.fround;
  const base: Array<[number, number]> = [];
  for (const r of cfg.ratios) {
    // torch float32: h_ratios = sqrt(r), w_ratios = 1 / h_ratios, `.long()` truncates.
    const hr = f(Math.sqrt(f(r)));
    const wr = f(1 / hr);
    for (const s of cfg.scales) base.push([Math.trunc(f(cfg.stride * wr)) * s, Math.trunc(f(cfg.stride * hr)) * s]);
  }
  const a = base.length;
  const out = new Float64Array(height * width * a * 4);
  const ox = Math.floor(width / 2) * cfg.stride;
  const oy = Math.floor(height / 2) * cfg.stride;
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      for (let k = 0; k < a; k++) {
        const [w, h] = base[k]!;
        const o = ((i * width + j) * a + k) * 4;
        out[o] = -0.5 * w + j * cfg.stride - ox;
        out[o + 1] = -0.5 * h + i * cfg.stride - oy;
        out[o + 2] = 0.5 * w + j * cfg.stride - ox;
        out[o + 3] = 0.5 * h + i * cfg.stride - oy;
      }
    }
  }
  return out;
}

/** mmdet's `wh_ratio_clip` default: log-size deltas are clamped to ±|log(16/1000)|. */
const MAX_RATIO = Math.abs(Math.log(16 / 1000));

/**
 * `delta2bbox` without `max_shape`: deltas `(dx, dy, dw, dh)` de-normalised by stds/means, `dw, dh` clamped,
 * `g = p + p_wh * d_xy`, `g_wh = p_wh * exp(d_wh)`. Writes `cx, cy, w, h` (what `bbox_xyxy_to_cxcywh` of the
 * decoded corners gives).
 */
export function deltaXywhDecode(anchor: ArrayLike<number>, anchorOffset: number, delta: readonly [number, number, number, number], coder: DeltaXywhCoderConfig, out: Float64Array, outOffset: number): void {
  const [m0, m1, m2, m3] = coder.targetMeans;
  const [s0, s1, s2, s3] = coder.targetStds;
  const dx = delta[0] * s0 + m0;
  const dy = delta[1] * s1 + m1;
  const dw = Math.max(-MAX_RATIO, Math.min(delta[2] * s2 + m2, MAX_RATIO));
  const dh = Math.max(-MAX_RATIO, Math.min(delta[3] * s3 + m3, MAX_RATIO));
  const x1 = anchor[anchorOffset]!;
  const y1 = anchor[anchorOffset + 1]!;
  const x2 = anchor[anchorOffset + 2]!;
  const y2 = anchor[anchorOffset + 3]!;
  const pw = x2 - x1;
  const ph = y2 - y1;
  const gw = pw * Math.exp(dw);
  const gh = ph * Math.exp(dh);
  const gx = (x1 + x2) * 0.5 + pw * dx;
  const gy = (y1 + y2) * 0.5 + ph * dy;
  // Through corners and back, as the reference does.
  const bx1 = gx - gw * 0.5;
  const by1 = gy - gh * 0.5;
  const bx2 = gx + gw * 0.5;
  const by2 = gy + gh * 0.5;
  out[outOffset] = (bx1 + bx2) * 0.5;
  out[outOffset + 1] = (by1 + by2) * 0.5;
  out[outOffset + 2] = bx2 - bx1;
  out[outOffset + 3] = by2 - by1;
}

/**
 * Decodes one search crop's head outputs.
 * @param cls `[1, 2A, H, W]` logits, viewed `(2, A, H, W)`: channel `c * A + a` is class c of anchor a.
 * @param reg `[1, 4A, H, W]`, viewed `(4, A, H, W)`.
 * @param anchors from {@link siameseRpnAnchors} for the same H, W, A.
 * @returns candidates in (H, W, A) order.
 */
export function decodeSiameseRpn(cls: ArrayLike<number>, reg: ArrayLike<number>, height: number, width: number, anchors: Float64Array, coder: DeltaXywhCoderConfig): SiameseCandidates {
  const hw = height * width;
  const n = anchors.length / 4;
  const a = n / hw;
  if (!Number.isInteger(a) || cls.length !== 2 * n || reg.length !== 4 * n) {
    throw new Error(`SiamRPN head: cls has ${cls.length} values and reg ${reg.length} for ${height}x${width} cells and ${anchors.length / 4} anchors (expected ${2 * n} and ${4 * n})`);
  }
  const scores = new Float64Array(n);
  const boxes = new Float64Array(n * 4);
  const delta: [number, number, number, number] = [0, 0, 0, 0];
  for (let cell = 0; cell < hw; cell++) {
    for (let k = 0; k < a; k++) {
      const i = cell * a + k;
      scores[i] = foregroundProbability(cls[k * hw + cell]!, cls[(a + k) * hw + cell]!);
      for (let c = 0; c < 4; c++) delta[c] = reg[(c * a + k) * hw + cell]!;
      deltaXywhDecode(anchors, i * 4, delta, coder, boxes, i * 4);
    }
  }
  return { scores, boxes };
}
