/**
 * GPU pre-processing: RGBA texture (a `VideoFrame`/`ImageBitmap` copied in with
 * `copyExternalImageToTexture`) → resize (MMDetection `Resize`, keep_ratio, OpenCV INTER_LINEAR
 * sampling) → normalise (mean, std, to_rgb) → pad to `size_divisor` with 0 → NCHW float32 buffer,
 * ready for `ort.Tensor.fromGpuBuffer(buffer, { dataType: 'float32', dims: [1, 3, paddedHeight, paddedWidth] })`.
 * Semantics and the sampling rule: CPU twin `src/core/ops/preprocess.ts`.
 */
import { preprocessGeometry, type PreprocessGeometry, type PreprocessOptions } from '../core/ops/preprocess.ts';
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';

export const PREPROCESS_WORKGROUP_SIZE = 64;

/** Format of every frame texture the kernels read. */
export const FRAME_TEXTURE_FORMAT: GPUTextureFormat = 'rgba8unorm';

/** One axis of OpenCV INTER_LINEAR (same float32 arithmetic as `linearTap` in the CPU twin). */
export const LINEAR_TAP_WGSL = /* wgsl */ `
struct Tap { index: i32, frac: f32 }
fn linearTap(dst: u32, srcSize: u32, dstSize: u32) -> Tap {
  let scale = f32(srcSize) / f32(dstSize);
  let x = (f32(dst) + 0.5) * scale - 0.5;
  var t = Tap(i32(floor(x)), 0.0);
  t.frac = x - f32(t.index);
  if (t.index < 0) { t = Tap(0, 0.0); }
  if (t.index >= i32(srcSize) - 1) { t = Tap(i32(srcSize) - 1, 0.0); }
  return t;
}`;

const preprocessProgram = kernelProgram('preprocess', PREPROCESS_WORKGROUP_SIZE, 'frame: texture, output: f32 rw', 'width: u32, height: u32, resizedWidth: u32, resizedHeight: u32, paddedWidth: u32, paddedHeight: u32, toRgb: u32, mean0: f32, mean1: f32, mean2: f32, stdInv0: f32, stdInv1: f32, stdInv2: f32, pad0: f32, pad1: f32, pad2: f32', {
  declarations: `${LINEAR_TAP_WGSL}
fn texel(x: i32, y: i32) -> vec3f {
  // rgba8unorm → 0..255 exactly.
  return round(textureLoad(frame, vec2i(x, y), 0).rgb * 255.0);
}`,
  main: /* wgsl */ `
  let plane = uniforms.paddedWidth * uniforms.paddedHeight;
  if (globalIndex >= plane) { return; }
  let dx = globalIndex % uniforms.paddedWidth;
  let dy = globalIndex / uniforms.paddedWidth;
  var v = vec3f(uniforms.pad0, uniforms.pad1, uniforms.pad2);
  if (dx < uniforms.resizedWidth && dy < uniforms.resizedHeight) {
    let tx = linearTap(dx, uniforms.width, uniforms.resizedWidth);
    let ty = linearTap(dy, uniforms.height, uniforms.resizedHeight);
    let x1 = min(tx.index + 1, i32(uniforms.width) - 1);
    let y1 = min(ty.index + 1, i32(uniforms.height) - 1);
    let h0 = (1.0 - tx.frac) * texel(tx.index, ty.index) + tx.frac * texel(x1, ty.index);
    let h1 = (1.0 - tx.frac) * texel(tx.index, y1) + tx.frac * texel(x1, y1);
    var rgb = (1.0 - ty.frac) * h0 + ty.frac * h1;
    if (uniforms.toRgb == 0u) { rgb = rgb.bgr; }
    let mean = vec3f(uniforms.mean0, uniforms.mean1, uniforms.mean2);
    let stdInv = vec3f(uniforms.stdInv0, uniforms.stdInv1, uniforms.stdInv2);
    v = (rgb - mean) * stdInv;
  }
  output[globalIndex] = v.x;
  output[plane + globalIndex] = v.y;
  output[2u * plane + globalIndex] = v.z;`,
});

export interface PreprocessResult {
  /** float32 NCHW `[1, 3, paddedHeight, paddedWidth]`; owned by the caller (destroy it). */
  tensor: GPUBuffer;
  geometry: PreprocessGeometry;
}

/** Pre-processes a frame texture (format `rgba8unorm`) into the detector's input tensor. */
export async function preprocessGpu(ctx: KernelContext, frame: GPUTexture, options: PreprocessOptions): Promise<PreprocessResult> {
  if (frame.format !== FRAME_TEXTURE_FORMAT) throw new Error(`preprocess: frame texture is ${frame.format}, expected ${FRAME_TEXTURE_FORMAT}`);
  const geometry = preprocessGeometry(frame.width, frame.height, options);
  const kernel = await ctx.compile(preprocessProgram);
  const f = Math.fround;
  return ctx.submit('preprocess', (encoder) => {
    const tensor = createKernelBuffer(ctx.device, 3 * geometry.paddedWidth * geometry.paddedHeight * 4, 'preprocess output');
    ctx.dispatch(encoder, kernel, {
      resources: [frame.createView(), tensor],
      uniforms: {
        width: geometry.width,
        height: geometry.height,
        resizedWidth: geometry.resizedWidth,
        resizedHeight: geometry.resizedHeight,
        paddedWidth: geometry.paddedWidth,
        paddedHeight: geometry.paddedHeight,
        toRgb: options.toRgb ? 1 : 0,
        mean0: options.mean[0],
        mean1: options.mean[1],
        mean2: options.mean[2],
        stdInv0: f(1 / options.std[0]),
        stdInv1: f(1 / options.std[1]),
        stdInv2: f(1 / options.std[2]),
        pad0: options.padValue?.[0] ?? 0,
        pad1: options.padValue?.[1] ?? 0,
        pad2: options.padValue?.[2] ?? 0,
      },
      dispatch: Math.ceil((geometry.paddedWidth * geometry.paddedHeight) / PREPROCESS_WORKGROUP_SIZE),
    });
    return { tensor, geometry };
  });
}

/** Texture usage that `copyExternalImageToTexture` and the kernels need. */
const FRAME_TEXTURE_USAGE = 0x04 /* TEXTURE_BINDING */ | 0x02 /* COPY_DST */ | 0x10; /* RENDER_ATTACHMENT */

/** Copies a decoded frame (`VideoFrame`, `ImageBitmap`, canvas...) into a new `rgba8unorm` texture (browser). */
export function frameTexture(device: GPUDevice, source: GPUCopyExternalImageSource, width: number, height: number): GPUTexture {
  const texture = device.createTexture({ label: 'frame', size: [width, height], format: FRAME_TEXTURE_FORMAT, usage: FRAME_TEXTURE_USAGE });
  device.queue.copyExternalImageToTexture({ source }, { texture }, [width, height]);
  return texture;
}

/** Uploads RGBA bytes (row-major, 4 bytes per pixel) into a new `rgba8unorm` texture (tests, Node). */
export function rgbaTexture(device: GPUDevice, rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): GPUTexture {
  if (rgba.length !== width * height * 4) throw new Error(`rgbaTexture: ${rgba.length} bytes for ${width}x${height} RGBA`);
  const texture = device.createTexture({ label: 'frame', size: [width, height], format: FRAME_TEXTURE_FORMAT, usage: FRAME_TEXTURE_USAGE });
  device.queue.writeTexture({ texture }, rgba, { bytesPerRow: width * 4, rowsPerImage: height }, [width, height]);
  return texture;
}

/**
 * A decoded frame straight into the detector's input tensor: frame → texture → {@link preprocessGpu}. A `VideoFrame`
 * goes through an ImageBitmap first: copied straight into a texture in a worker it lost the device (Chromium 156,
 * SwiftShader).
 */
export async function preprocessFrame(ctx: KernelContext, source: GPUCopyExternalImageSource, width: number, height: number, options: PreprocessOptions): Promise<PreprocessResult> {
  const bitmap = source instanceof VideoFrame ? await createImageBitmap(source) : null;
  const texture = frameTexture(ctx.device, bitmap ?? source, width, height);
  bitmap?.close();
  try {
    return await preprocessGpu(ctx, texture, options);
  } finally {
    texture.destroy();
  }
}
