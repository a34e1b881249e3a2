/**
 * MMTracking's `flow_warp_feats` on the GPU, fused: the flow is resized to the features' resolution, scaled, turned
 * into a grid and used for a border-padded bilinear sample in one pass, so no resized flow is ever written. Given
 * FlowNet's `predict_flow` instead of a full-resolution flow (`fromPredictFlow`), the kernel also does the end of
 * FlowNetSimple.forward (resize by 4/s, scale by 4/s and flow_scale_factor) on the fly: DFF and FGFA then never
 * materialise the image-sized flow at all. Semantics and float32 order: CPU twins `src/core/ops/flow-warp.ts` and
 * `flownetOutputFlow` (`src/core/ops/flownet-prepare.ts`). One thread per output pixel computes its sampling point
 * once and loops over the channels (the point is the same for all of them).
 */
import { type FlowWarpOptions, flowWarpScale } from '../core/ops/flow-warp.ts';
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';
import type { GpuFeatureMap } from './roi-align.ts';

export const FLOW_WARP_WORKGROUP_SIZE = 64;

/**
 * PyTorch's bilinear resize taps along one axis (`F.interpolate(scale_factor=s, align_corners=False)`, `ratio` =
 * float(1 / s)): (index0, index1, weight1). Shared by the kernels that resize on the fly.
 */
export const RESIZE_TAP_WGSL = /* wgsl */ `
fn resizeTap(d: u32, inSize: u32, ratio: f32) -> vec3<f32> {
  let src = max(ratio * (f32(d) + 0.5) - 0.5, 0.0);
  let lo = floor(src);
  let hi = select(lo, lo + 1.0, lo < f32(inSize) - 1.0);
  return vec3<f32>(lo, hi, clamp(src - lo, 0.0, 1.0));
}`;

const flowWarpProgram = kernelProgram(
  'flow-warp',
  FLOW_WARP_WORKGROUP_SIZE,
  'features: f32, flow: f32, output: f32 rw',
  'batch: u32, channels: u32, height: u32, width: u32, flowH: u32, flowW: u32, ratio: f32, scale: f32, halfH: f32, halfW: f32, ' +
    'predictH: u32, predictW: u32, upRatio: f32, upScale: f32, flowScale: f32, fromPredict: u32, exact: u32',
  {
    declarations: /* wgsl */ `
${RESIZE_TAP_WGSL}
// The image-resolution flow of one plane at (fy, fx): the buffer itself, or FlowNet's predict_flow resized by 4/s
// and scaled by 4/s, then by flow_scale_factor (the end of FlowNetSimple.forward).
fn fullFlow(plane: u32, fy: u32, fx: u32) -> f32 {
  if (uniforms.fromPredict == 0u) { return flow[(plane * uniforms.flowH + fy) * uniforms.flowW + fx]; }
  let ty = resizeTap(fy, uniforms.predictH, uniforms.upRatio);
  let tx = resizeTap(fx, uniforms.predictW, uniforms.upRatio);
  let base = plane * uniforms.predictH * uniforms.predictW;
  let r0 = base + u32(ty.x) * uniforms.predictW;
  let r1 = base + u32(ty.y) * uniforms.predictW;
  let top = (1.0 - tx.z) * flow[r0 + u32(tx.x)] + tx.z * flow[r0 + u32(tx.y)];
  let bottom = (1.0 - tx.z) * flow[r1 + u32(tx.x)] + tx.z * flow[r1 + u32(tx.y)];
  return (((1.0 - ty.z) * top + ty.z * bottom) * uniforms.upScale) * uniforms.flowScale;
}
// The flow resized to the features, of one plane (0: u, 1: v) at output pixel (y, x), times the scale.
fn resizedFlow(plane: u32, ty: vec3<f32>, tx: vec3<f32>) -> f32 {
  let w1 = tx.z;
  let w0 = 1.0 - w1;
  let top = w0 * fullFlow(plane, u32(ty.x), u32(tx.x)) + w1 * fullFlow(plane, u32(ty.x), u32(tx.y));
  let bottom = w0 * fullFlow(plane, u32(ty.y), u32(tx.x)) + w1 * fullFlow(plane, u32(ty.y), u32(tx.y));
  return ((1.0 - ty.z) * top + ty.z * bottom) * uniforms.scale;
}
// grid_sample's reading point for pixel i with displacement d (align_corners=True, border padding); exactGrid: i + d.
fn warpSource(i: u32, d: f32, size: u32, half: f32) -> f32 {
  if (uniforms.exact == 1u) { return clamp(f32(i) + d, 0.0, f32(size) - 1.0); }
  let g = ((f32(i) + d) / f32(size)) * 2.0 - 1.0;
  return clamp((g + 1.0) * half, 0.0, f32(size) - 1.0);
}`,
    main: /* wgsl */ `
  let hw = uniforms.height * uniforms.width;
  if (globalIndex >= uniforms.batch * hw) { return; }
  let x = globalIndex % uniforms.width;
  let y = (globalIndex / uniforms.width) % uniforms.height;
  let b = globalIndex / hw;
  let ty = resizeTap(y, uniforms.flowH, uniforms.ratio);
  let tx = resizeTap(x, uniforms.flowW, uniforms.ratio);
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

/** `flow` is FlowNetSimple's `predict_flow`: the image-resolution flow is computed from it on the fly. */
export interface PredictFlowSource {
  /** FlowNetSimple's img_scale_factor s: predict_flow is resized by 4/s and scaled by 4/s. */
  imgScaleFactor: number;
  flowScaleFactor: number;
}

/**
 * Warps `x` (float32 `[N, C, H, W]`) by `flow` (float32 `[N, 2, Hf, Wf]` at image resolution, or FlowNet's
 * `predict_flow` with `fromPredictFlow`; e.g. an ORT gpu-buffer). @returns the warped features, owned by the caller.
 */
export async function flowWarpFeatsGpu(ctx: KernelContext, x: GpuFeatureMap, flow: GpuFeatureMap, fromPredictFlow?: PredictFlowSource, options: FlowWarpOptions = {}): Promise<GpuFeatureMap> {
  const up = fromPredictFlow ? 4 / fromPredictFlow.imgScaleFactor : 1;
  // The image-resolution flow's shape (PyTorch: int(size * scale)), computed or given.
  const full: GpuFeatureMap['shape'] = fromPredictFlow ? [flow.shape[0], flow.shape[1], Math.floor(flow.shape[2] * up), Math.floor(flow.shape[3] * up)] : flow.shape;
  const scale = flowWarpScale(x.shape, full);
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
        flowH: full[2],
        flowW: full[3],
        predictH: flow.shape[2],
        predictW: flow.shape[3],
        upRatio: Math.fround(1 / up),
        upScale: up,
        flowScale: fromPredictFlow?.flowScaleFactor ?? 1,
        fromPredict: fromPredictFlow ? 1 : 0,
        ratio: Math.fround(1 / scale),
        scale,
        halfH: (h - 1) / 2,
        halfW: (w - 1) / 2,
        exact: options.exactGrid ? 1 : 0,
      },
      dispatch: Math.ceil((n * h * w) / FLOW_WARP_WORKGROUP_SIZE),
    });
    return { buffer, shape: x.shape };
  });
}
