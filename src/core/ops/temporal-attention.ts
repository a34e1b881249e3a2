/**
 * Temporal RoI Align's temporal attentional feature aggregation (MMTracking
 * `TemporalRoIAlign.temporal_attentional_feature_aggregation`) after its embed network: the channels split into
 * `blocks` groups; per group, RoI and sample point, each frame's weight is the dot product of its embedding with the
 * current frame's over the group's channels, divided by sqrt(channels / blocks), softmaxed over the frames; the
 * output is the weighted sum of the frames' RoI features. `blocks <= 0` is MMTracking's alternative: the mean of the
 * frames (no embeddings).
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/roi_heads/roi_extractors/temporal_roi_align.py
 */
const f = Math.fround;

export interface TemporalRoiShape {
  /** 1 + the reference frames: the current frame first. */
  frames: number;
  rois: number;
  channels: number;
  /** roi_h * roi_w. */
  points: number;
}

/**
 * @param x `[frames, rois, C, h, w]`: the frame's RoI features, then each reference's most similar ones
 * @param embeds the embed network's output for `x` (same shape), or null when `blocks <= 0`
 * @returns `[rois, C, h, w]`
 */
export function temporalAttentionAggregate(x: Float32Array, embeds: Float32Array | null, shape: TemporalRoiShape, blocks: number): Float32Array {
  const { frames, rois, channels, points } = shape;
  const frameSize = rois * channels * points;
  if (x.length !== frames * frameSize) throw new Error(`temporal attention: ${x.length} values for ${frames}x${rois}x${channels}x${points}`);
  const out = new Float32Array(frameSize);
  if (blocks <= 0) {
    for (let i = 0; i < frameSize; i++) {
      let acc = 0;
      for (let t = 0; t < frames; t++) acc = f(acc + x[t * frameSize + i]!);
      out[i] = f(acc / frames);
    }
    return out;
  }
  if (!embeds || embeds.length !== x.length) throw new Error(`temporal attention: embeddings of ${embeds?.length ?? 0} values for RoI features of ${x.length}`);
  if (channels % blocks !== 0) throw new Error(`temporal attention: ${channels} channels do not split into ${blocks} blocks`);
  const group = channels / blocks;
  const scale = f(Math.sqrt(group));
  const weights = new Float32Array(frames);
  for (let roi = 0; roi < rois; roi++) {
    for (let b = 0; b < blocks; b++) {
      for (let p = 0; p < points; p++) {
        const at = (t: number, ch: number) => t * frameSize + (roi * channels + ch) * points + p;
        let max = -Infinity;
        for (let t = 0; t < frames; t++) {
          let dot = 0;
          for (let ch = b * group; ch < (b + 1) * group; ch++) dot = f(dot + f(embeds[at(t, ch)]! * embeds[at(0, ch)]!));
          weights[t] = f(dot / scale);
          max = Math.max(max, weights[t]!);
        }
        let sum = 0;
        for (let t = 0; t < frames; t++) {
          weights[t] = f(Math.exp(f(weights[t]! - max)));
          sum = f(sum + weights[t]!);
        }
        for (let t = 0; t < frames; t++) weights[t] = f(weights[t]! / sum);
        for (let ch = b * group; ch < (b + 1) * group; ch++) {
          let acc = 0;
          for (let t = 0; t < frames; t++) acc = f(acc + f(x[at(t, ch)]! * weights[t]!));
          out[at(0, ch)] = acc;
        }
      }
    }
  }
  return out;
}
