/**
 * MMTracking's `flow_warp_feats` on the GPU, fused: the flow is resized to the features' resolution, scaled, turned
 * into a grid and used for a border-padded bilinear sample in one pass, so no resized (let alone full-resolution)
 * flow is ever written. Semantics and float32 order: CPU twin `src/core/ops/flow-warp.ts`. One thread per output
 * pixel computes its sampling point once and loops over the channels (the point is the same for all of them).
 */
import { flowWarpScale } from '../core/ops/flow-warp.ts';
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';
import type { GpuFeatureMap } from './roi-align.ts';

export const FLOW_WARP_WORKGROUP_SIZE = 64;

const flowWarpProgram = kernelProgram(
  'flow-warp',
  FLOW_WARP_WORKGROUP_SIZE,
  'features: f32, flow: f32, output: f32 rw',
  'batch: u32, channels: u32, height: u32, width: u32, flowH: u32, flowW: u32, ratio: f32, scale: f32, halfH: f32, halfW: f32',
  {
    declarations: /* wgsl */ `
// PyTorch's bilinear resize taps (align_corners=False, given scale) along one axis: (index0, index1, weight1).
fn resizeTap(d: u32, inSize: u32) -> vec3<f32> {
  let src = max(uniforms.ratio * (f32(d) + 0.5) - 0.5, 0.0);
  let lo = floor(src);
  let hi = select(lo, lo + 1.0, lo < f32(inSize) - 1.0);
  return vec3<f32>(lo, hi, clamp(src - lo, 0.0, 1.0));
}
// The resized flow's value of one plane (0: u, 1: v) at output pixel (y, x), times the scale.
fn resizedFlow(plane: u32, ty: vec3<f32>, tx: vec3<f32>) -> f32 {
  let base = plane * uniforms.flowH * uniforms.flowW;
  let r0 = base + u32(ty.x) * uniforms.flowW;
  let r1 = base + u32(ty.y) * uniforms.flowW;
  let c0 = u32(tx.x);
  let c1 = u32(tx.y);
  let w1 = tx.z;
  let w0 = 1.0 - w1;
  let top = w0 * flow[r0 + c0] + w1 * flow[r0 + c1];
  let bottom = w0 * flow[r1 + c0] + w1 * flow[r1 + c1];
  return ((1.0 - ty.z) * top + ty.z * bottom) * uniforms.scale;
}
// grid_sample's reading point for pixel i with displacement d (align_corners=True, border padding).
fn warpSource(i: u32, d: f32, size: u32, half: f32) -> f32 {
  let g = ((f32(i) + d) / f32(size)) * 2.0 - 1.0;
  return clamp((g + 1.0) * half, 0.0, f32(size) - 1.0);
}`,
    main: /* wgsl */ `
  let hw = uniforms.height * uniforms.width;
  if (globalIndex >= uniforms.batch * hw) { return; }
  let x = globalIndex % uniforms.width;
  let y = (globalIndex / uniforms.width) % uniforms.height;
  let b = globalIndex / hw;
  let ty = resizeTap(y, uniforms.flowH);
  let tx = resizeTap(x, uniforms.flowW);
  let sx = warpSource(x, resizedFlow(b * 2u, ty, tx), uniforms.width, uniforms.halfW);
  let sy = warpSource(y, resizedFlow(b * 2u + 1u, ty, tx), uniforms.height, uniforms.halfH);
  let x0 = u32(floor(sx));
  let y0 = u32(floor(sy));
  let hasE = x0 + 1u < uniforms.width;
  let hasS = y0 + 1u < uniforms.height;
  let x1 = select(x0, x0 + 1u, hasE);
  let y1 = select(y0, y0 + 1u, hasS);
  let we = sx - f32(x0);
  let ns = sy - f32(y0);
  let nw = (1.0 - ns) * (1.0 - we);
  let ne = select(0.0, (1.0 - ns) * we, hasE);
  let sw = select(0.0, ns * (1.0 - we), hasS);
  let se = select(0.0, ns * we, hasE && hasS);
  let p = y * uniforms.width + x;
  for (var c = 0u; c < uniforms.channels; c++) {
    let plane = (b * uniforms.channels + c) * hw;
    output[plane + p] = ((nw * features[plane + y0 * uniforms.width + x0] + ne * features[plane + y0 * uniforms.width + x1])
      + sw * features[plane + y1 * uniforms.width + x0]) + se * features[plane + y1 * uniforms.width + x1];
  }`,
  },
);

/**
 * Warps `x` (float32 `[N, C, H, W]`) by `flow` (float32 `[N, 2, Hf, Wf]`, e.g. FlowNet's output at image
 * resolution, as an ORT gpu-buffer). @returns the warped features, a buffer owned by the caller.
 */
export async function flowWarpFeatsGpu(ctx: KernelContext, x: GpuFeatureMap, flow: GpuFeatureMap): Promise<GpuFeatureMap> {
  const scale = flowWarpScale(x.shape, flow.shape);
  const [n, c, h, w] = x.shape;
  for (const [map, what] of [[x, 'features'], [flow, 'flow']] as const) {
    const bytes = map.shape.reduce((a, b) => a * b, 1) * 4;
    if (map.buffer.size < bytes) throw new Error(`flow_warp_feats: ${what} buffer "${map.buffer.label}" has ${map.buffer.size} bytes for shape ${map.shape.join('x')}`);
  }
  const kernel = await ctx.compile(flowWarpProgram);
  return ctx.submit('flow-warp', (encoder) => {
    const buffer = createKernelBuffer(ctx.device, n * c * h * w * 4, 'warped features');
    ctx.dispatch(encoder, kernel, {
      resources: [x.buffer, flow.buffer, buffer],
      uniforms: {
        batch: n,
        channels: c,
        height: h,
        width: w,
        flowH: flow.shape[2],
        flowW: flow.shape[3],
        ratio: Math.fround(1 / scale),
        scale,
        halfH: (h - 1) / 2,
        halfW: (w - 1) / 2,
      },
      dispatch: Math.ceil((n * h * w) / FLOW_WARP_WORKGROUP_SIZE),
    });
    return { buffer, shape: x.shape };
  });
}
