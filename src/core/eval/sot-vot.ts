import { VOT_FAILURE, VOT_INIT, VOT_UNKNOWN, type VotRegion } from '../datasets/sot.ts';
import { votRegionOverlap } from './vot-region-overlap.ts';

const f32 = Math.fround;

/** One VOT sequence: gt regions, the tracker's supervised-protocol trajectory, and the frame size. */
export interface VotSequenceData {
  name?: string;
  gt: readonly VotRegion[];
  /** Per frame a region or a code: 1 (re)initialised, 2 failure, 0 skipped. Frame 0 must be 1. */
  pred: readonly VotRegion[];
  /** `[width, height]`: overlaps are computed inside the frame (MMTracking passes the image size). */
  frameSize?: readonly [number, number];
}

/** VOT2018's EAO interval (MMTracking `VOTDataset.INTERVAL`). */
export const VOT_INTERVALS: Record<string, [number, number]> = {
  vot2018: [100, 356],
  vot2019: [46, 291],
  vot2020: [115, 755],
  vot2021: [115, 755],
};

function checkSequence(s: VotSequenceData, k: number): void {
  const name = s.name ?? `sequence ${k}`;
  if (s.gt.length !== s.pred.length) throw new Error(`${name}: ${s.pred.length} result lines for ${s.gt.length} ground-truth frames`);
  const first = s.pred[0];
  if (!first || first.kind !== 'special' || first.code !== VOT_INIT) throw new Error(`${name}: the first result line must be 1 (initialisation), as the VOT supervised protocol writes it`);
}

function overlapsOf(s: VotSequenceData): number[] {
  return s.pred.map((p, i) => votRegionOverlap(p, s.gt[i]!, s.frameSize));
}

export interface VotEaoResult {
  eao: number;
  /** `[maxLength]` expected average overlap curve over fragment length. */
  curve: Float64Array;
}

/**
 * Expected average overlap, as MMTracking's `eval_sot_eao`
 * (https://github.com/open-mmlab/mmtracking/blob/v0.8.0/mmtrack/core/evaluation/eval_sot_vot.py): each run from an
 * initialisation to the next failure (or to the end) is a fragment; the curve at length L averages, over the
 * fragments, the mean overlap of frames 1..L (failed fragments count as 0 past their end, successful ones stop
 * counting); EAO is the curve's mean over `interval` (inclusive). Overlaps are float32 as in the reference; sums
 * here are float64 (differences ~1e-7).
 */
export function evalVotEao(sequences: readonly VotSequenceData[], interval: readonly [number, number] = VOT_INTERVALS.vot2018!): VotEaoResult {
  const runs: { o: number[]; success: boolean }[] = [];
  sequences.forEach((s, k) => {
    checkSequence(s, k);
    const overlaps = overlapsOf(s);
    const fails: number[] = [];
    const inits: number[] = [];
    s.pred.forEach((p, i) => {
      if (p.kind === 'special' && p.code === VOT_INIT) inits.push(i);
      else if (p.kind === 'special' && p.code === VOT_FAILURE) fails.push(i);
    });
    if (fails.length > 0) {
      for (let i = 0; i < fails.length; i++) runs.push({ o: overlaps.slice(inits[i] ?? 0, fails[i]), success: false });
      if (inits.length > fails.length) runs.push({ o: overlaps.slice(inits[inits.length - 1]), success: true });
    } else runs.push({ o: overlaps, success: true });
  });
  const maxLength = Math.max(0, ...runs.map((r) => r.o.length));
  const sum = new Float64Array(maxLength);
  const weight = new Float64Array(maxLength);
  for (const { o, success } of runs) {
    const len = o.length;
    // Prefix sums of frames 1..j (frame 0 is the initialisation frame).
    let prefix = 0;
    for (let j = 0; j < maxLength; j++) {
      if (success && j >= len) break;
      let v: number;
      if (j === 0) v = len > 0 ? f32(o[0]!) : 0;
      else {
        if (j < len) prefix += f32(o[j]!);
        v = prefix / j;
      }
      sum[j] = sum[j]! + v;
      weight[j] = weight[j]! + 1;
    }
  }
  const curve = Float64Array.from(sum, (s, j) => s / weight[j]!);
  const lo = Math.max(0, interval[0]);
  const hi = Math.min(curve.length, interval[1] + 1);
  let total = 0;
  for (let j = lo; j < hi; j++) total += curve[j]!;
  return { eao: hi > lo ? total / (hi - lo) : NaN, curve };
}

/**
 * Accuracy (mean overlap of tracked frames, skipping `burnin` frames after each (re)initialisation, failures and,
 * with `ignoreUnknown`, skipped frames; averaged over sequences weighted by length) and robustness
 * (failures / frames × 100), as MMTracking's `eval_sot_accuracy_robustness`.
 */
export function evalVotAccuracyRobustness(sequences: readonly VotSequenceData[], options: { burnin?: number; ignoreUnknown?: boolean } = {}): { accuracy: number; robustness: number; num_fails: number } {
  const burnin = options.burnin ?? 10;
  const ignoreUnknown = options.ignoreUnknown ?? true;
  let accuracy = 0;
  let numFails = 0;
  let weight = 0;
  sequences.forEach((s, k) => {
    checkSequence(s, k);
    const overlaps = overlapsOf(s);
    const mask = new Uint8Array(overlaps.length).fill(1);
    s.pred.forEach((p, i) => {
      if (p.kind !== 'special') return;
      if (p.code === VOT_UNKNOWN && ignoreUnknown) mask[i] = 0;
      else if (p.code === VOT_INIT) mask.fill(0, i, Math.min(overlaps.length, i + burnin));
      else if (p.code === VOT_FAILURE) {
        mask[i] = 0;
        numFails++;
      }
    });
    let sum = 0;
    let n = 0;
    for (let i = 0; i < overlaps.length; i++) {
      if (mask[i]) {
        sum += overlaps[i]!;
        n++;
      }
    }
    accuracy += (n > 0 ? sum / n : 0) * s.pred.length;
    weight += s.pred.length;
  });
  return { accuracy: accuracy / weight, robustness: (numFails / weight) * 100, num_fails: numFails };
}
