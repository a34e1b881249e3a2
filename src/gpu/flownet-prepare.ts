/**
 * FlowNetSimple's `prepare_imgs` on the GPU, fused: the detector's Normalize undone, FlowNet's own normalisation, the
 * Pad area zeroed and the resize by img_scale_factor, in one pass from the two pre-processed frames (the 6-channel
 * image-sized pair is never written). Semantics and float32 order: CPU twin `flownetPrepare`
 * (`src/core/ops/flownet-prepare.ts`). One thread per output value `[c, y, x]` of `[1, 6, H * s, W * s]`.
 */
import type { FlowNetPrepareOptions } from '../core/ops/flownet-prepare.ts';
import { createKernelBuffer } from './device.ts';
import { RESIZE_TAP_WGSL } from './flow-warp.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';
import type { GpuFeatureMap } from './roi-align.ts';

export const FLOWNET_PREPARE_WORKGROUP_SIZE = 64;

const prepareProgram = kernelProgram(
  'flownet-prepare',
  FLOWNET_PREPARE_WORKGROUP_SIZE,
  'current: f32, reference: f32, output: f32 rw',
  'height: u32, width: u32, outH: u32, outW: u32, imgH: u32, imgW: u32, ratio: f32, ' +
    'mean0: f32, mean1: f32, mean2: f32, std0: f32, std1: f32, std2: f32, fmean0: f32, fmean1: f32, fmean2: f32, fstd0: f32, fstd1: f32, fstd2: f32',
  {
    declarations: /* wgsl */ `
${RESIZE_TAP_WGSL}
fn pick(k: u32, a: f32, b: f32, c: f32) -> f32 { return select(select(c, b, k == 1u), a, k == 0u); }
// The prepared image-resolution value of channel c (0-2: current frame, 3-5: reference) at (y, x).
fn prepared(c: u32, y: u32, x: u32) -> f32 {
  if (y >= uniforms.imgH || x >= uniforms.imgW) { return 0.0; }
  let k = c % 3u;
  let i = (k * uniforms.height + y) * uniforms.width + x;
  var v: f32;
  if (c < 3u) { v = current[i]; } else { v = reference[i]; }
  let pixel = v * pick(k, uniforms.std0, uniforms.std1, uniforms.std2) + pick(k, uniforms.mean0, uniforms.mean1, uniforms.mean2);
  return pixel / pick(k, uniforms.fstd0, uniforms.fstd1, uniforms.fstd2) - pick(k, uniforms.fmean0, uniforms.fmean1, uniforms.fmean2);
}`,
    main: /* wgsl */ `
  let plane = uniforms.outH * uniforms.outW;
  if (globalIndex >= 6u * plane) { return; }
  let x = globalIndex % uniforms.outW;
  let y = (globalIndex / uniforms.outW) % uniforms.outH;
  let c = globalIndex / plane;
  let ty = resizeTap(y, uniforms.height, uniforms.ratio);
  let tx = resizeTap(x, uniforms.width, uniforms.ratio);
  let y0 = u32(ty.x);
  let y1 = u32(ty.y);
  let x0 = u32(tx.x);
  let x1 = u32(tx.y);
  let top = (1.0 - tx.z) * prepared(c, y0, x0) + tx.z * prepared(c, y0, x1);
  let bottom = (1.0 - tx.z) * prepared(c, y1, x0) + tx.z * prepared(c, y1, x1);
  output[globalIndex] = (1.0 - ty.z) * top + ty.z * bottom;`,
  },
);

/** `prepare_imgs(cat(current, reference))` from two `[1, 3, H, W]` buffers: `[1, 6, H*s, W*s]`, owned by the caller. */
export async function flownetPrepareGpu(ctx: KernelContext, current: GpuFeatureMap, reference: GpuFeatureMap, o: FlowNetPrepareOptions): Promise<GpuFeatureMap> {
  const [n, c, h, w] = current.shape;
  if (n !== 1 || c !== 3) throw new Error(`FlowNet input: expected [1, 3, H, W] images, got ${current.shape.join('x')}`);
  if (reference.shape.join('x') !== current.shape.join('x')) {
    throw new Error(`FlowNet input: the key frame is ${reference.shape.join('x')} and the current frame ${current.shape.join('x')}; both must have one padded size`);
  }
  const outH = Math.floor(h * o.imgScaleFactor);
  const outW = Math.floor(w * o.imgScaleFactor);
  const kernel = await ctx.compile(prepareProgram);
  return ctx.submit('flownet-prepare', (encoder) => {
    const buffer = createKernelBuffer(ctx.device, 6 * outH * outW * 4, 'flownet input');
    ctx.dispatch(encoder, kernel, {
      resources: [current.buffer, reference.buffer, buffer],
      uniforms: {
        height: h,
        width: w,
        outH,
        outW,
        imgH: Math.min(o.imgShape[0], h),
        imgW: Math.min(o.imgShape[1], w),
        ratio: Math.fround(1 / o.imgScaleFactor),
        mean0: o.mean[0],
        mean1: o.mean[1],
        mean2: o.mean[2],
        std0: o.std[0],
        std1: o.std[1],
        std2: o.std[2],
        fmean0: o.flowMean[0],
        fmean1: o.flowMean[1],
        fmean2: o.flowMean[2],
        fstd0: o.flowStd[0],
        fstd1: o.flowStd[1],
        fstd2: o.flowStd[2],
      },
      dispatch: Math.ceil((6 * outH * outW) / FLOWNET_PREPARE_WORKGROUP_SIZE),
    });
    return { buffer, shape: [1, 6, outH, outW] };
  });
}
