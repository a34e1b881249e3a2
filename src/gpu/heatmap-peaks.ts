/**
 * Heat-map peak extraction on the GPU (3x3 max-pool suppression + top-k over H*W*C, NHWC, ties by lower
 * index); semantics in the CPU twin `src/core/ops/heatmap-peaks.ts`.
 *
 * 1. `heatmap-suppress` (1 thread per value): suppressed value → (order-preserving key, flat index).
 * 2. `heatmap-topk-block` rounds: each workgroup sorts a block of `SORT_BLOCK` pairs in shared memory
 *    (`bitonic-sort.ts`) and keeps its first k; every round divides the candidates by SORT_BLOCK / k
 *    (≥ 2) until one block is left (128x128x80 with k = 100: 6 rounds).
 * 3. `heatmap-topk-output`: keys back to float scores, int32 indices.
 */
import type { HeatmapLayout, HeatmapShape } from '../core/ops/heatmap-peaks.ts';
import { BLOCK_SORT_WGSL, FLOAT_KEY_WGSL, SORT_BLOCK, SORT_WORKGROUP_SIZE } from './bitonic-sort.ts';
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';

/** Largest k: a round must at least halve the candidates. */
export const MAX_PEAKS = SORT_BLOCK / 2;
const WORKGROUP_SIZE = 256;

const suppressProgram = kernelProgram('heatmap-suppress', WORKGROUP_SIZE, 'heat: f32, keys: u32 rw, indices: u32 rw', 'height: u32, width: u32, channels: u32, nchw: u32', {
  declarations: `${FLOAT_KEY_WGSL}
// The map is addressed as NHWC [H, W, C] whatever its memory layout, so indices and ties are the same for both.
fn heatAt(y: u32, x: u32, c: u32) -> f32 {
  if (uniforms.nchw == 1u) { return heat[(c * uniforms.height + y) * uniforms.width + x]; }
  return heat[(y * uniforms.width + x) * uniforms.channels + c];
}`,
  main: /* wgsl */ `
  let total = uniforms.height * uniforms.width * uniforms.channels;
  if (globalIndex >= total) { return; }
  let c = globalIndex % uniforms.channels;
  let pixel = globalIndex / uniforms.channels;
  let x = i32(pixel % uniforms.width);
  let y = i32(pixel / uniforms.width);
  let v = heatAt(u32(y), u32(x), c);
  var peak = true;
  for (var dy = max(y - 1, 0); dy <= min(y + 1, i32(uniforms.height) - 1); dy++) {
    for (var dx = max(x - 1, 0); dx <= min(x + 1, i32(uniforms.width) - 1); dx++) {
      if (heatAt(u32(dy), u32(dx), c) > v) { peak = false; }
    }
  }
  keys[globalIndex] = floatKey(select(0.0, v, peak));
  indices[globalIndex] = globalIndex;`,
});

const blockProgram = kernelProgram('heatmap-topk-block', SORT_WORKGROUP_SIZE, 'inKeys: u32, inIndices: u32, outKeys: u32 rw, outIndices: u32 rw', 'count: u32, k: u32', {
  declarations: BLOCK_SORT_WGSL,
  main: /* wgsl */ `
  let base = workgroupIndex * SORT_BLOCK;
  for (var h = 0u; h < 2u; h++) {
    let s = localIndex + h * WORKGROUP_SIZE;
    let valid = base + s < uniforms.count;
    let at = min(base + s, uniforms.count - 1u);
    // Padding sorts last: key 0 is below every float's key.
    sharedKey[s] = select(0u, inKeys[at], valid);
    sharedIndex[s] = select(0xffffffffu, inIndices[at], valid);
  }
  workgroupBarrier();
  // Same direction in every block: base 0.
  blockSort(localIndex, 0u, 0u);
  for (var s = localIndex; s < uniforms.k; s += WORKGROUP_SIZE) {
    outKeys[workgroupIndex * uniforms.k + s] = sharedKey[s];
    outIndices[workgroupIndex * uniforms.k + s] = sharedIndex[s];
  }`,
});

const outputProgram = kernelProgram('heatmap-topk-output', WORKGROUP_SIZE, 'keys: u32, indices: u32, scores: f32 rw, peakIndices: i32 rw', 'k: u32', {
  declarations: FLOAT_KEY_WGSL,
  main: /* wgsl */ `
  if (globalIndex >= uniforms.k) { return; }
  scores[globalIndex] = keyFloat(keys[globalIndex]);
  peakIndices[globalIndex] = i32(indices[globalIndex]);`,
});

export interface HeatmapPeaksGpuResult {
  /** float32 `[k]`, descending. */
  scores: GPUBuffer;
  /** int32 `[k]` flat NHWC indices. */
  indices: GPUBuffer;
}

/**
 * Top-k peaks of a float32 heat map, NHWC `[1, H, W, C]` or NCHW `[1, C, H, W]` (e.g. ORT's `gpu-buffer`
 * output); `shape` is always `[H, W, C]` and returned indices are NHWC-flat. Result buffers are owned by the
 * caller. Values must be finite.
 */
export async function heatmapPeaksGpu(ctx: KernelContext, heat: GPUBuffer, shape: HeatmapShape, k: number, layout: HeatmapLayout = 'nhwc'): Promise<HeatmapPeaksGpuResult> {
  const [height, width, channels] = shape;
  const total = height * width * channels;
  if (heat.size < total * 4) throw new Error(`heat-map peaks: buffer "${heat.label}" has ${heat.size} bytes for shape ${shape.join('x')}`);
  if (!Number.isInteger(k) || k < 1 || k > total || k > MAX_PEAKS) throw new Error(`heat-map peaks: k = ${k} (1..${Math.min(total, MAX_PEAKS)} for ${total} values)`);
  const [suppress, block, output] = await Promise.all([ctx.compile(suppressProgram), ctx.compile(blockProgram), ctx.compile(outputProgram)]);
  return ctx.submit('heatmap-peaks', (encoder) => {
    const scores = createKernelBuffer(ctx.device, k * 4, 'peak scores');
    const indices = createKernelBuffer(ctx.device, k * 4, 'peak indices');
    let keys = ctx.scratch(total * 4, 'peak keys');
    let idx = ctx.scratch(total * 4, 'peak key indices');
    ctx.dispatch(encoder, suppress, { resources: [heat, keys, idx], uniforms: { height, width, channels, nchw: layout === 'nchw' ? 1 : 0 }, dispatch: Math.ceil(total / WORKGROUP_SIZE) });
    // Rounds until a single block holds the top k.
    let count = total;
    for (;;) {
      const blocks = Math.ceil(count / SORT_BLOCK);
      const outKeys = ctx.scratch(blocks * k * 4, 'peak keys');
      const outIdx = ctx.scratch(blocks * k * 4, 'peak key indices');
      ctx.dispatch(encoder, block, { resources: [keys, idx, outKeys, outIdx], uniforms: { count, k }, dispatch: blocks });
      [keys, idx, count] = [outKeys, outIdx, blocks * k];
      if (blocks === 1) break;
    }
    ctx.dispatch(encoder, output, { resources: [keys, idx, scores, indices], uniforms: { k }, dispatch: Math.ceil(k / WORKGROUP_SIZE) });
    return { scores, indices };
  });
}
