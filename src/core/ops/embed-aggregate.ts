/**
 * FGFA's `EmbedAggregator.forward` after its convs (MMTracking `models/aggregators/embed_aggregator.py`), CPU twin of
 * `src/gpu/embed-aggregate.ts`: per location, the cosine similarity of each frame's embedding with the current
 * frame's (`e / ||e||_2` over channels, no epsilon), a softmax over the frames, and the weighted sum of the frames'
 * feature maps. float32 in PyTorch's order (channel sums in order, softmax as exp(a - max) / sum).
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/aggregators/embed_aggregator.py
 */
import type { FeatureMap } from './roi-align.ts';

const f = Math.fround;

/**
 * @param feats `[N, C, H, W]`: the frames' (warped) feature maps, the current frame's unwarped at `center`
 * @param embeds `[N, C', H, W]`: their embeddings (the aggregator's convs)
 * @returns `[1, C, H, W]`
 */
export function embedAggregate(feats: FeatureMap, embeds: FeatureMap, center: number): Float32Array {
  const [n, c, h, w] = feats.shape;
  const [ne, ce, he, we] = embeds.shape;
  if (ne !== n || he !== h || we !== w) throw new Error(`EmbedAggregator: embeddings ${embeds.shape.join('x')} for feature maps ${feats.shape.join('x')}`);
  if (!Number.isInteger(center) || center < 0 || center >= n) throw new Error(`EmbedAggregator: the current frame is ${center}, not one of the ${n}`);
  const hw = h * w;
  const out = new Float32Array(c * hw);
  const weights = new Float32Array(n);
  const norms = new Float32Array(n);
  const e = embeds.data;
  for (let p = 0; p < hw; p++) {
    for (let j = 0; j < n; j++) {
      let ss = 0;
      for (let k = 0; k < ce; k++) {
        const v = e[(j * ce + k) * hw + p]!;
        ss = f(ss + f(v * v));
      }
      norms[j] = f(Math.sqrt(ss));
    }
    const nx = norms[center]!;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < ce; k++) dot = f(dot + f(f(e[(j * ce + k) * hw + p]! / norms[j]!) * f(e[(center * ce + k) * hw + p]! / nx)));
      weights[j] = dot;
      max = Math.max(max, dot);
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      weights[j] = f(Math.exp(f(weights[j]! - max)));
      sum = f(sum + weights[j]!);
    }
    for (let j = 0; j < n; j++) weights[j] = f(weights[j]! / sum);
    for (let k = 0; k < c; k++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc = f(acc + f(feats.data[(j * c + k) * hw + p]! * weights[j]!));
      out[k * hw + p] = acc;
    }
  }
  return out;
}
