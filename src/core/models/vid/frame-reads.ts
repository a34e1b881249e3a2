/**
 * Which frames a VID method reads besides the one it detects, for a caller that hands frames over one by one (the
 * app's inference worker gets them from the player): FGFA's `test_with_fix_stride` window (SELSA's and Temporal RoI
 * Align's too with that sampler), SELSA's `test_with_adaptive_stride` references, read once at the video's first
 * detected frame. DFF reads its key
 * frame, which its caller runs first instead.
 */
import { fixStrideWindowIds } from './fgfa.ts';
import { adaptiveStrideReferences } from './selsa.ts';
import type { VidSettings } from './vid-config.ts';

export type VidFrameReads = { kind: 'window'; frameRange: [number, number]; stride: number } | { kind: 'references'; numRefImgs: number };

/** What a method reads, from its settings (DFF: nothing besides its key frame). */
export function vidFrameReads(s: VidSettings): VidFrameReads | null {
  if (s.method === 'FGFA') return { kind: 'window', frameRange: s.frameRange, stride: s.stride };
  if (s.method === 'SELSA') return s.sampler === 'test_with_fix_stride' ? { kind: 'window', frameRange: s.frameRange, stride: s.stride } : { kind: 'references', numRefImgs: s.numRefImgs };
  return null;
}

/**
 * The frames detecting frame `index` of a video of `frameCount` frames reads, itself excluded, ascending:
 * FGFA's window (clamped to the video); SELSA's references when they are not computed yet (`referencesKept` false).
 */
export function framesToRead(reads: VidFrameReads, index: number, frameCount: number, referencesKept: boolean): number[] {
  const ids = reads.kind === 'window' ? fixStrideWindowIds(index, reads, frameCount - 1) : referencesKept ? [] : adaptiveStrideReferences(frameCount, reads.numRefImgs);
  return [...new Set(ids)].filter((i) => i !== index).sort((a, b) => a - b);
}

/** The frames a caller can let go of after frame `index`: FGFA's windows from `index` on start at or after the result. */
export function firstFrameStillRead(reads: VidFrameReads, index: number): number {
  return reads.kind === 'window' ? fixStrideWindowIds(index + 1, reads, null)[0]! : Number.POSITIVE_INFINITY;
}
