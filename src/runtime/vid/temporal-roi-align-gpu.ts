/**
 * Temporal RoI Align on one GPUDevice shared with onnxruntime-web (steps as in
 * `src/core/models/vid/temporal-roi-align.ts`): our most similar RoI align kernel writes each chunk of RoIs' most
 * similar features next to their own in one buffer, the `embed_network` graph embeds that buffer where it lies, our
 * temporal attention kernel aggregates; nothing comes back to the CPU.
 */
import type { TemporalRoiAlignSettings } from '../../core/models/det/faster-rcnn-config.ts';
import { createKernelBuffer } from '../../gpu/device.ts';
import type { KernelContext } from '../../gpu/kernel-program.ts';
import { type GpuSimilarityMap, mostSimilarRoiAlignGpu } from '../../gpu/most-similar-roi-align.ts';
import { temporalAttentionGpu } from '../../gpu/temporal-attention.ts';
import type { GpuOutput, GpuTensor } from '../detectors/ort-gpu-run.ts';

/** The embed network graph on a GPU tensor `[M, C, h, w]`. */
export type RunEmbedNetworkGpu = (x: GpuTensor) => Promise<GpuOutput>;

/** RoIs per chunk: with 15 frames of 512x7x7 features, 48 MB for the embed network's input (and as much out). */
const CHUNK = 32;

/**
 * @param roiFeats `[N, C, h, w]`: the frame's RoI features
 * @param maps the references' last-level maps, the frame's own last
 * @returns the aggregated RoI features `[N, C, h, w]`, owned by the caller
 */
export async function temporalRoiAlignGpu(kernels: KernelContext, roiFeats: GpuTensor, maps: readonly GpuSimilarityMap[], settings: TemporalRoiAlignSettings, embed: RunEmbedNetworkGpu | null): Promise<GPUBuffer> {
  const [n, c, h, w] = roiFeats.dims as [number, number, number, number];
  const blocks = settings.numTemporalAttentionBlocks;
  if (blocks > 0 && !embed) throw new Error('Temporal RoI Align: num_temporal_attention_blocks > 0 needs the embed_network graph');
  const frames = 1 + maps.length;
  const bytes = c * h * w * 4;
  const device = kernels.device;
  const out = createKernelBuffer(device, Math.max(n * bytes, 4), 'temporal RoI align output');
  try {
    for (let start = 0; start < n; start += CHUNK) {
      const m = Math.min(CHUNK, n - start);
      const chunk = createKernelBuffer(device, m * bytes, 'temporal RoI align chunk');
      const x = createKernelBuffer(device, frames * m * bytes, 'temporal RoI align frames');
      let embeds: GpuOutput | null = null;
      let aggregated: GPUBuffer | null = null;
      try {
        // x = [the chunk's own features, then each map's most similar ones]: [1 + T, m, C, h, w].
        await kernels.submit('temporal RoI align chunk', (encoder) => {
          encoder.copyBufferToBuffer(roiFeats.buffer, start * bytes, chunk, 0, m * bytes);
          encoder.copyBufferToBuffer(roiFeats.buffer, start * bytes, x, 0, m * bytes);
        });
        await mostSimilarRoiAlignGpu(kernels, { buffer: chunk, shape: [m, c, h, w] }, maps, settings.numMostSimilarPoints, x, 1);
        if (blocks > 0) {
          embeds = await embed!({ buffer: x, dims: [frames * m, c, h, w] });
          if (embeds.dims.reduce((a, b) => a * b, 1) !== frames * m * c * h * w) throw new Error(`Temporal RoI Align: embed_network gave [${embeds.dims.join(', ')}] for RoI features [${frames * m}, ${c}, ${h}, ${w}]; it must keep the shape`);
        }
        aggregated = await temporalAttentionGpu(kernels, x, embeds?.buffer ?? null, { frames, rois: m, channels: c, points: h * w }, blocks);
        const agg = aggregated;
        await kernels.submit('temporal RoI align output', (encoder) => encoder.copyBufferToBuffer(agg, 0, out, start * bytes, m * bytes));
      } finally {
        chunk.destroy();
        x.destroy();
        embeds?.dispose();
        aggregated?.destroy();
      }
    }
  } catch (err) {
    out.destroy();
    throw err;
  }
  return out;
}
