/**
 * FGFA's EmbedAggregator after its convs on the GPU: per location, cosine weights of the window's embeddings against
 * the current frame's, softmax over the frames, weighted sum of the frames' maps. Semantics and float32 order: CPU
 * twin `src/core/ops/embed-aggregate.ts`. One thread per location; the window (at most
 * {@link MAX_AGGREGATED_FRAMES} frames, MMTracking's configs use 31) fits in registers.
 */
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';
import type { GpuFeatureMap } from './roi-align.ts';

export const EMBED_AGGREGATE_WORKGROUP_SIZE = 64;
/** The most frames one location aggregates (FGFA's frame_range is limited to 65 frames by its config reader). */
export const MAX_AGGREGATED_FRAMES = 65;

const program = kernelProgram('embed-aggregate', EMBED_AGGREGATE_WORKGROUP_SIZE, 'feats: f32, embeds: f32, output: f32 rw', 'frames: u32, channels: u32, embedChannels: u32, pixels: u32, center: u32', {
  main: /* wgsl */ `
  if (globalIndex >= uniforms.pixels) { return; }
  let p = globalIndex;
  let hw = uniforms.pixels;
  let ce = uniforms.embedChannels;
  var weights: array<f32, ${MAX_AGGREGATED_FRAMES}>;
  var norms: array<f32, ${MAX_AGGREGATED_FRAMES}>;
  for (var j = 0u; j < uniforms.frames; j++) {
    var ss = 0.0;
    for (var k = 0u; k < ce; k++) {
      let v = embeds[(j * ce + k) * hw + p];
      ss += v * v;
    }
    norms[j] = sqrt(ss);
  }
  let nx = norms[uniforms.center];
  var top = -3.4e38;
  for (var j = 0u; j < uniforms.frames; j++) {
    var dot = 0.0;
    for (var k = 0u; k < ce; k++) {
      dot += (embeds[(j * ce + k) * hw + p] / norms[j]) * (embeds[(uniforms.center * ce + k) * hw + p] / nx);
    }
    weights[j] = dot;
    top = max(top, dot);
  }
  var sum = 0.0;
  for (var j = 0u; j < uniforms.frames; j++) {
    weights[j] = exp(weights[j] - top);
    sum += weights[j];
  }
  for (var k = 0u; k < uniforms.channels; k++) {
    var acc = 0.0;
    for (var j = 0u; j < uniforms.frames; j++) {
      acc += feats[(j * uniforms.channels + k) * hw + p] * (weights[j] / sum);
    }
    output[k * hw + p] = acc;
  }`,
});

/** Aggregates the window `feats` `[N, C, H, W]` by `embeds` `[N, C', H, W]`; `[1, C, H, W]`, owned by the caller. */
export async function embedAggregateGpu(ctx: KernelContext, feats: GpuFeatureMap, embeds: GpuFeatureMap, center: number): Promise<GpuFeatureMap> {
  const [n, c, h, w] = feats.shape;
  const [ne, ce, he, we] = embeds.shape;
  if (ne !== n || he !== h || we !== w) throw new Error(`EmbedAggregator: embeddings ${embeds.shape.join('x')} for feature maps ${feats.shape.join('x')}`);
  if (n > MAX_AGGREGATED_FRAMES) throw new Error(`EmbedAggregator: ${n} frames; the kernel aggregates at most ${MAX_AGGREGATED_FRAMES}`);
  if (!Number.isInteger(center) || center < 0 || center >= n) throw new Error(`EmbedAggregator: the current frame is ${center}, not one of the ${n}`);
  const kernel = await ctx.compile(program);
  return ctx.submit('embed-aggregate', (encoder) => {
    const buffer = createKernelBuffer(ctx.device, c * h * w * 4, 'aggregated features');
    ctx.dispatch(encoder, kernel, {
      resources: [feats.buffer, embeds.buffer, buffer],
      uniforms: { frames: n, channels: c, embedChannels: ce, pixels: h * w, center },
      dispatch: Math.ceil((h * w) / EMBED_AGGREGATE_WORKGROUP_SIZE),
    });
    return { buffer, shape: [1, c, h, w] };
  });
}
