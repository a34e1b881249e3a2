/**
 * RoIAlign on the GPU with MMCV semantics (average pooling, `aligned`, adaptive or fixed sampling) and
 * the multi-level `SingleRoIExtractor` of MMDetection (FPN level per RoI from its size, finest_scale 56).
 * Semantics and float32 evaluation order: CPU twin `src/core/ops/roi-align.ts`. One thread per output
 * element `[roi, channel, ph, pw]`; the multi-level variant runs one dispatch per level into the same
 * output, each thread skipping RoIs that map to another level.
 */
import { outputHW, type RoiAlignOptions, type SingleRoiExtractorOptions } from '../core/ops/roi-align.ts';
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';

export const ROI_ALIGN_WORKGROUP_SIZE = 64;

// Multi-level: pool only RoIs mapped to `level` of `numLevels` (numLevels 1: every RoI).
const roiAlignProgram = kernelProgram('roi-align', ROI_ALIGN_WORKGROUP_SIZE, 'features: f32, rois: f32, output: f32 rw', 'numRois: u32, batch: u32, channels: u32, height: u32, width: u32, outH: u32, outW: u32, spatialScale: f32, samplingRatio: i32, aligned: u32, level: i32, numLevels: i32, finestScale: f32', {
  declarations: /* wgsl */ `
fn bilinearSample(plane: u32, yIn: f32, xIn: f32) -> f32 {
  let height = i32(uniforms.height);
  let width = i32(uniforms.width);
  if (yIn < -1.0 || yIn > f32(height) || xIn < -1.0 || xIn > f32(width)) { return 0.0; }
  var y = select(yIn, 0.0, yIn <= 0.0);
  var x = select(xIn, 0.0, xIn <= 0.0);
  var yLow = i32(y);
  var xLow = i32(x);
  var yHigh = yLow + 1;
  var xHigh = xLow + 1;
  if (yLow >= height - 1) { yLow = height - 1; yHigh = yLow; y = f32(yLow); }
  if (xLow >= width - 1) { xLow = width - 1; xHigh = xLow; x = f32(xLow); }
  let ly = y - f32(yLow);
  let lx = x - f32(xLow);
  let hy = 1.0 - ly;
  let hx = 1.0 - lx;
  let v1 = features[plane + u32(yLow * width + xLow)];
  let v2 = features[plane + u32(yLow * width + xHigh)];
  let v3 = features[plane + u32(yHigh * width + xLow)];
  let v4 = features[plane + u32(yHigh * width + xHigh)];
  return (((hy * hx) * v1 + (hy * lx) * v2) + (ly * hx) * v3) + (ly * lx) * v4;
}
fn roiLevel(x1: f32, y1: f32, x2: f32, y2: f32) -> i32 {
  let scale = sqrt(max((x2 - x1) * (y2 - y1), 0.0));
  let level = i32(floor(log2(scale / uniforms.finestScale + 1e-6)));
  return clamp(level, 0, uniforms.numLevels - 1);
}`,
  main: /* wgsl */ `
  let total = uniforms.numRois * uniforms.channels * uniforms.outH * uniforms.outW;
  if (globalIndex >= total) { return; }
  let pw = globalIndex % uniforms.outW;
  let ph = (globalIndex / uniforms.outW) % uniforms.outH;
  let c = (globalIndex / (uniforms.outW * uniforms.outH)) % uniforms.channels;
  let r = globalIndex / (uniforms.outW * uniforms.outH * uniforms.channels);
  let x1 = rois[r * 5u + 1u];
  let y1 = rois[r * 5u + 2u];
  let x2 = rois[r * 5u + 3u];
  let y2 = rois[r * 5u + 4u];
  if (uniforms.numLevels > 1 && roiLevel(x1, y1, x2, y2) != uniforms.level) { return; }
  let batch = u32(clamp(i32(rois[r * 5u]), 0, i32(uniforms.batch) - 1));
  let offset = select(0.0, 0.5, uniforms.aligned == 1u);
  let startW = x1 * uniforms.spatialScale - offset;
  let startH = y1 * uniforms.spatialScale - offset;
  var roiW = (x2 * uniforms.spatialScale - offset) - startW;
  var roiH = (y2 * uniforms.spatialScale - offset) - startH;
  if (uniforms.aligned == 0u) { roiW = max(roiW, 1.0); roiH = max(roiH, 1.0); }
  let binH = roiH / f32(uniforms.outH);
  let binW = roiW / f32(uniforms.outW);
  var gridH = uniforms.samplingRatio;
  var gridW = uniforms.samplingRatio;
  if (uniforms.samplingRatio <= 0) {
    gridH = i32(ceil(roiH / f32(uniforms.outH)));
    gridW = i32(ceil(roiW / f32(uniforms.outW)));
  }
  let count = f32(max(gridH * gridW, 1));
  let plane = (batch * uniforms.channels + c) * uniforms.height * uniforms.width;
  var sum = 0.0;
  for (var iy = 0; iy < gridH; iy++) {
    let y = (startH + f32(ph) * binH) + ((f32(iy) + 0.5) * binH) / f32(gridH);
    for (var ix = 0; ix < gridW; ix++) {
      let x = (startW + f32(pw) * binW) + ((f32(ix) + 0.5) * binW) / f32(gridW);
      sum += bilinearSample(plane, y, x);
    }
  }
  output[globalIndex] = sum / count;`,
});

/** A float32 NCHW feature map on the GPU (e.g. an ORT `gpu-buffer` output). */
export interface GpuFeatureMap {
  buffer: GPUBuffer;
  shape: readonly [n: number, c: number, h: number, w: number];
}

function checkInputs(feats: readonly GpuFeatureMap[], numRois: number): void {
  for (const m of feats) {
    const bytes = m.shape.reduce((a, b) => a * b, 1) * 4;
    if (m.buffer.size < bytes) throw new Error(`RoIAlign: feature buffer "${m.buffer.label}" has ${m.buffer.size} bytes for shape ${m.shape.join('x')}`);
  }
  if (!Number.isInteger(numRois) || numRois < 0) throw new Error(`RoIAlign: bad RoI count ${numRois}`);
}

function levelUniforms(map: GpuFeatureMap, numRois: number, roiLayer: Omit<RoiAlignOptions, 'spatialScale'>, spatialScale: number) {
  const [outH, outW] = outputHW(roiLayer.outputSize);
  return {
    numRois,
    batch: map.shape[0],
    channels: map.shape[1],
    height: map.shape[2],
    width: map.shape[3],
    outH,
    outW,
    spatialScale,
    samplingRatio: roiLayer.samplingRatio,
    aligned: roiLayer.aligned ? 1 : 0,
  };
}

/**
 * RoIAlign of `numRois` RoIs (float32 `[k, 5]`: batch, x1, y1, x2, y2) on one feature map.
 * @returns float32 `[k, C, outH, outW]` buffer owned by the caller.
 */
export async function roiAlignGpu(ctx: KernelContext, input: GpuFeatureMap, rois: GPUBuffer, numRois: number, options: RoiAlignOptions): Promise<GPUBuffer> {
  checkInputs([input], numRois);
  const kernel = await ctx.compile(roiAlignProgram);
  const [outH, outW] = outputHW(options.outputSize);
  const total = numRois * input.shape[1] * outH * outW;
  return ctx.submit('roi-align', (encoder) => {
    const output = createKernelBuffer(ctx.device, total * 4, 'roi-align output');
    ctx.dispatch(encoder, kernel, {
      resources: [input.buffer, rois, output],
      uniforms: { ...levelUniforms(input, numRois, options, options.spatialScale), level: 0, numLevels: 1, finestScale: 56 },
      dispatch: Math.ceil(total / ROI_ALIGN_WORKGROUP_SIZE),
    });
    return output;
  });
}

/**
 * MMDetection `SingleRoIExtractor` on FPN levels (same channel count), one dispatch per level.
 * @returns float32 `[k, C, outH, outW]` buffer owned by the caller.
 */
export async function singleRoiExtractorGpu(
  ctx: KernelContext,
  feats: readonly GpuFeatureMap[],
  rois: GPUBuffer,
  numRois: number,
  options: SingleRoiExtractorOptions,
): Promise<GPUBuffer> {
  checkInputs(feats, numRois);
  if (feats.length === 0 || feats.length !== options.featmapStrides.length) throw new Error(`SingleRoIExtractor: ${feats.length} feature maps for ${options.featmapStrides.length} strides`);
  const channels = feats[0]!.shape[1];
  if (feats.some((m) => m.shape[1] !== channels)) throw new Error('SingleRoIExtractor: feature maps differ in channel count');
  const kernel = await ctx.compile(roiAlignProgram);
  const [outH, outW] = outputHW(options.roiLayer.outputSize);
  const total = numRois * channels * outH * outW;
  return ctx.submit('single-roi-extractor', (encoder) => {
    const output = createKernelBuffer(ctx.device, total * 4, 'roi features');
    feats.forEach((map, level) => {
      ctx.dispatch(encoder, kernel, {
        resources: [map.buffer, rois, output],
        uniforms: {
          ...levelUniforms(map, numRois, options.roiLayer, 1 / options.featmapStrides[level]!),
          level,
          numLevels: feats.length,
          finestScale: options.finestScale ?? 56,
        },
        dispatch: Math.ceil(total / ROI_ALIGN_WORKGROUP_SIZE),
      });
    });
    return output;
  });
}
