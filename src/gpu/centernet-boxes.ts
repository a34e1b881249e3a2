/**
 * CenterNet box decoding at the top-k peaks on the GPU (semantics: CPU twin `src/core/ops/centernet-boxes.ts`),
 * so only k boxes are read back per frame, not the size map. One thread per peak.
 */
import type { CenterNetBoxOptions } from '../core/ops/centernet-boxes.ts';
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';

const WORKGROUP_SIZE = 64;

const boxesProgram = kernelProgram('centernet-boxes', WORKGROUP_SIZE, 'peakIndices: i32, sizeMap: f32, boxes: f32 rw, labels: i32 rw', 'k: u32, height: u32, width: u32, channels: u32, nchw: u32, stride: f32, invScaleX: f32, invScaleY: f32', {
  declarations: /* wgsl */ `
fn sizeAt(y: u32, x: u32, ch: u32) -> f32 {
  if (uniforms.nchw == 1u) { return sizeMap[(ch * uniforms.height + y) * uniforms.width + x]; }
  return sizeMap[(y * uniforms.width + x) * 4u + ch];
}`,
  main: /* wgsl */ `
  if (globalIndex >= uniforms.k) { return; }
  let idx = u32(peakIndices[globalIndex]);
  let pixel = idx / uniforms.channels;
  let x = pixel % uniforms.width;
  let y = pixel / uniforms.width;
  labels[globalIndex] = i32(idx % uniforms.channels);
  let cx = uniforms.stride * f32(x);
  let cy = uniforms.stride * f32(y);
  let o = globalIndex * 4u;
  boxes[o] = (cx - sizeAt(y, x, 0u)) * uniforms.invScaleX;
  boxes[o + 1u] = (cy - sizeAt(y, x, 1u)) * uniforms.invScaleY;
  boxes[o + 2u] = (cx + sizeAt(y, x, 2u)) * uniforms.invScaleX;
  boxes[o + 3u] = (cy + sizeAt(y, x, 3u)) * uniforms.invScaleY;`,
});

export interface CenterNetBoxesGpuResult {
  /** float32 `[k*4]` x1, y1, x2, y2 in frame pixels (caller destroys). */
  boxes: GPUBuffer;
  /** int32 `[k]` class ids (caller destroys). */
  labels: GPUBuffer;
}

/** Decodes boxes for `k` peaks (`peakIndices` from the heat-map peaks kernel) from the size head `sizeMap`. */
export async function centerNetBoxesGpu(ctx: KernelContext, peakIndices: GPUBuffer, k: number, sizeMap: GPUBuffer, opts: CenterNetBoxOptions): Promise<CenterNetBoxesGpuResult> {
  const [height, width, channels] = opts.shape;
  if (sizeMap.size < height * width * 16) throw new Error(`CenterNet boxes: size map "${sizeMap.label}" has ${sizeMap.size} bytes for ${height}x${width}x4 floats`);
  const kernel = await ctx.compile(boxesProgram);
  return ctx.submit('centernet-boxes', (encoder) => {
    const boxes = createKernelBuffer(ctx.device, k * 16, 'centernet boxes');
    const labels = createKernelBuffer(ctx.device, k * 4, 'centernet labels');
    ctx.dispatch(encoder, kernel, {
      resources: [peakIndices, sizeMap, boxes, labels],
      uniforms: { k, height, width, channels, nchw: opts.sizeLayout === 'nchw' ? 1 : 0, stride: opts.stride, invScaleX: Math.fround(1 / opts.scaleFactor[0]), invScaleY: Math.fround(1 / opts.scaleFactor[1]) },
      dispatch: Math.ceil(k / WORKGROUP_SIZE),
    });
    return { boxes, labels };
  });
}
