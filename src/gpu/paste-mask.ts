/**
 * Mask paste on the GPU with MMDetection 2.x's semantics (sigmoid of the label's channel, `_do_paste_mask`'s region
 * and `grid_sample` with `align_corners=False` and zero padding, then `>= mask_thr_binary`), written bit-packed so a
 * frame of masks is read back as bits, not floats. Semantics and float32 order: CPU twin `src/core/ops/paste-mask.ts`.
 * One thread per output word (32 pixels of one row of one mask) inside a box's region (the box grown by a pixel,
 * clipped to the frame), found from prefix sums over the masks' region sizes (computed on the CPU, where the boxes
 * are): the rest of the output stays 0 as WebGPU creates it, so a frame costs its boxes' area, not N frames.
 * WGSL's division is not correctly rounded, so a pixel whose value is within ~1e-6 of the threshold may differ from
 * the twin.
 */
import { type PasteMaskInput, pasteRegion } from '../core/ops/paste-mask.ts';
import type { BitMasks } from '../core/structures/bit-masks.ts';
import { createKernelBuffer, readBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';

export const PASTE_MASK_WORKGROUP_SIZE = 64;

const program = kernelProgram('paste-mask', PASTE_MASK_WORKGROUP_SIZE, 'maskPred: f32, labels: i32, boxes: f32, regions: i32, offsets: u32, output: u32 rw', 'count: u32, channels: u32, size: u32, width: u32, height: u32, wordsPerRow: u32, threshold: f32, total: u32', {
  declarations: /* wgsl */ `
// grid_sample's unnormalised position of frame coordinate p in the box side [lo, hi]; valid = false for 0/0.
struct Source { u: f32, valid: bool }
fn sourceIndex(p: f32, lo: f32, hi: f32) -> Source {
  let num = (p + 0.5) - lo;
  let den = hi - lo;
  var g = 0.0;
  if (den == 0.0) {
    // MMDetection sets an infinite position to 0; 0/0 (NaN) samples nothing.
    if (num == 0.0) { return Source(0.0, false); }
  } else {
    g = (num / den) * 2.0 - 1.0;
  }
  return Source((g + 1.0) * (f32(uniforms.size) * 0.5) - 0.5, true);
}
fn prob(base: u32, yy: i32, xx: i32) -> f32 {
  let s = i32(uniforms.size);
  if (xx < 0 || xx >= s || yy < 0 || yy >= s) { return 0.0; }
  return 1.0 / (1.0 + exp(-maskPred[base + u32(yy * s + xx)]));
}`,
  main: /* wgsl */ `
  if (globalIndex >= uniforms.total) { return; }
  // The mask whose region holds this word: offsets[n] <= globalIndex < offsets[n + 1].
  var lo = 0u;
  var hi = uniforms.count;
  while (hi - lo > 1u) {
    let mid = (lo + hi) / 2u;
    if (offsets[mid] <= globalIndex) { lo = mid; } else { hi = mid; }
  }
  let n = lo;
  let rx0 = regions[n * 6u];
  let ry0 = regions[n * 6u + 1u];
  let rx1 = regions[n * 6u + 2u];
  let firstWord = u32(regions[n * 6u + 4u]);
  let regionWords = u32(regions[n * 6u + 5u]);
  let local = globalIndex - offsets[n];
  let y = u32(ry0) + local / regionWords;
  let word = firstWord + local % regionWords;
  let x0 = boxes[n * 4u];
  let y0 = boxes[n * 4u + 1u];
  let x1 = boxes[n * 4u + 2u];
  let y1 = boxes[n * 4u + 3u];
  var bits = 0u;
  let v = sourceIndex(f32(y), y0, y1);
  if (v.valid) {
    let channel = select(u32(labels[n]), 0u, uniforms.channels == 1u);
    let base = (n * uniforms.channels + channel) * uniforms.size * uniforms.size;
    let yl = floor(v.u);
    let ty = v.u - yl;
    for (var b = 0u; b < 32u; b++) {
      let x = i32(word * 32u + b);
      if (x < rx0 || x >= rx1) { continue; }
      let u = sourceIndex(f32(x), x0, x1);
      if (!u.valid) { continue; }
      let xl = floor(u.u);
      let tx = u.u - xl;
      let iy = i32(yl);
      let ix = i32(xl);
      let value = ((prob(base, iy, ix) * ((1.0 - tx) * (1.0 - ty)) + prob(base, iy, ix + 1) * (tx * (1.0 - ty))) + prob(base, iy + 1, ix) * ((1.0 - tx) * ty)) + prob(base, iy + 1, ix + 1) * (tx * ty);
      if (value >= uniforms.threshold) { bits = bits | (1u << b); }
    }
  }
  output[(n * uniforms.height + y) * uniforms.wordsPerRow + word] = bits;`,
});

export interface PasteMaskGpuInput extends Omit<PasteMaskInput, 'maskPred' | 'labels' | 'boxes'> {
  /** `[N, C, S, S]` mask logits (e.g. the mask head's `gpu-buffer` output). */
  maskPred: GPUBuffer;
  /** `[N]` int32 labels. */
  labels: GPUBuffer;
  /** `[N*4]` float32 boxes in frame pixels. */
  boxes: GPUBuffer;
  /** The same boxes on the CPU (the regions the dispatch covers are computed from them). */
  hostBoxes: Float32Array;
  count: number;
}

/** The masks of `count` detections, bit-packed (`[N, height, ceil(width / 32)]` words), owned by the caller. */
export async function pasteMasksGpu(ctx: KernelContext, input: PasteMaskGpuInput): Promise<GPUBuffer> {
  const { count: n, channels: c, size: s, width, height } = input;
  if (input.maskPred.size < n * c * s * s * 4) throw new Error(`mask paste: mask_pred buffer has ${input.maskPred.size} bytes for [${n}, ${c}, ${s}, ${s}]`);
  if (input.boxes.size < n * 16 || input.labels.size < n * 4) throw new Error(`mask paste: ${input.boxes.size} bytes of boxes and ${input.labels.size} of labels for ${n} detections`);
  const wordsPerRow = Math.ceil(width / 32);
  // Each mask's region in words, and where its words start in the dispatch.
  const regions = new Int32Array(n * 6);
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const r = pasteRegion(input.hostBoxes.subarray(i * 4, i * 4 + 4), width, height);
    const empty = r.x1 <= r.x0 || r.y1 <= r.y0;
    const firstWord = r.x0 >> 5;
    const words = empty ? 0 : Math.ceil(r.x1 / 32) - firstWord;
    regions.set([r.x0, r.y0, r.x1, r.y1, firstWord, Math.max(words, 1)], i * 6);
    offsets[i + 1] = offsets[i]! + (empty ? 0 : words * (r.y1 - r.y0));
  }
  const total = offsets[n]!;
  const kernel = await ctx.compile(program);
  return ctx.submit('paste-mask', (encoder) => {
    const output = createKernelBuffer(ctx.device, Math.max(n * height * wordsPerRow, 1) * 4, 'pasted masks');
    if (total > 0) {
      ctx.dispatch(encoder, kernel, {
        resources: [input.maskPred, input.labels, input.boxes, ctx.scratchUpload(regions, 'paste regions'), ctx.scratchUpload(offsets, 'paste offsets'), output],
        uniforms: { count: n, channels: c, size: s, width, height, wordsPerRow, threshold: input.threshold, total },
        dispatch: Math.ceil(total / PASTE_MASK_WORKGROUP_SIZE),
      });
    }
    return output;
  });
}

/** Reads {@link pasteMasksGpu}'s words back as {@link BitMasks}. */
export async function readBitMasks(ctx: KernelContext, buffer: GPUBuffer, count: number, width: number, height: number): Promise<BitMasks> {
  const wordsPerRow = Math.ceil(width / 32);
  const data = count > 0 ? await readBuffer(ctx.device, buffer, Uint32Array, count * height * wordsPerRow) : new Uint32Array(0);
  return { count, width, height, wordsPerRow, data };
}
