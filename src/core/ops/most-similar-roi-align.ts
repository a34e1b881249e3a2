/**
 * Temporal RoI Align's most similar RoI align (MMTracking `TemporalRoIAlign.most_similar_roi_align`, "Temporal RoI
 * Align for Video Object Recognition", Gong et al. 2021, https://arxiv.org/abs/2109.03495): for every sample point of
 * every RoI, the cosine similarity of its feature with each location of a reference frame's map, the k most similar
 * locations, a softmax over their similarities, and the weighted sum of their (raw) features.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/roi_heads/roi_extractors/temporal_roi_align.py
 *
 * MMTracking builds the whole similarity matrix (sample points x locations x frames); here a point keeps only its
 * running top k while it scans the locations. A zero feature vector has no direction: MMTracking divides by its zero
 * norm (NaN all the way to the scores); here it is similar to nothing (similarity 0), so ties pick the first
 * locations. Ties among equal similarities pick the lower location index (PyTorch leaves their order unspecified).
 */
import type { FeatureMap } from './roi-align.ts';

const f = Math.fround;

/** A reference frame's last-level map prepared for the search, location-major (`[H*W, C]`). */
export interface SimilarityMap {
  /** Each location's feature divided by its L2 norm (0 where the norm is 0). */
  unit: Float32Array;
  /** The features themselves, which the top-k locations contribute. */
  raw: Float32Array;
  locations: number;
  channels: number;
}

/** A `[1, C, H, W]` map in the search's layout; computed once per reference frame and kept. */
export function similarityMap(map: FeatureMap): SimilarityMap {
  const [n, c, h, w] = map.shape;
  if (n !== 1) throw new Error(`most similar RoI align: a reference map is one frame, got ${map.shape.join('x')}`);
  const hw = h * w;
  const raw = new Float32Array(hw * c);
  const unit = new Float32Array(hw * c);
  for (let p = 0; p < hw; p++) {
    let ss = 0;
    for (let k = 0; k < c; k++) {
      const v = map.data[k * hw + p]!;
      raw[p * c + k] = v;
      ss += v * v;
    }
    const norm = f(Math.sqrt(ss));
    if (norm > 0) for (let k = 0; k < c; k++) unit[p * c + k] = f(raw[p * c + k]! / norm);
  }
  return { unit, raw, locations: hw, channels: c };
}

/**
 * @param roiFeats `[N, C, h, w]`: the frame's RoI features (RoIAlign of its own maps)
 * @param refs the reference frames' maps ({@link similarityMap})
 * @param k `num_most_similar_points`
 * @returns `[refs.length, N, C, h, w]`: per reference frame, the RoIs' most similar features
 */
export function mostSimilarRoiAlign(roiFeats: FeatureMap, refs: readonly SimilarityMap[], k: number): Float32Array {
  const [n, c, h, w] = roiFeats.shape;
  const hw = h * w;
  for (const r of refs) {
    if (r.channels !== c) throw new Error(`most similar RoI align: RoI features have ${c} channels, a reference map ${r.channels}`);
    if (r.locations < k) throw new Error(`most similar RoI align: ${k} most similar points asked of a reference map of ${r.locations} locations`);
  }
  const out = new Float32Array(refs.length * n * c * hw);
  const q = new Float32Array(c);
  const topValues = new Float64Array(k);
  const topIndices = new Int32Array(k);
  const weights = new Float32Array(k);
  for (let roi = 0; roi < n; roi++) {
    for (let p = 0; p < hw; p++) {
      // The sample point's unit vector.
      let ss = 0;
      for (let ch = 0; ch < c; ch++) {
        const v = roiFeats.data[(roi * c + ch) * hw + p]!;
        q[ch] = v;
        ss += v * v;
      }
      const norm = f(Math.sqrt(ss));
      for (let ch = 0; ch < c; ch++) q[ch] = norm > 0 ? f(q[ch]! / norm) : 0;
      refs.forEach((ref, i) => {
        // 1. The running top k of the similarities, best first.
        topValues.fill(-Infinity);
        topIndices.fill(0);
        for (let loc = 0; loc < ref.locations; loc++) {
          let dot = 0;
          const base = loc * c;
          for (let ch = 0; ch < c; ch++) dot += q[ch]! * ref.unit[base + ch]!;
          const s = f(dot);
          if (s <= topValues[k - 1]!) continue;
          let j = k - 1;
          while (j > 0 && s > topValues[j - 1]!) {
            topValues[j] = topValues[j - 1]!;
            topIndices[j] = topIndices[j - 1]!;
            j--;
          }
          topValues[j] = s;
          topIndices[j] = loc;
        }
        // 2. Softmax over the k similarities (exp(v - max) / sum, in float32 as PyTorch).
        let sum = 0;
        for (let j = 0; j < k; j++) {
          weights[j] = f(Math.exp(f(topValues[j]! - topValues[0]!)));
          sum = f(sum + weights[j]!);
        }
        for (let j = 0; j < k; j++) weights[j] = f(weights[j]! / sum);
        // 3. The weighted sum of the k locations' features.
        const dst = (i * n + roi) * c * hw + p;
        for (let ch = 0; ch < c; ch++) {
          let acc = 0;
          for (let j = 0; j < k; j++) acc = f(acc + f(ref.raw[topIndices[j]! * c + ch]! * weights[j]!));
          out[dst + ch * hw] = acc;
        }
      });
    }
  }
  return out;
}
