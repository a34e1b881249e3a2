import { describe, expect, it } from 'vitest';
import { embedAggregate } from './embed-aggregate.ts';

describe("FGFA's embedding aggregation (CPU twin)", () => {
  it('weights each frame by softmax of cosine similarity with the current frame, per location', () => {
    // 3 frames, 1 feature channel, 2 embedding channels, 1 location. Embeddings: current (1, 0); frame 0 the same
    // direction at another length (cos 1); frame 2 orthogonal (cos 0).
    const feats = { data: Float32Array.of(10, 20, 40), shape: [3, 1, 1, 1] as const };
    const embeds = { data: Float32Array.of(3, 0, 1, 0, 0, 5), shape: [3, 2, 1, 1] as const };
    const e = Math.E;
    const expected = (10 * e + 20 * e + 40 * 1) / (e + e + 1);
    expect(embedAggregate(feats, embeds, 1)[0]).toBeCloseTo(expected, 4);
  });

  it('identical frames average to the same map; locations are independent', () => {
    const feats = { data: Float32Array.of(1, 2, 1, 2), shape: [2, 1, 1, 2] as const };
    const embeds = { data: Float32Array.of(1, -1, 1, -1), shape: [2, 1, 1, 2] as const };
    expect(Array.from(embedAggregate(feats, embeds, 0))).toEqual([1, 2]);
  });

  it('refuses mismatched shapes and a centre outside the window', () => {
    const feats = { data: new Float32Array(8), shape: [2, 1, 2, 2] as const };
    expect(() => embedAggregate(feats, { data: new Float32Array(12), shape: [3, 1, 2, 2] }, 0)).toThrow('EmbedAggregator: embeddings 3x1x2x2 for feature maps 2x1x2x2');
    expect(() => embedAggregate(feats, { data: new Float32Array(8), shape: [2, 1, 2, 2] }, 2)).toThrow('the current frame is 2, not one of the 2');
  });
});
