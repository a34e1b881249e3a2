/**
 * The box selection shared by Siamese trackers with a score map and a box per cell (SiamRPN++, SiamBAN,
 * NanoTrack): scale/ratio change penalty, cosine (Hanning) window, argmax, size smoothing with a score-dependent
 * learning rate, clipping to the frame. MMTracking's `SiameseRPNHead.get_bbox` + `SiamRPN._bbox_clip`
 * (https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/track_heads/siamese_rpn_head.py,
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/sot/siamrpn.py) and pysot's
 * `SiamRPNTracker.track` (https://github.com/STVIR/pysot/blob/master/pysot/tracker/siamrpn_tracker.py), which
 * NanoTrack's tracker copies, compute the same thing.
 */

/** A box by centre and size: `cx, cy, w, h`. */
export interface CenterBox {
  cx: number;
  cy: number;
  w: number;
  h: number;
}

/**
 * Candidate boxes of one search crop, in the order of the score map's cells (and anchors): `scores[n]` in [0, 1],
 * `boxes[n*4]` = `cx, cy, w, h` in search-crop pixels, with (0, 0) at the crop centre.
 */
export interface SiameseCandidates {
  scores: Float64Array;
  boxes: Float64Array;
}

/** `test_cfg.rpn` of MMTracking's SiamRPN configs (`TRACK.PENALTY_K/WINDOW_INFLUENCE/LR` in pysot configs). */
export interface SiamesePenaltyParams {
  penaltyK: number;
  windowInfluence: number;
  lr: number;
}

export interface SiameseSelection {
  /** Index of the chosen candidate. */
  index: number;
  /** Its raw (un-penalised) score: what the trackers report as `best_score`. */
  score: number;
  /** Its penalty `exp(-(r_c * s_c - 1) * k)`. */
  penalty: number;
  /** The new target box in frame pixels: moved centre, smoothed size, not clipped yet. */
  box: CenterBox;
}

/** numpy's `hanning(m)`: `0.5 - 0.5 cos(2πn / (m - 1))`, `[1]` for m = 1. */
export function hanning(m: number): Float64Array {
  if (m === 1) return Float64Array.of(1);
  return Float64Array.from({ length: Math.max(m, 0) }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (m - 1)));
}

/**
 * `outer(hanning(h), hanning(w)).flatten().repeat(repeat)` — numpy `repeat`, i.e. each cell's value `repeat`
 * times in a row, matching scores in (H, W, A) order (MMTracking's `gen_2d_hanning_windows`). `[h*w*repeat]`.
 */
export function hanningWindow2d(height: number, width: number, repeat = 1): Float64Array {
  const hy = hanning(height);
  const hx = hanning(width);
  const out = new Float64Array(height * width * repeat);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.fill(hy[y]! * hx[x]!, (y * width + x) * repeat, (y * width + x + 1) * repeat);
  return out;
}

/**
 * Steps of `get_bbox` after decoding:
 * 1. scale penalty `s_c = change(sz(w, h) / sz(prev_w * s, prev_h * s))`, `sz(w, h) = sqrt((w + p)(h + p))`,
 *    `p = (w + h) / 2`, `change(r) = max(r, 1/r)`, s = `scaleFactor` (crop pixels per frame pixel);
 * 2. ratio penalty `r_c = change((prev_w / prev_h) / (w / h))`;
 * 3. `penalty = exp(-(r_c * s_c - 1) * penalty_k)`; `pscore = penalty * score * (1 - wi) + window * wi`;
 * 4. best = first argmax of pscore; box = candidate / scale (back to frame pixels);
 * 5. centre = previous centre + box centre; `lr = penalty * score * cfg.lr`; size = prev * (1 - lr) + box * lr.
 * @param window `[n]` cosine window in candidate order.
 */
export function selectSiameseBox(candidates: SiameseCandidates, window: ArrayLike<number>, prev: CenterBox, scaleFactor: number, params: SiamesePenaltyParams): SiameseSelection {
  const { scores, boxes } = candidates;
  const n = scores.length;
  if (boxes.length !== n * 4 || window.length !== n) throw new Error(`Siamese post-processing: ${n} scores, ${boxes.length / 4} boxes and a window of ${window.length}`);
  const change = (r: number) => Math.max(r, 1 / r);
  const sz = (w: number, h: number) => {
    const pad = (w + h) * 0.5;
    return Math.sqrt((w + pad) * (h + pad));
  };
  const prevSize = sz(prev.w * scaleFactor, prev.h * scaleFactor);
  const prevRatio = prev.w / prev.h;
  const wi = params.windowInfluence;
  let best = 0;
  let bestScore = -Infinity;
  let bestPenalty = 0;
  for (let i = 0; i < n; i++) {
    const w = boxes[i * 4 + 2]!;
    const h = boxes[i * 4 + 3]!;
    const penalty = Math.exp(-(change(prevRatio / (w / h)) * change(sz(w, h) / prevSize) - 1) * params.penaltyK);
    const pscore = penalty * scores[i]! * (1 - wi) + window[i]! * wi;
    // `>` keeps the first maximum (torch/numpy argmax); NaN never wins.
    if (pscore > bestScore) {
      bestScore = pscore;
      best = i;
      bestPenalty = penalty;
    }
  }
  const score = scores[best]!;
  const lr = bestPenalty * score * params.lr;
  const bw = boxes[best * 4 + 2]! / scaleFactor;
  const bh = boxes[best * 4 + 3]! / scaleFactor;
  return {
    index: best,
    score,
    penalty: bestPenalty,
    box: {
      cx: prev.cx + boxes[best * 4]! / scaleFactor,
      cy: prev.cy + boxes[best * 4 + 1]! / scaleFactor,
      w: prev.w * (1 - lr) + bw * lr,
      h: prev.h * (1 - lr) + bh * lr,
    },
  };
}

/** `_bbox_clip`: centre into [0, W] x [0, H], size into [10, W] x [10, H] (frame pixels). */
export function clipSiameseBox(box: CenterBox, frameWidth: number, frameHeight: number): CenterBox {
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(v, hi));
  return { cx: clamp(box.cx, 0, frameWidth), cy: clamp(box.cy, 0, frameHeight), w: clamp(box.w, 10, frameWidth), h: clamp(box.h, 10, frameHeight) };
}

/** Two-class scores: softmax over (background, foreground) logits, foreground probability. */
export function foregroundProbability(background: number, foreground: number): number {
  const m = Math.max(background, foreground);
  const eb = Math.exp(background - m);
  const ef = Math.exp(foreground - m);
  return ef / (eb + ef);
}
