/**
 * Temporal RoI Align ("Temporal RoI Align for Video Object Recognition", Gong et al. 2021,
 * https://arxiv.org/abs/2109.03495) at test time: MMTracking's `TemporalRoIAlign.forward` with reference feature maps,
 * as SelsaRoIHead calls it for the frame's own RoIs.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/roi_heads/roi_extractors/temporal_roi_align.py
 *
 * 1. The RoI features (SingleRoIExtractor's RoIAlign of the frame's maps) come in.
 * 2. Most similar RoI align against the last RoI level of every reference frame (the frame itself is the last
 *    reference, as SELSA's ref_x ends with it): per reference, each sample point's k most similar locations.
 * 3. Temporal attentional feature aggregation: the embed network (an ONNX graph) on the frame's and the references'
 *    features, attention over the 1 + T frames per block of channels; or, with no blocks, their mean.
 * The RoIs go through in chunks: the embed network's input is (1 + T) x chunk RoIs, never all of them at once.
 */
import type { TemporalRoiAlignSettings } from '../det/faster-rcnn-config.ts';
import type { TensorData } from '../det/faster-rcnn.ts';
import { mostSimilarRoiAlign, type SimilarityMap } from '../../ops/most-similar-roi-align.ts';
import { temporalAttentionAggregate } from '../../ops/temporal-attention.ts';

/** The embed network graph: `[M, C, h, w]` RoI features → embeddings of the same shape. */
export type RunEmbedNetwork = (roiFeats: TensorData) => Promise<TensorData>;

/** RoIs per embed-network call: with 15 frames of 512x7x7 features, about 24 MB of input. */
const CHUNK = 16;

/**
 * @param roiFeats `[N, C, h, w]`: the frame's RoI features
 * @param refs the reference frames' last-level maps, the frame's own last
 * @returns the aggregated RoI features `[N, C, h, w]`, the bbox head's input
 */
export async function temporalRoiAlign(roiFeats: TensorData, refs: readonly SimilarityMap[], settings: TemporalRoiAlignSettings, embed: RunEmbedNetwork | null): Promise<TensorData> {
  const [n, c, h, w] = roiFeats.dims as [number, number, number, number];
  const points = h * w;
  const blocks = settings.numTemporalAttentionBlocks;
  if (blocks > 0 && !embed) throw new Error('Temporal RoI Align: num_temporal_attention_blocks > 0 needs the embed_network graph');
  const frames = 1 + refs.length;
  const size = c * points;
  const out = new Float32Array(n * size);
  for (let start = 0; start < n; start += CHUNK) {
    const m = Math.min(CHUNK, n - start);
    const own = roiFeats.data.subarray(start * size, (start + m) * size);
    // 2. [T, m, C, h, w], after the frame's own features: x is [1 + T, m, C, h, w].
    const similar = mostSimilarRoiAlign({ data: own, shape: [m, c, h, w] }, refs, settings.numMostSimilarPoints);
    const x = new Float32Array(frames * m * size);
    x.set(own);
    x.set(similar, m * size);
    // 3.
    let embeds: Float32Array | null = null;
    if (blocks > 0) {
      const e = await embed!({ data: x, dims: [frames * m, c, h, w] });
      if (e.data.length !== x.length) throw new Error(`Temporal RoI Align: embed_network gave [${e.dims.join(', ')}] for RoI features [${frames * m}, ${c}, ${h}, ${w}]; it must keep the shape`);
      embeds = e.data;
    }
    out.set(temporalAttentionAggregate(x, embeds, { frames, rois: m, channels: c, points }, blocks), start * size);
  }
  return { data: out, dims: [n, c, h, w] };
}
