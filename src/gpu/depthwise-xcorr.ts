/**
 * Depthwise cross-correlation on the GPU (search `[N, C, Hs, Ws]` ⊛ template `[N, C, Hz, Wz]` →
 * `[N, C, Hs-Hz+1, Ws-Wz+1]`, no flip), semantics in the CPU twin `src/core/ops/depthwise-xcorr.ts`.
 * One thread per output value; SiamRPN++ sizes (256 channels, 29x29 ⊛ 5x5) are small enough that the
 * template reads hit the cache without a shared-memory tile.
 */
import { xcorrOutputShape } from '../core/ops/depthwise-xcorr.ts';
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';
import type { GpuFeatureMap } from './roi-align.ts';

export const XCORR_WORKGROUP_SIZE = 64;

const xcorrProgram = kernelProgram('depthwise-xcorr', XCORR_WORKGROUP_SIZE, 'search: f32, exemplar: f32, output: f32 rw', 'planes: u32, searchH: u32, searchW: u32, templateH: u32, templateW: u32, outH: u32, outW: u32', {
  main: /* wgsl */ `
  if (globalIndex >= uniforms.planes * uniforms.outH * uniforms.outW) { return; }
  let x = globalIndex % uniforms.outW;
  let y = (globalIndex / uniforms.outW) % uniforms.outH;
  let plane = globalIndex / (uniforms.outW * uniforms.outH);
  let s = plane * uniforms.searchH * uniforms.searchW;
  let t = plane * uniforms.templateH * uniforms.templateW;
  var sum = 0.0;
  for (var i = 0u; i < uniforms.templateH; i++) {
    for (var j = 0u; j < uniforms.templateW; j++) {
      sum += search[s + (y + i) * uniforms.searchW + x + j] * exemplar[t + i * uniforms.templateW + j];
    }
  }
  output[globalIndex] = sum;`,
});

/** Correlates search and template features; the result buffer (float32 NCHW) is owned by the caller. */
export async function depthwiseCorrelationGpu(ctx: KernelContext, search: GpuFeatureMap, template: GpuFeatureMap): Promise<GpuFeatureMap> {
  const shape = xcorrOutputShape(search.shape, template.shape);
  const [n, c, outH, outW] = shape;
  const total = n * c * outH * outW;
  const kernel = await ctx.compile(xcorrProgram);
  return ctx.submit('depthwise-xcorr', (encoder) => {
    const buffer = createKernelBuffer(ctx.device, total * 4, 'xcorr output');
    ctx.dispatch(encoder, kernel, {
      resources: [search.buffer, template.buffer, buffer],
      uniforms: { planes: n * c, searchH: search.shape[2], searchW: search.shape[3], templateH: template.shape[2], templateW: template.shape[3], outH, outW },
      dispatch: Math.ceil(total / XCORR_WORKGROUP_SIZE),
    });
    return { buffer, shape };
  });
}
