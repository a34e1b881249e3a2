/**
 * Step 3 of the pyramidal Lucas–Kanade flow on the GPU: per pixel, the window sums of Ix², IxIy, Iy² (central
 * differences, border replicated; the window clipped to the image). CPU twin: `lkStructure` in
 * `src/core/ops/lucas-kanade.ts`. One thread per pixel loops over its window.
 */
import { createKernelBuffer } from './device.ts';
import type { GpuGrayImage } from './gray-pool.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';

export const LK_STRUCTURE_WORKGROUP_SIZE = 64;

/** Central differences of a gray image (`gray`, `uniforms.height`/`width`), border replicated: (Ix, Iy). */
export const LK_GRADIENT_WGSL = /* wgsl */ `
fn gradientAt(y: u32, x: u32) -> vec2<f32> {
  let w = uniforms.width;
  let h = uniforms.height;
  let gx = (gray[y * w + min(x + 1u, w - 1u)] - gray[y * w + select(x - 1u, 0u, x == 0u)]) * 0.5;
  let gy = (gray[min(y + 1u, h - 1u) * w + x] - gray[select(y - 1u, 0u, y == 0u) * w + x]) * 0.5;
  return vec2<f32>(gx, gy);
}`;

const program = kernelProgram('lk-structure', LK_STRUCTURE_WORKGROUP_SIZE, 'gray: f32, output: f32 rw', 'height: u32, width: u32, radius: u32', {
  declarations: LK_GRADIENT_WGSL,
  main: /* wgsl */ `
  let n = uniforms.height * uniforms.width;
  if (globalIndex >= n) { return; }
  let x = i32(globalIndex % uniforms.width);
  let y = i32(globalIndex / uniforms.width);
  let r = i32(uniforms.radius);
  var s = vec3<f32>(0.0);
  for (var qy = max(y - r, 0); qy <= min(y + r, i32(uniforms.height) - 1); qy++) {
    for (var qx = max(x - r, 0); qx <= min(x + r, i32(uniforms.width) - 1); qx++) {
      let g = gradientAt(u32(qy), u32(qx));
      s += vec3<f32>(g.x * g.x, g.x * g.y, g.y * g.y);
    }
  }
  output[globalIndex] = s.x;
  output[n + globalIndex] = s.y;
  output[2u * n + globalIndex] = s.z;`,
});

/** `lkStructure` on the GPU: float32 `[3, h, w]`, owned by the caller. */
export async function lkStructureGpu(ctx: KernelContext, img: GpuGrayImage, windowSize: number): Promise<GPUBuffer> {
  const n = img.height * img.width;
  const kernel = await ctx.compile(program);
  return ctx.submit('lk-structure', (encoder) => {
    const buffer = createKernelBuffer(ctx.device, 3 * n * 4, 'structure tensor');
    ctx.dispatch(encoder, kernel, {
      resources: [img.buffer, buffer],
      uniforms: { height: img.height, width: img.width, radius: (windowSize - 1) / 2 },
      dispatch: Math.ceil(n / LK_STRUCTURE_WORKGROUP_SIZE),
    });
    return buffer;
  });
}
