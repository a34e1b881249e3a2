import { describe, expect, it } from 'vitest';
import { firstFrameStillRead, framesToRead, vidFrameReads } from './frame-reads.ts';

describe('the frames a VID method reads besides the one it detects', () => {
  it("FGFA: its window, clamped at both ends of the video; what later windows still need", () => {
    const reads = vidFrameReads({ method: 'FGFA', motion: {} as never, frameRange: [-2, 2], stride: 1 })!;
    expect(framesToRead(reads, 0, 7, false)).toEqual([1, 2]);
    expect(framesToRead(reads, 3, 7, false)).toEqual([1, 2, 4, 5]);
    expect(framesToRead(reads, 6, 7, false)).toEqual([4, 5]);
    // After frame 3, frame 4's window starts at 2: frames before 2 can go.
    expect(firstFrameStillRead(reads, 3)).toBe(2);
  });

  it("SELSA: MMTracking's adaptive-stride references, once per video", () => {
    const reads = vidFrameReads({ method: 'SELSA', sampler: 'test_with_adaptive_stride', numRefImgs: 5 })!;
    expect(framesToRead(reads, 0, 7, false)).toEqual([2, 3, 4, 6]);
    expect(framesToRead(reads, 4, 7, false)).toEqual([0, 2, 3, 6]);
    expect(framesToRead(reads, 4, 7, true)).toEqual([]);
    expect(firstFrameStillRead(reads, 4)).toBe(Number.POSITIVE_INFINITY);
  });

  it('SELSA with the fixed stride (the causal mode, frame_range [-3, 0]): the frames before it, none ahead', () => {
    const reads = vidFrameReads({ method: 'SELSA', sampler: 'test_with_fix_stride', frameRange: [-3, 0], stride: 2 })!;
    expect(reads).toEqual({ kind: 'window', frameRange: [-3, 0], stride: 2 });
    expect(framesToRead(reads, 0, 20, false)).toEqual([]);
    expect(framesToRead(reads, 9, 20, false)).toEqual([2, 4, 6, 8]);
    expect(firstFrameStillRead(reads, 9)).toBe(4);
  });

  it('DFF reads nothing besides its key frame', () => {
    expect(vidFrameReads({ method: 'DFF', keyFrameInterval: 10, motion: {} as never })).toBeNull();
  });
});
