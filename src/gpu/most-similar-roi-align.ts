/**
 * Temporal RoI Align's most similar RoI align on the GPU: a similarity GEMM (RoI sample points x a reference map's
 * locations, over the channels) whose results never leave the workgroup — each thread keeps its sample point's
 * running top k while the locations stream past in tiles, so the similarity matrix (2 GB at MMTracking's sizes) is
 * never written. Semantics: CPU twin `src/core/ops/most-similar-roi-align.ts`.
 *
 * One thread per sample point (of N RoIs x h x w), 64 per workgroup. Per tile of {@link LOCATION_TILE} locations
 * and {@link CHANNEL_TILE} channels, the workgroup loads the tile's unit vectors into shared memory once for its 64
 * points (coalesced: consecutive threads read consecutive locations of a channel); each thread holds its point's
 * channels of the tile in registers. Each reference map is one dispatch writing its slice of the output.
 */
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';
import type { GpuFeatureMap } from './roi-align.ts';

export const MS_ROI_ALIGN_WORKGROUP_SIZE = 64;
const LOCATION_TILE = 32;
const CHANNEL_TILE = 16;
/** The most similar points a sample point keeps (MMTracking's configs: 2). */
export const MAX_MOST_SIMILAR_POINTS = 8;

/** A reference frame's last-level map `[1, C, H, W]` and its locations' L2 norms, kept while the frame is a reference. */
export interface GpuSimilarityMap {
  features: GpuFeatureMap;
  norms: GPUBuffer;
}

const normsProgram = kernelProgram('similarity-map-norms', MS_ROI_ALIGN_WORKGROUP_SIZE, 'features: f32, norms: f32 rw', 'channels: u32, locations: u32', {
  main: /* wgsl */ `
  if (globalIndex >= uniforms.locations) { return; }
  var ss = 0.0;
  for (var c = 0u; c < uniforms.channels; c++) {
    let v = features[c * uniforms.locations + globalIndex];
    ss += v * v;
  }
  norms[globalIndex] = sqrt(ss);`,
});

const program = kernelProgram(
  'most-similar-roi-align',
  MS_ROI_ALIGN_WORKGROUP_SIZE,
  'roiFeats: f32, refMap: f32, refNorms: f32, output: f32 rw',
  'queries: u32, points: u32, channels: u32, locations: u32, k: u32, outputFrame: u32',
  {
    declarations: /* wgsl */ `
const LT: u32 = ${LOCATION_TILE}u;
const CT: u32 = ${CHANNEL_TILE}u;
const MAX_K: u32 = ${MAX_MOST_SIMILAR_POINTS}u;
var<workgroup> tile: array<f32, ${LOCATION_TILE * CHANNEL_TILE}>;`,
    main: /* wgsl */ `
  let C = uniforms.channels;
  let L = uniforms.locations;
  let hw = uniforms.points;
  let valid = globalIndex < uniforms.queries;
  let q = select(0u, globalIndex, valid);
  let roi = q / hw;
  let p = q % hw;
  // The sample point's norm (its unit vector is q / norm, as the twin's).
  var ss = 0.0;
  for (var c = 0u; c < C; c++) {
    let v = roiFeats[(roi * C + c) * hw + p];
    ss += v * v;
  }
  let norm = sqrt(ss);
  var topV: array<f32, MAX_K>;
  var topI: array<u32, MAX_K>;
  for (var j = 0u; j < MAX_K; j++) { topV[j] = -3.4e38; topI[j] = 0u; }
  var acc: array<f32, LT>;
  var qc: array<f32, CT>;
  for (var l0 = 0u; l0 < L; l0 += LT) {
    for (var l = 0u; l < LT; l++) { acc[l] = 0.0; }
    for (var c0 = 0u; c0 < C; c0 += CT) {
      for (var j = 0u; j < CT; j++) {
        let c = c0 + j;
        var v = 0.0;
        if (valid && c < C && norm > 0.0) { v = roiFeats[(roi * C + c) * hw + p] / norm; }
        qc[j] = v;
      }
      // The tile's unit vectors, tile[l * CT + j] for location l0 + l and channel c0 + j.
      for (var s = localIndex; s < LT * CT; s += WORKGROUP_SIZE) {
        let l = s % LT;
        let j = s / LT;
        let loc = l0 + l;
        let c = c0 + j;
        var v = 0.0;
        if (loc < L && c < C) {
          let n = refNorms[loc];
          if (n > 0.0) { v = refMap[c * L + loc] / n; }
        }
        tile[l * CT + j] = v;
      }
      workgroupBarrier();
      for (var l = 0u; l < LT; l++) {
        var dot = acc[l];
        for (var j = 0u; j < CT; j++) { dot += qc[j] * tile[l * CT + j]; }
        acc[l] = dot;
      }
      workgroupBarrier();
    }
    // The running top k, best first; an equal similarity keeps the lower location first.
    for (var l = 0u; l < LT; l++) {
      let loc = l0 + l;
      let s = acc[l];
      if (loc >= L || s <= topV[uniforms.k - 1u]) { continue; }
      var j = uniforms.k - 1u;
      loop {
        if (j == 0u || s <= topV[j - 1u]) { break; }
        topV[j] = topV[j - 1u];
        topI[j] = topI[j - 1u];
        j--;
      }
      topV[j] = s;
      topI[j] = loc;
    }
  }
  if (!valid) { return; }
  // Softmax over the k similarities, then the weighted sum of the k locations' features.
  var weights: array<f32, MAX_K>;
  var sum = 0.0;
  for (var j = 0u; j < uniforms.k; j++) {
    weights[j] = exp(topV[j] - topV[0]);
    sum += weights[j];
  }
  let rois = uniforms.queries / hw;
  for (var c = 0u; c < C; c++) {
    var v = 0.0;
    for (var j = 0u; j < uniforms.k; j++) { v += refMap[c * L + topI[j]] * (weights[j] / sum); }
    output[((uniforms.outputFrame * rois + roi) * C + c) * hw + p] = v;
  }`,
  },
);

/** The norms of a reference map's locations; the map's buffer stays the caller's. */
export async function similarityMapGpu(ctx: KernelContext, map: GpuFeatureMap): Promise<GpuSimilarityMap> {
  const [n, c, h, w] = map.shape;
  if (n !== 1) throw new Error(`most similar RoI align: a reference map is one frame, got ${map.shape.join('x')}`);
  const kernel = await ctx.compile(normsProgram);
  return ctx.submit('similarity-map-norms', (encoder) => {
    const norms = createKernelBuffer(ctx.device, h * w * 4, 'similarity map norms');
    ctx.dispatch(encoder, kernel, { resources: [map.buffer, norms], uniforms: { channels: c, locations: h * w }, dispatch: Math.ceil((h * w) / MS_ROI_ALIGN_WORKGROUP_SIZE) });
    return { features: map, norms };
  });
}

/**
 * Per reference map i, the RoIs' most similar features into frame `firstFrame + i` of `output`
 * (`[frames, N, C, h, w]`, frames >= firstFrame + refs.length).
 */
export async function mostSimilarRoiAlignGpu(ctx: KernelContext, roiFeats: GpuFeatureMap, refs: readonly GpuSimilarityMap[], k: number, output: GPUBuffer, firstFrame: number): Promise<void> {
  const [n, c, h, w] = roiFeats.shape;
  if (!Number.isInteger(k) || k < 1 || k > MAX_MOST_SIMILAR_POINTS) throw new Error(`most similar RoI align: ${k} most similar points; the kernel keeps 1 to ${MAX_MOST_SIMILAR_POINTS}`);
  for (const r of refs) {
    const [, rc, rh, rw] = r.features.shape;
    if (rc !== c) throw new Error(`most similar RoI align: RoI features have ${c} channels, a reference map ${rc}`);
    if (rh * rw < k) throw new Error(`most similar RoI align: ${k} most similar points asked of a reference map of ${rh * rw} locations`);
  }
  const needed = (firstFrame + refs.length) * n * c * h * w * 4;
  if (output.size < needed) throw new Error(`most similar RoI align: output of ${output.size} bytes, ${needed} needed`);
  if (n === 0 || refs.length === 0) return;
  const kernel = await ctx.compile(program);
  await ctx.submit('most-similar-roi-align', (encoder) => {
    refs.forEach((r, i) => {
      ctx.dispatch(encoder, kernel, {
        resources: [roiFeats.buffer, r.features.buffer, r.norms, output],
        uniforms: { queries: n * h * w, points: h * w, channels: c, locations: r.features.shape[2] * r.features.shape[3], k, outputFrame: firstFrame + i },
        dispatch: Math.ceil((n * h * w) / MS_ROI_ALIGN_WORKGROUP_SIZE),
      });
    });
  });
}
