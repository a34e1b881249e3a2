/**
 * Training-free dense optical flow, coarse to fine: pyramidal Lucas–Kanade (Bouguet, "Pyramidal Implementation of the
 * Lucas Kanade Feature Tracker", Intel 2000, http://robots.stanford.edu/cs223b04/algo_tracking.pdf), applied at every
 * pixel with the flow field warping the second image (the dense variant of coarse-to-fine registration). The default
 * VID method (DFF on CenterNet, `configs/vid/default.py`) uses it instead of a trained FlowNet. CPU twin of
 * `src/gpu/gray-pool.ts`, `src/gpu/lk-structure.ts` and `src/gpu/lk-step.ts`.
 *
 * The flow is from image I (the current frame) to image J (the key frame): J(p + d(p)) ≈ I(p), the convention of
 * `flow_warp_feats` (warped(p) = key features at p + d(p)). Units: pixels of the level the flow is at.
 * 1. Gray levels: level 0 is the mean of the image's channels over `factor` x `factor` blocks, /255 (`grayPool`);
 *    level l + 1 is the 2x2 mean of level l (sizes floor(h / 2)), while at least `MIN_LEVEL_SIZE` px.
 * 2. From the coarsest level to level 0, the flow starts from the coarser level's, resized bilinearly
 *    (align_corners=False, size ratio per axis) and multiplied by the size ratio (zero at the coarsest).
 * 3. Per level, G(p) = Σ_{q in the window around p} [Ix², IxIy; IxIy, Iy²](q), I's central-difference gradients
 *    (border replicated), the window clipped to the image (`lkStructure`).
 * 4. `iterations` times: e(q) = I(q) − J(q + d(q)) (bilinear, border replicated), b(p) = Σ_q e(q) [Ix(q), Iy(q)],
 *    d(p) += (G(p) + λ·1)⁻¹ b(p), λ = `regularization` x the window's area (`lkStep`). λ keeps flat regions at the
 *    coarser estimate instead of dividing by a vanishing determinant.
 * float32 values; sums in float64 (the GPU sums in float32: the parity tests allow for it).
 */
import type { FeatureMap } from './roi-align.ts';

const f = Math.fround;

/** The coarsest level is at least this many pixels on each side. */
export const MIN_LEVEL_SIZE = 8;

export interface LucasKanadeOptions {
  /** Pyramid levels at most (1: no pyramid). */
  levels: number;
  /** Odd window side in pixels. */
  windowSize: number;
  /** Updates per level. */
  iterations: number;
  /** λ per window pixel, in (gray units / pixel)². */
  regularization: number;
}

/** A single-channel float32 image, row-major. */
export interface GrayImage {
  data: Float32Array;
  height: number;
  width: number;
}

/**
 * Step 1's level 0 (and, with `channels` 1 and `factor` 2, each next level): the mean over channels and `factor` x
 * `factor` blocks of a `[channels, H, W]` float32 image, times `scale`; floor(H / factor) x floor(W / factor).
 */
export function grayPool(image: Float32Array, channels: number, height: number, width: number, factor: number, scale: number): GrayImage {
  if (image.length < channels * height * width) throw new Error(`grayPool: ${image.length} values for ${channels}x${height}x${width}`);
  const h = Math.floor(height / factor);
  const w = Math.floor(width / factor);
  if (h < 1 || w < 1) throw new Error(`grayPool: a ${height}x${width} image pooled by ${factor} is empty`);
  const out = new Float32Array(h * w);
  const k = f(scale / (channels * factor * factor));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) {
        for (let dy = 0; dy < factor; dy++) {
          const row = (c * height + y * factor + dy) * width + x * factor;
          for (let dx = 0; dx < factor; dx++) sum += image[row + dx]!;
        }
      }
      out[y * w + x] = f(f(sum) * k);
    }
  }
  return { data: out, height: h, width: w };
}

/** Step 1: level 0 from the image, then 2x2 means while the next level keeps `MIN_LEVEL_SIZE` px; at most `levels`. */
export function grayPyramid(image: Float32Array, channels: number, height: number, width: number, factor: number, levels: number): GrayImage[] {
  return pyramidFrom(grayPool(image, channels, height, width, factor, 1 / 255), levels);
}

/** Step 1 from a given level 0 (e.g. `preprocessGrayPool`, scaled by 1 / 255 as {@link grayPyramid}'s). */
export function pyramidFrom(level0: GrayImage, levels: number): GrayImage[] {
  const pyramid = [level0];
  for (;;) {
    const last = pyramid.at(-1)!;
    if (pyramid.length >= levels || Math.floor(last.height / 2) < MIN_LEVEL_SIZE || Math.floor(last.width / 2) < MIN_LEVEL_SIZE) return pyramid;
    pyramid.push(grayPool(last.data, 1, last.height, last.width, 2, 1));
  }
}

/** Central difference along x (axis 1) or y (axis 0) at (y, x), the border replicated. */
function gradient(img: GrayImage, y: number, x: number, axis: 0 | 1): number {
  const { data, height: h, width: w } = img;
  if (axis === 1) return f(f(data[y * w + Math.min(x + 1, w - 1)]! - data[y * w + Math.max(x - 1, 0)]!) * 0.5);
  return f(f(data[Math.min(y + 1, h - 1) * w + x]! - data[Math.max(y - 1, 0) * w + x]!) * 0.5);
}

/**
 * Sums of `value(q)` over the window around each pixel, clipped to the image (separable box sums, each a running sum:
 * two additions per pixel and pass whatever the window; float64, so the order changes nothing that matters).
 */
function windowSums(values: Float64Array, h: number, w: number, r: number): Float64Array {
  const rows = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let s = 0;
    for (let q = 0; q <= Math.min(r, w - 1); q++) s += values[row + q]!;
    for (let x = 0; x < w; x++) {
      rows[row + x] = s;
      if (x + r + 1 < w) s += values[row + x + r + 1]!;
      if (x - r >= 0) s -= values[row + x - r]!;
    }
  }
  const out = new Float64Array(h * w);
  for (let x = 0; x < w; x++) {
    let s = 0;
    for (let q = 0; q <= Math.min(r, h - 1); q++) s += rows[q * w + x]!;
    for (let y = 0; y < h; y++) {
      out[y * w + x] = s;
      if (y + r + 1 < h) s += rows[(y + r + 1) * w + x]!;
      if (y - r >= 0) s -= rows[(y - r) * w + x]!;
    }
  }
  return out;
}

/** Step 3: float32 `[3, h, w]` = window sums of Ix², IxIy, Iy². */
export function lkStructure(img: GrayImage, windowSize: number): Float32Array {
  const { height: h, width: w } = img;
  const n = h * w;
  const xx = new Float64Array(n);
  const xy = new Float64Array(n);
  const yy = new Float64Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const gx = gradient(img, y, x, 1);
      const gy = gradient(img, y, x, 0);
      xx[y * w + x] = f(gx * gx);
      xy[y * w + x] = f(gx * gy);
      yy[y * w + x] = f(gy * gy);
    }
  }
  const r = (windowSize - 1) / 2;
  const out = new Float32Array(3 * n);
  out.set(windowSums(xx, h, w, r), 0);
  out.set(windowSums(xy, h, w, r), n);
  out.set(windowSums(yy, h, w, r), 2 * n);
  return out;
}

/** Bilinear sample of `img` at (y, x), the border replicated. */
export function sampleBorder(img: GrayImage, y: number, x: number): number {
  const { data, height: h, width: w } = img;
  const sx = Math.min(Math.max(x, 0), w - 1);
  const sy = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const ax = f(sx - x0);
  const ay = f(sy - y0);
  const top = f(f(f(1 - ax) * data[y0 * w + x0]!) + f(ax * data[y0 * w + x1]!));
  const bottom = f(f(f(1 - ax) * data[y1 * w + x0]!) + f(ax * data[y1 * w + x1]!));
  return f(f(f(1 - ay) * top) + f(ay * bottom));
}

/** One axis of a bilinear resize by size (align_corners=False, source = ratio·(d + 0.5) − 0.5 clamped at 0). */
function resizeAxisTap(d: number, inSize: number, ratio: number): [number, number, number] {
  const src = Math.max(f(f(ratio * f(d + 0.5)) - 0.5), 0);
  const lo = Math.floor(src);
  return [lo, lo < inSize - 1 ? lo + 1 : lo, Math.min(Math.max(f(src - lo), 0), 1)];
}

/**
 * Step 2: a `[2, ph, pw]` flow resized to h x w (bilinear, align_corners=False, ratio = in / out per axis) and each
 * component multiplied by its axis' size ratio (out / in); the same size: the flow itself.
 */
export function resizeFlowTo(prior: FeatureMap, h: number, w: number): Float32Array {
  const [, , ph, pw] = prior.shape;
  if (ph === h && pw === w) return Float32Array.from(prior.data);
  const ry = f(ph / h);
  const rx = f(pw / w);
  const scale = [f(w / pw), f(h / ph)];
  const out = new Float32Array(2 * h * w);
  for (let c = 0; c < 2; c++) {
    const base = c * ph * pw;
    for (let y = 0; y < h; y++) {
      const [y0, y1, ly] = resizeAxisTap(y, ph, ry);
      for (let x = 0; x < w; x++) {
        const [x0, x1, lx] = resizeAxisTap(x, pw, rx);
        const d = prior.data;
        const top = f(f(f(1 - lx) * d[base + y0 * pw + x0]!) + f(lx * d[base + y0 * pw + x1]!));
        const bottom = f(f(f(1 - lx) * d[base + y1 * pw + x0]!) + f(lx * d[base + y1 * pw + x1]!));
        out[c * h * w + y * w + x] = f(f(f(f(1 - ly) * top) + f(ly * bottom)) * scale[c]!);
      }
    }
  }
  return out;
}

/**
 * Step 4, one update: the prior flow `[2, ph, pw]` (this level's, or the coarser level's: resized as in step 2)
 * → the updated flow `[2, h, w]`. `structure` is `lkStructure(cur)`.
 */
export function lkStep(cur: GrayImage, key: GrayImage, structure: Float32Array, prior: FeatureMap, options: Pick<LucasKanadeOptions, 'windowSize' | 'regularization'>): Float32Array {
  const { height: h, width: w } = cur;
  if (key.height !== h || key.width !== w) throw new Error(`lkStep: the images are ${h}x${w} and ${key.height}x${key.width}`);
  const n = h * w;
  const flow = resizeFlowTo(prior, h, w);
  const ex = new Float64Array(n);
  const ey = new Float64Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const e = f(cur.data[p]! - sampleBorder(key, f(y + flow[n + p]!), f(x + flow[p]!)));
      ex[p] = f(e * gradient(cur, y, x, 1));
      ey[p] = f(e * gradient(cur, y, x, 0));
    }
  }
  const r = (options.windowSize - 1) / 2;
  const bx = windowSums(ex, h, w, r);
  const by = windowSums(ey, h, w, r);
  const lambda = f(options.regularization * options.windowSize * options.windowSize);
  const out = new Float32Array(2 * n);
  for (let p = 0; p < n; p++) {
    const a = f(structure[p]! + lambda);
    const b = structure[n + p]!;
    const d = f(structure[2 * n + p]! + lambda);
    const det = f(f(a * d) - f(b * b));
    const u = f(f(f(d * f(bx[p]!)) - f(b * f(by[p]!))) / det);
    const v = f(f(f(a * f(by[p]!)) - f(b * f(bx[p]!))) / det);
    out[p] = f(flow[p]! + u);
    out[n + p] = f(flow[n + p]! + v);
  }
  return out;
}

/** Steps 2-4: the flow from `cur` to `key` at level 0, float32 `[1, 2, h0, w0]`. */
export function pyramidalLucasKanade(cur: readonly GrayImage[], key: readonly GrayImage[], options: LucasKanadeOptions): FeatureMap {
  if (cur.length !== key.length || cur.length === 0) throw new Error(`pyramidalLucasKanade: pyramids of ${cur.length} and ${key.length} levels`);
  const top = cur.at(-1)!;
  let flow: FeatureMap = { data: new Float32Array(2 * top.height * top.width), shape: [1, 2, top.height, top.width] };
  for (let level = cur.length - 1; level >= 0; level--) {
    const I = cur[level]!;
    const J = key[level]!;
    const structure = lkStructure(I, options.windowSize);
    for (let it = 0; it < options.iterations; it++) {
      flow = { data: lkStep(I, J, structure, flow, options), shape: [1, 2, I.height, I.width] };
    }
  }
  return flow;
}
