/**
 * Temporal RoI Align's temporal attention on the GPU: per RoI, channel block and sample point, each frame's weight
 * from its embedding's dot product with the current frame's (over the block's channels, / sqrt(channels per block)),
 * a softmax over the frames and the weighted sum of the frames' RoI features; `blocks <= 0`: the mean of the frames.
 * Semantics: CPU twin `src/core/ops/temporal-attention.ts`. One thread per (RoI, block, point); the frames' weights
 * (at most {@link MAX_TEMPORAL_FRAMES}) fit in registers.
 */
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';
import type { TemporalRoiShape } from '../core/ops/temporal-attention.ts';

export const TEMPORAL_ATTENTION_WORKGROUP_SIZE = 64;
/** 1 + the references (SELSA's sampler takes at most 64 here). */
export const MAX_TEMPORAL_FRAMES = 65;

const program = kernelProgram('temporal-attention', TEMPORAL_ATTENTION_WORKGROUP_SIZE, 'x: f32, embeds: f32, output: f32 rw', 'frames: u32, rois: u32, channels: u32, points: u32, blocks: u32, attend: u32', {
  declarations: `const MAX_FRAMES: u32 = ${MAX_TEMPORAL_FRAMES}u;`,
  main: /* wgsl */ `
  let P = uniforms.points;
  let C = uniforms.channels;
  if (globalIndex >= uniforms.rois * uniforms.blocks * P) { return; }
  let p = globalIndex % P;
  let b = (globalIndex / P) % uniforms.blocks;
  let roi = globalIndex / (P * uniforms.blocks);
  let group = C / uniforms.blocks;
  let frameSize = uniforms.rois * C * P;
  let base = roi * C * P + p;
  var weights: array<f32, MAX_FRAMES>;
  if (uniforms.attend == 1u) {
    let scale = sqrt(f32(group));
    var top = -3.4e38;
    for (var t = 0u; t < uniforms.frames; t++) {
      var dot = 0.0;
      for (var c = b * group; c < (b + 1u) * group; c++) {
        dot += embeds[t * frameSize + base + c * P] * embeds[base + c * P];
      }
      weights[t] = dot / scale;
      top = max(top, weights[t]);
    }
    var sum = 0.0;
    for (var t = 0u; t < uniforms.frames; t++) {
      weights[t] = exp(weights[t] - top);
      sum += weights[t];
    }
    for (var t = 0u; t < uniforms.frames; t++) { weights[t] = weights[t] / sum; }
  } else {
    for (var t = 0u; t < uniforms.frames; t++) { weights[t] = 1.0 / f32(uniforms.frames); }
  }
  for (var c = b * group; c < (b + 1u) * group; c++) {
    var acc = 0.0;
    for (var t = 0u; t < uniforms.frames; t++) { acc += x[t * frameSize + base + c * P] * weights[t]; }
    output[base + c * P] = acc;
  }`,
});

/**
 * @param x `[frames, rois, C, h, w]`: the frame's RoI features, then each reference's most similar ones
 * @param embeds the embed network's output for `x`, or null when `blocks <= 0`
 * @returns `[rois, C, h, w]`, owned by the caller
 */
export async function temporalAttentionGpu(ctx: KernelContext, x: GPUBuffer, embeds: GPUBuffer | null, shape: TemporalRoiShape, blocks: number): Promise<GPUBuffer> {
  const { frames, rois, channels, points } = shape;
  if (frames > MAX_TEMPORAL_FRAMES) throw new Error(`temporal attention: ${frames} frames; the kernel attends over at most ${MAX_TEMPORAL_FRAMES}`);
  if (blocks > 0 && !embeds) throw new Error('temporal attention: attention blocks need the embeddings');
  if (blocks > 0 && channels % blocks !== 0) throw new Error(`temporal attention: ${channels} channels do not split into ${blocks} blocks`);
  const groups = blocks > 0 ? blocks : 1;
  const kernel = await ctx.compile(program);
  return ctx.submit('temporal-attention', (encoder) => {
    const output = createKernelBuffer(ctx.device, Math.max(rois * channels * points * 4, 4), 'temporal attention output');
    ctx.dispatch(encoder, kernel, {
      resources: [x, embeds ?? x, output],
      uniforms: { frames, rois, channels, points, blocks: groups, attend: blocks > 0 ? 1 : 0 },
      dispatch: Math.ceil((rois * groups * points) / TEMPORAL_ATTENTION_WORKGROUP_SIZE),
    });
    return output;
  });
}
