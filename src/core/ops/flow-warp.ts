/**
 * MMTracking's `flow_warp_feats` (DFF and FGFA warp a reference frame's features to the current frame with the
 * optical flow between them), CPU twin of `src/gpu/flow-warp.ts`.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/core/motion/flow.py
 *
 * 1. s = W_x / W_flow (widths only). The flow is resized by `F.interpolate(scale_factor=s, bilinear,
 *    align_corners=False)` — output floor(H_f * s) x floor(W_f * s), which must be the features' size, source index
 *    float(1 / s) * (i + 0.5) - 0.5 clamped at 0 — and multiplied by s.
 * 2. grid = ((w + u) / W * 2 - 1, (h + v) / H * 2 - 1).
 * 3. `F.grid_sample(x, grid, bilinear, padding_mode='border', align_corners=True)`: the sampling point
 *    ((g + 1) / 2) * (W - 1) = (w + u)(W - 1)/W, clamped to [0, W - 1] (same for y). Note the (W - 1)/W: a zero flow
 *    does not sample the features where they are (MMTracking's behaviour, kept).
 * float32 throughout, in the order PyTorch's CPU kernels use (the final weighted sum in float64, rounded once).
 */
import type { FeatureMap } from './roi-align.ts';

const f = Math.fround;

/** Checks the shapes as PyTorch would fail on them, and returns the resized flow's scale s. */
export function flowWarpScale(x: FeatureMap['shape'], flow: FeatureMap['shape']): number {
  const [n, , h, w] = x;
  const [nf, cf, hf, wf] = flow;
  if (cf !== 2) throw new Error(`flow_warp_feats: the flow must have 2 channels (u, v), got ${cf}`);
  if (nf !== n) throw new Error(`flow_warp_feats: ${nf} flows for ${n} feature maps`);
  const s = w / wf;
  // PyTorch: output size = int(input size * scale) in double.
  const hOut = Math.floor(hf * s);
  const wOut = Math.floor(wf * s);
  if (hOut !== h || wOut !== w) {
    throw new Error(`flow_warp_feats: a ${hf}x${wf} flow resized by ${s} is ${hOut}x${wOut}, not the features' ${h}x${w} (MMTracking scales by the width ratio only)`);
  }
  return s;
}

/** One axis of PyTorch's bilinear resize (align_corners=False, given scale): the two taps and weights per output. */
function resizeTaps(inSize: number, outSize: number, scale: number): { i0: Int32Array; i1: Int32Array; l0: Float32Array; l1: Float32Array } {
  // PyTorch passes the scale factor itself to the kernel, as float(1.0 / scale) (not in / out).
  const ratio = f(1 / scale);
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const l0 = new Float32Array(outSize);
  const l1 = new Float32Array(outSize);
  for (let d = 0; d < outSize; d++) {
    let src = f(f(ratio * f(d + 0.5)) - 0.5);
    if (src < 0) src = 0;
    const lo = Math.floor(src);
    const lambda = Math.min(Math.max(f(src - lo), 0), 1);
    i0[d] = lo;
    i1[d] = lo + (lo < inSize - 1 ? 1 : 0);
    l1[d] = lambda;
    l0[d] = f(1 - lambda);
  }
  return { i0, i1, l0, l1 };
}

/**
 * `F.interpolate(map, scale_factor=scale, mode='bilinear', align_corners=False)`: float32 `[N, C, floor(H*scale),
 * floor(W*scale)]`, each value times `multiply` (as a following `* multiply` in float32; 1: none).
 */
export function resizeBilinear(map: FeatureMap, scale: number, multiply = 1): FeatureMap {
  const [n, c, hIn, wIn] = map.shape;
  const h = Math.floor(hIn * scale);
  const w = Math.floor(wIn * scale);
  const rows = resizeTaps(hIn, h, scale);
  const cols = resizeTaps(wIn, w, scale);
  const m = f(multiply);
  const out = new Float32Array(n * c * h * w);
  for (let plane = 0; plane < n * c; plane++) {
    const src = plane * hIn * wIn;
    const dst = plane * h * w;
    for (let y = 0; y < h; y++) {
      const r0 = src + rows.i0[y]! * wIn;
      const r1 = src + rows.i1[y]! * wIn;
      const h0 = rows.l0[y]!;
      const h1 = rows.l1[y]!;
      for (let x = 0; x < w; x++) {
        const c0 = cols.i0[x]!;
        const c1 = cols.i1[x]!;
        const w0 = cols.l0[x]!;
        const w1 = cols.l1[x]!;
        const top = f(f(w0 * map.data[r0 + c0]!) + f(w1 * map.data[r0 + c1]!));
        const bottom = f(f(w0 * map.data[r1 + c0]!) + f(w1 * map.data[r1 + c1]!));
        const v = f(f(h0 * top) + f(h1 * bottom));
        out[dst + y * w + x] = multiply === 1 ? v : f(v * m);
      }
    }
  }
  return { data: out, shape: [n, c, h, w] };
}

/** The flow at the features' resolution, multiplied by s (step 1), float32 `[N, 2, H, W]`. */
export function resizeFlow(flow: FeatureMap, scale: number, h: number, w: number): Float32Array {
  const out = resizeBilinear(flow, scale, scale);
  if (out.shape[2] !== h || out.shape[3] !== w) throw new Error(`flow_warp_feats: resized flow is ${out.shape[2]}x${out.shape[3]}, not ${h}x${w}`);
  return out.data;
}

/**
 * Where grid_sample reads for output pixel `i` of `size` with displacement `d` (steps 2-3, border-clamped). `exact`:
 * the point is i + d itself (no (W − 1)/W), border-clamped the same way.
 */
export function warpSource(i: number, d: number, size: number, exact = false): number {
  if (exact) return Math.min(Math.max(f(i + d), 0), size - 1);
  const g = f(f(f(f(i + d) / size) * 2) - 1);
  const p = f(f(g + 1) * f((size - 1) / 2));
  return Math.min(Math.max(p, 0), size - 1);
}

export interface FlowWarpOptions {
  /**
   * Sample at exactly (w + u, h + v) instead of MMTracking's (w + u)(W − 1)/W (ours, for the default VID method on
   * CenterNet; MMTracking's methods keep MMTracking's grid).
   */
  exactGrid?: boolean;
}

/** `flow_warp_feats(x, flow)`: float32 `[N, C, H, W]`, the features warped by the flow. */
export function flowWarpFeats(x: FeatureMap, flow: FeatureMap, options: FlowWarpOptions = {}): Float32Array {
  const [n, c, h, w] = x.shape;
  if (x.data.length !== n * c * h * w) throw new Error(`flow_warp_feats: ${x.data.length} values for shape ${x.shape.join('x')}`);
  if (flow.data.length !== flow.shape.reduce((a, b) => a * b, 1)) throw new Error(`flow_warp_feats: ${flow.data.length} flow values for shape ${flow.shape.join('x')}`);
  const scale = flowWarpScale(x.shape, flow.shape);
  const resized = resizeFlow(flow, scale, h, w);
  const out = new Float32Array(n * c * h * w);
  const hw = h * w;
  const exact = options.exactGrid === true;
  // The four taps and weights of each output pixel, then the channels plane by plane (contiguous reads).
  const taps = new Int32Array(4 * hw);
  const wts = new Float32Array(4 * hw);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      for (let xi = 0; xi < w; xi++) {
        const p = y * w + xi;
        const sx = warpSource(xi, resized[(b * 2) * hw + p]!, w, exact);
        const sy = warpSource(y, resized[(b * 2 + 1) * hw + p]!, h, exact);
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        // Border padding keeps the point inside; a tap past the last row/column has weight 0 (PyTorch masks it).
        const x1 = Math.min(x0 + 1, w - 1);
        const y1 = Math.min(y0 + 1, h - 1);
        const we = f(sx - x0);
        const ww = f(1 - we);
        const ns = f(sy - y0);
        const nn = f(1 - ns);
        taps[4 * p] = y0 * w + x0;
        taps[4 * p + 1] = y0 * w + x1;
        taps[4 * p + 2] = y1 * w + x0;
        taps[4 * p + 3] = y1 * w + x1;
        wts[4 * p] = f(nn * ww);
        wts[4 * p + 1] = x0 + 1 < w ? f(nn * we) : 0;
        wts[4 * p + 2] = y0 + 1 < h ? f(ns * ww) : 0;
        wts[4 * p + 3] = x0 + 1 < w && y0 + 1 < h ? f(ns * we) : 0;
      }
    }
    const plane = (ch: number, of: Float32Array) => of.subarray((b * c + ch) * hw, (b * c + ch + 1) * hw);
    let ch = 0;
    // Four planes per pass: each pixel's taps and weights are read once for four channels (about 4x faster in V8
    // than a pass per plane). Per-plane views: plain indices in the inner loop.
    for (; ch + 4 <= c; ch += 4) {
      const [s0, s1, s2, s3] = [plane(ch, x.data), plane(ch + 1, x.data), plane(ch + 2, x.data), plane(ch + 3, x.data)];
      const [d0, d1, d2, d3] = [plane(ch, out), plane(ch + 1, out), plane(ch + 2, out), plane(ch + 3, out)];
      for (let p = 0, q = 0; p < hw; p++, q += 4) {
        const t0 = taps[q]!;
        const t1 = taps[q + 1]!;
        const t2 = taps[q + 2]!;
        const t3 = taps[q + 3]!;
        const w0 = wts[q]!;
        const w1 = wts[q + 1]!;
        const w2 = wts[q + 2]!;
        const w3 = wts[q + 3]!;
        // In float64, rounded once on the store: within 1 ulp of PyTorch's float32 sequence, without its 7 roundings.
        d0[p] = w0 * s0[t0]! + w1 * s0[t1]! + w2 * s0[t2]! + w3 * s0[t3]!;
        d1[p] = w0 * s1[t0]! + w1 * s1[t1]! + w2 * s1[t2]! + w3 * s1[t3]!;
        d2[p] = w0 * s2[t0]! + w1 * s2[t1]! + w2 * s2[t2]! + w3 * s2[t3]!;
        d3[p] = w0 * s3[t0]! + w1 * s3[t1]! + w2 * s3[t2]! + w3 * s3[t3]!;
      }
    }
    for (; ch < c; ch++) {
      const src = plane(ch, x.data);
      const dst = plane(ch, out);
      for (let p = 0, q = 0; p < hw; p++, q += 4) {
        dst[p] = wts[q]! * src[taps[q]!]! + wts[q + 1]! * src[taps[q + 1]!]! + wts[q + 2]! * src[taps[q + 2]!]! + wts[q + 3]! * src[taps[q + 3]!]!;
      }
    }
  }
  return out;
}
