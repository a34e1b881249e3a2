/**
 * GPU SOT crop (MMTracking SiamRPN `get_cropped_img`) from a frame texture, and the first frame's mean
 * colour (`avg_channel`) used as padding. Semantics, window quirks and sampling: CPU twin
 * `src/core/ops/sot-crop.ts`.
 */
import { siamCropWindow, type SotCropOptions } from '../core/ops/sot-crop.ts';
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';
import { FRAME_TEXTURE_FORMAT } from './preprocess.ts';

export const SOT_CROP_WORKGROUP_SIZE = 64;
/** Channel-mean reduction: threads per workgroup and pixels summed per thread. */
export const CHANNEL_MEAN_WORKGROUP_SIZE = 256;
const CHANNEL_MEAN_PIXELS_PER_THREAD = 64;

const cropProgram = kernelProgram('sot-crop', SOT_CROP_WORKGROUP_SIZE, 'frame: texture, avgChannel: f32, output: f32 rw', 'x0: i32, y0: i32, cropWidth: u32, cropHeight: u32, targetSize: u32, bgr: u32', {
  declarations: /* wgsl */ `
struct Tap { i0: i32, i1: i32, lambda: f32 }
// PyTorch bilinear, align_corners=False (area_pixel_compute_source_index, clamped at 0).
fn torchLinearTap(dst: u32, inSize: u32, outSize: u32) -> Tap {
  let scale = f32(inSize) / f32(outSize);
  let src = max((f32(dst) + 0.5) * scale - 0.5, 0.0);
  let i0 = i32(floor(src));
  let i1 = select(i0, i0 + 1, i0 < i32(inSize) - 1);
  return Tap(i0, i1, src - f32(i0));
}
fn pixel(x: i32, y: i32) -> vec3f {
  let fx = uniforms.x0 + x;
  let fy = uniforms.y0 + y;
  let size = vec2i(textureDimensions(frame));
  if (fx >= 0 && fx < size.x && fy >= 0 && fy < size.y) {
    return round(textureLoad(frame, vec2i(fx, fy), 0).rgb * 255.0);
  }
  return vec3f(avgChannel[0], avgChannel[1], avgChannel[2]);
}`,
  main: /* wgsl */ `
  let t = uniforms.targetSize;
  if (globalIndex >= t * t) { return; }
  let ox = globalIndex % t;
  let oy = globalIndex / t;
  let tx = torchLinearTap(ox, uniforms.cropWidth, t);
  let ty = torchLinearTap(oy, uniforms.cropHeight, t);
  let l0 = 1.0 - tx.lambda;
  let top = l0 * pixel(tx.i0, ty.i0) + tx.lambda * pixel(tx.i1, ty.i0);
  let bottom = l0 * pixel(tx.i0, ty.i1) + tx.lambda * pixel(tx.i1, ty.i1);
  var v = (1.0 - ty.lambda) * top + ty.lambda * bottom;
  if (uniforms.bgr == 1u) { v = v.bgr; }
  output[globalIndex] = v.x;
  output[t * t + globalIndex] = v.y;
  output[2u * t * t + globalIndex] = v.z;`,
});

const meanSumProgram = kernelProgram('channel-mean-sum', CHANNEL_MEAN_WORKGROUP_SIZE, 'frame: texture, sums: atomic<u32> rw', '', {
  declarations: /* wgsl */ `
const PIXELS_PER_THREAD: u32 = ${CHANNEL_MEAN_PIXELS_PER_THREAD}u;
var<workgroup> partial: array<vec3u, WORKGROUP_SIZE>;`,
  // Exact integer sums (u32 holds 255 * 16.8 M pixels): the mean does not depend on summation order.
  main: /* wgsl */ `
  let size = textureDimensions(frame);
  let n = size.x * size.y;
  var s = vec3u(0u);
  let first = workgroupIndex * WORKGROUP_SIZE * PIXELS_PER_THREAD + localIndex;
  for (var k = 0u; k < PIXELS_PER_THREAD; k++) {
    let i = first + k * WORKGROUP_SIZE;
    if (i < n) {
      s += vec3u(round(textureLoad(frame, vec2u(i % size.x, i / size.x), 0).rgb * 255.0));
    }
  }
  partial[localIndex] = s;
  workgroupBarrier();
  for (var stride = WORKGROUP_SIZE / 2u; stride > 0u; stride /= 2u) {
    if (localIndex < stride) { partial[localIndex] += partial[localIndex + stride]; }
    workgroupBarrier();
  }
  if (localIndex == 0u) {
    atomicAdd(&sums[0], partial[0].x);
    atomicAdd(&sums[1], partial[0].y);
    atomicAdd(&sums[2], partial[0].z);
  }`,
});

const meanDivideProgram = kernelProgram('channel-mean-divide', 1, 'sums: u32, mean: f32 rw', 'count: f32', {
  main: /* wgsl */ `
  for (var c = 0u; c < 3u; c++) { mean[c] = f32(sums[c]) / uniforms.count; }`,
});

/** Mean colour of a frame texture: float32 `[3]`, RGB order, 0-255 (MMTracking's `avg_channel`). */
export async function channelMeanGpu(ctx: KernelContext, frame: GPUTexture): Promise<GPUBuffer> {
  const n = frame.width * frame.height;
  if (n > 16_843_009) throw new Error(`channel mean: ${frame.width}x${frame.height} frame overflows the uint32 sums`);
  const [sum, divide] = await Promise.all([ctx.compile(meanSumProgram), ctx.compile(meanDivideProgram)]);
  return ctx.submit('channel-mean', (encoder) => {
    const sums = ctx.scratch(12, 'channel sums');
    const mean = createKernelBuffer(ctx.device, 12, 'channel mean');
    ctx.dispatch(encoder, sum, { resources: [frame.createView(), sums], dispatch: Math.ceil(n / (CHANNEL_MEAN_WORKGROUP_SIZE * CHANNEL_MEAN_PIXELS_PER_THREAD)) });
    ctx.dispatch(encoder, divide, { resources: [sums, mean], uniforms: { count: n }, dispatch: 1 });
    return mean;
  });
}

export interface SotCropGpuOptions extends Omit<SotCropOptions, 'avgChannel'> {
  /** Padding colour: float32 `[3]` buffer from `channelMeanGpu`, or RGB values. */
  avgChannel: GPUBuffer | readonly [number, number, number];
}

/** Crops a frame texture: float32 NCHW `[1, 3, targetSize, targetSize]` buffer, owned by the caller. */
export async function getCroppedImgGpu(ctx: KernelContext, frame: GPUTexture, options: SotCropGpuOptions): Promise<GPUBuffer> {
  if (frame.format !== FRAME_TEXTURE_FORMAT) throw new Error(`SOT crop: frame texture is ${frame.format}, expected ${FRAME_TEXTURE_FORMAT}`);
  const win = siamCropWindow(options.cx, options.cy, options.cropSize, frame.width, frame.height);
  const t = options.targetSize;
  const kernel = await ctx.compile(cropProgram);
  return ctx.submit('sot-crop', (encoder) => {
    const avg = 'size' in options.avgChannel ? options.avgChannel : ctx.scratchUpload(Float32Array.from(options.avgChannel), 'avg channel');
    const output = createKernelBuffer(ctx.device, 3 * t * t * 4, 'sot crop');
    ctx.dispatch(encoder, kernel, {
      resources: [frame.createView(), avg, output],
      uniforms: { x0: win.x0, y0: win.y0, cropWidth: win.width, cropHeight: win.height, targetSize: t, bgr: options.channelOrder === 'bgr' ? 1 : 0 },
      dispatch: Math.ceil((t * t) / SOT_CROP_WORKGROUP_SIZE),
    });
    return output;
  });
}
