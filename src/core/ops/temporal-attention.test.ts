import { describe, expect, it } from 'vitest';
import { temporalAttentionAggregate } from './temporal-attention.ts';

describe("Temporal RoI Align's temporal attention (CPU twin)", () => {
  it('weights the frames per block by the softmax of embedding dot products with the current frame, over sqrt(C/blocks)', () => {
    // 2 frames, 1 RoI, 4 channels in 2 blocks, 1 point. Block 0: embeddings (1, 1) and (1, -1): dots 2 and 0, over
    // sqrt(2). Block 1: current (2, 0), other (0, 3): dots 4 and 0.
    const x = Float32Array.of(10, 20, 30, 40, 0, 0, 100, 100);
    const e = Float32Array.of(1, 1, 2, 0, 1, -1, 0, 3);
    const out = temporalAttentionAggregate(x, e, { frames: 2, rois: 1, channels: 4, points: 1 }, 2);
    const w0 = 1 / (1 + Math.exp(-2 / Math.SQRT2));
    const w1 = 1 / (1 + Math.exp(-4 / Math.SQRT2));
    expect(out[0]).toBeCloseTo(10 * w0, 5);
    expect(out[1]).toBeCloseTo(20 * w0, 5);
    expect(out[2]).toBeCloseTo(30 * w1 + 100 * (1 - w1), 4);
    expect(out[3]).toBeCloseTo(40 * w1 + 100 * (1 - w1), 4);
  });

  it('with no blocks, the mean of the frames', () => {
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    expect(Array.from(temporalAttentionAggregate(x, null, { frames: 3, rois: 1, channels: 2, points: 1 }, 0))).toEqual([3, 4]);
  });

  it('RoIs and points are independent; identical frames give the frame back', () => {
    const frame = Float32Array.of(1, -2, 3, 4, 5, 6, -7, 8);
    const x = new Float32Array(16);
    x.set(frame);
    x.set(frame, 8);
    const e = Float32Array.from(x, (v, i) => v * (i % 3));
    const out = temporalAttentionAggregate(x, e, { frames: 2, rois: 2, channels: 2, points: 2 }, 1);
    Array.from(out).forEach((v, i) => expect(v).toBeCloseTo(frame[i]!, 5));
  });

  it('refuses mismatched sizes and channels that do not split into the blocks', () => {
    const shape = { frames: 2, rois: 1, channels: 3, points: 1 };
    expect(() => temporalAttentionAggregate(new Float32Array(5), null, shape, 0)).toThrow('5 values for 2x1x3x1');
    expect(() => temporalAttentionAggregate(new Float32Array(6), new Float32Array(4), shape, 1)).toThrow('embeddings of 4 values for RoI features of 6');
    expect(() => temporalAttentionAggregate(new Float32Array(6), new Float32Array(6), shape, 2)).toThrow('3 channels do not split into 2 blocks');
  });
});
