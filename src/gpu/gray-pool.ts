/**
 * The gray levels of the pyramidal Lucas–Kanade flow on the GPU: the mean over channels and `factor` x `factor` blocks
 * of a `[channels, H, W]` image, times a scale (level 0 from the pre-processed frame; each next level as the 2x2 mean
 * of the last). CPU twin: `grayPool` / `grayPyramid` in `src/core/ops/lucas-kanade.ts`. One thread per output pixel.
 */
import { MIN_LEVEL_SIZE } from '../core/ops/lucas-kanade.ts';
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';

export const GRAY_POOL_WORKGROUP_SIZE = 64;

/** A single-channel float32 image on the GPU, row-major. */
export interface GpuGrayImage {
  buffer: GPUBuffer;
  height: number;
  width: number;
}

const program = kernelProgram('gray-pool', GRAY_POOL_WORKGROUP_SIZE, 'image: f32, output: f32 rw', 'channels: u32, height: u32, width: u32, outH: u32, outW: u32, factor: u32, scale: f32', {
  main: /* wgsl */ `
  if (globalIndex >= uniforms.outH * uniforms.outW) { return; }
  let x = globalIndex % uniforms.outW;
  let y = globalIndex / uniforms.outW;
  var sum = 0.0;
  for (var c = 0u; c < uniforms.channels; c++) {
    for (var dy = 0u; dy < uniforms.factor; dy++) {
      let row = (c * uniforms.height + y * uniforms.factor + dy) * uniforms.width + x * uniforms.factor;
      for (var dx = 0u; dx < uniforms.factor; dx++) { sum += image[row + dx]; }
    }
  }
  output[globalIndex] = sum * uniforms.scale;`,
});

/** `grayPool` on the GPU: `image` holds `[channels, height, width]` float32; the result is owned by the caller. */
export async function grayPoolGpu(ctx: KernelContext, image: GPUBuffer, channels: number, height: number, width: number, factor: number, scale: number): Promise<GpuGrayImage> {
  const h = Math.floor(height / factor);
  const w = Math.floor(width / factor);
  if (h < 1 || w < 1) throw new Error(`grayPool: a ${height}x${width} image pooled by ${factor} is empty`);
  if (image.size < channels * height * width * 4) throw new Error(`grayPool: buffer "${image.label}" has ${image.size} bytes for ${channels}x${height}x${width}`);
  const kernel = await ctx.compile(program);
  return ctx.submit('gray-pool', (encoder) => {
    const buffer = createKernelBuffer(ctx.device, h * w * 4, 'gray level');
    ctx.dispatch(encoder, kernel, {
      resources: [image, buffer],
      uniforms: { channels, height, width, outH: h, outW: w, factor, scale: Math.fround(scale / (channels * factor * factor)) },
      dispatch: Math.ceil((h * w) / GRAY_POOL_WORKGROUP_SIZE),
    });
    return { buffer, height: h, width: w };
  });
}

/** `grayPyramid` on the GPU: level 0 from the `[channels, H, W]` image (0-255), then 2x2 means; buffers owned by the caller. */
export async function grayPyramidGpu(ctx: KernelContext, image: GPUBuffer, channels: number, height: number, width: number, factor: number, levels: number): Promise<GpuGrayImage[]> {
  const pyramid = [await grayPoolGpu(ctx, image, channels, height, width, factor, 1 / 255)];
  for (;;) {
    const last = pyramid.at(-1)!;
    if (pyramid.length >= levels || Math.floor(last.height / 2) < MIN_LEVEL_SIZE || Math.floor(last.width / 2) < MIN_LEVEL_SIZE) return pyramid;
    pyramid.push(await grayPoolGpu(ctx, last.buffer, 1, last.height, last.width, 2, 1));
  }
}
