/**
 * Step 4 of the pyramidal Lucas–Kanade flow on the GPU, one update: e(q) = I(q) − J(q + d(q)) over the window around
 * each pixel, b = Σ e·∇I, d += (G + λ)⁻¹ b. The prior flow is read through a bilinear resize on the fly, so the first
 * update of a level reads the coarser level's flow directly (no upsampled copy is written). CPU twin: `lkStep` in
 * `src/core/ops/lucas-kanade.ts`. One thread per pixel loops over its window.
 */
import type { LucasKanadeOptions } from '../core/ops/lucas-kanade.ts';
import { createKernelBuffer } from './device.ts';
import { RESIZE_TAP_WGSL } from './flow-warp.ts';
import type { GpuGrayImage } from './gray-pool.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';
import { LK_GRADIENT_WGSL, lkStructureGpu } from './lk-structure.ts';

export const LK_STEP_WORKGROUP_SIZE = 64;

/** A flow `[2, height, width]` (u plane, then v) on the GPU. */
export interface GpuFlow {
  buffer: GPUBuffer;
  height: number;
  width: number;
}

const program = kernelProgram(
  'lk-step',
  LK_STEP_WORKGROUP_SIZE,
  'gray: f32, key: f32, structure: f32, prior: f32, output: f32 rw',
  'height: u32, width: u32, radius: u32, priorH: u32, priorW: u32, ratioY: f32, ratioX: f32, scaleY: f32, scaleX: f32, lambda: f32',
  {
    declarations: /* wgsl */ `
${LK_GRADIENT_WGSL}
${RESIZE_TAP_WGSL}
// The prior flow resized to this level at (y, x) and scaled by the size ratio (plane 0: u, 1: v).
fn priorAt(plane: u32, y: u32, x: u32) -> f32 {
  let ty = resizeTap(y, uniforms.priorH, uniforms.ratioY);
  let tx = resizeTap(x, uniforms.priorW, uniforms.ratioX);
  let base = plane * uniforms.priorH * uniforms.priorW;
  let r0 = base + u32(ty.x) * uniforms.priorW;
  let r1 = base + u32(ty.y) * uniforms.priorW;
  let top = (1.0 - tx.z) * prior[r0 + u32(tx.x)] + tx.z * prior[r0 + u32(tx.y)];
  let bottom = (1.0 - tx.z) * prior[r1 + u32(tx.x)] + tx.z * prior[r1 + u32(tx.y)];
  return ((1.0 - ty.z) * top + ty.z * bottom) * select(uniforms.scaleX, uniforms.scaleY, plane == 1u);
}
// Bilinear sample of the key image, the border replicated.
fn sampleKey(py: f32, px: f32) -> f32 {
  let w = uniforms.width;
  let h = uniforms.height;
  let sx = clamp(px, 0.0, f32(w - 1u));
  let sy = clamp(py, 0.0, f32(h - 1u));
  let x0 = u32(floor(sx));
  let y0 = u32(floor(sy));
  let x1 = min(x0 + 1u, w - 1u);
  let y1 = min(y0 + 1u, h - 1u);
  let ax = sx - f32(x0);
  let ay = sy - f32(y0);
  let top = (1.0 - ax) * key[y0 * w + x0] + ax * key[y0 * w + x1];
  let bottom = (1.0 - ax) * key[y1 * w + x0] + ax * key[y1 * w + x1];
  return (1.0 - ay) * top + ay * bottom;
}`,
    main: /* wgsl */ `
  let n = uniforms.height * uniforms.width;
  if (globalIndex >= n) { return; }
  let x = i32(globalIndex % uniforms.width);
  let y = i32(globalIndex / uniforms.width);
  let r = i32(uniforms.radius);
  var b = vec2<f32>(0.0);
  for (var qy = max(y - r, 0); qy <= min(y + r, i32(uniforms.height) - 1); qy++) {
    for (var qx = max(x - r, 0); qx <= min(x + r, i32(uniforms.width) - 1); qx++) {
      let q = vec2<u32>(u32(qx), u32(qy));
      let e = gray[q.y * uniforms.width + q.x] - sampleKey(f32(q.y) + priorAt(1u, q.y, q.x), f32(q.x) + priorAt(0u, q.y, q.x));
      b += e * gradientAt(q.y, q.x);
    }
  }
  let a = structure[globalIndex] + uniforms.lambda;
  let c = structure[n + globalIndex];
  let d = structure[2u * n + globalIndex] + uniforms.lambda;
  let det = a * d - c * c;
  output[globalIndex] = priorAt(0u, u32(y), u32(x)) + (d * b.x - c * b.y) / det;
  output[n + globalIndex] = priorAt(1u, u32(y), u32(x)) + (a * b.y - c * b.x) / det;`,
  },
);

/** `lkStep` on the GPU: the prior flow (this level's size or the coarser level's) → the updated flow, owned by the caller. */
export async function lkStepGpu(ctx: KernelContext, cur: GpuGrayImage, key: GpuGrayImage, structure: GPUBuffer, prior: GpuFlow, options: Pick<LucasKanadeOptions, 'windowSize' | 'regularization'>): Promise<GpuFlow> {
  const { height: h, width: w } = cur;
  if (key.height !== h || key.width !== w) throw new Error(`lkStep: the images are ${h}x${w} and ${key.height}x${key.width}`);
  const kernel = await ctx.compile(program);
  return ctx.submit('lk-step', (encoder) => {
    const buffer = createKernelBuffer(ctx.device, 2 * h * w * 4, 'flow');
    ctx.dispatch(encoder, kernel, {
      resources: [cur.buffer, key.buffer, structure, prior.buffer, buffer],
      uniforms: {
        height: h,
        width: w,
        radius: (options.windowSize - 1) / 2,
        priorH: prior.height,
        priorW: prior.width,
        ratioY: Math.fround(prior.height / h),
        ratioX: Math.fround(prior.width / w),
        scaleY: Math.fround(h / prior.height),
        scaleX: Math.fround(w / prior.width),
        lambda: Math.fround(options.regularization * options.windowSize * options.windowSize),
      },
      dispatch: Math.ceil((h * w) / LK_STEP_WORKGROUP_SIZE),
    });
    return { buffer, height: h, width: w };
  });
}

/**
 * `pyramidalLucasKanade` on the GPU (steps 2-4 over the levels, coarsest first): the flow from `cur` to `key` at
 * level 0, owned by the caller. Intermediate buffers are released as soon as the next one is written.
 */
export async function pyramidalLucasKanadeGpu(ctx: KernelContext, cur: readonly GpuGrayImage[], key: readonly GpuGrayImage[], options: LucasKanadeOptions): Promise<GpuFlow> {
  if (cur.length !== key.length || cur.length === 0) throw new Error(`pyramidalLucasKanade: pyramids of ${cur.length} and ${key.length} levels`);
  const top = cur.at(-1)!;
  let flow: GpuFlow = { buffer: createKernelBuffer(ctx.device, 2 * top.height * top.width * 4, 'zero flow'), height: top.height, width: top.width };
  for (let level = cur.length - 1; level >= 0; level--) {
    const structure = await lkStructureGpu(ctx, cur[level]!, options.windowSize);
    for (let it = 0; it < options.iterations; it++) {
      const next = await lkStepGpu(ctx, cur[level]!, key[level]!, structure, flow, options);
      flow.buffer.destroy();
      flow = next;
    }
    structure.destroy();
  }
  return flow;
}
