/**
 * The trackers in the project's MOT pipeline: the shared MOT17-like ground truth (../shared/eval/mot) turned into
 * detections (jittered boxes, some with low scores, zero-marked rows and other classes left out),
 * tracked, written as MOTChallenge rows and scored by the project's TrackEval port. With near-perfect detections a
 * tracker must give near-perfect identities; a tracker that mixes ids up cannot pass.
 */
import { describe, expect, it } from 'vitest';
import { parseMotTracker, writeMotTracker } from '../datasets/mot-challenge.ts';
import { evalMot, motSummaryRow } from '../eval/eval-mot.ts';
import type { Detections } from '../structures/detections.ts';
import { detectionsFrom, loadSynSequence, SYN_SEQS } from './mot17-syn-detections.node.ts';
import { IdCounter } from './id-counter.ts';
import type { MotTracker } from './tracker.ts';
import { buildTracker } from '../models/mot/mot-registry.ts';

/** Runs a tracker over a sequence and writes MOTChallenge text (frame, id, x, y, w, h, score), ids from 1. */
function trackToMotText(tracker: MotTracker, frames: Detections[]): string {
  const rows = { frame: [] as number[], id: [] as number[], boxes: [] as number[], conf: [] as number[] };
  frames.forEach((d, k) => {
    const out = tracker.update(d, { frameId: k }) as Detections;
    for (let i = 0; i < out.scores.length; i++) {
      const b = out.boxes.subarray(4 * i, 4 * i + 4);
      rows.frame.push(k + 1);
      rows.id.push(out.ids![i]!);
      rows.boxes.push(b[0]!, b[1]!, b[2]! - b[0]!, b[3]! - b[1]!);
      rows.conf.push(out.scores[i]!);
    }
  });
  const n = rows.frame.length;
  return writeMotTracker({
    count: n,
    frame: Int32Array.from(rows.frame),
    id: Int32Array.from(rows.id),
    boxes: Float64Array.from(rows.boxes),
    conf: Float64Array.from(rows.conf),
    cls: new Int32Array(n).fill(1),
    visibility: new Float64Array(n).fill(1),
  });
}

function evaluate(make: () => MotTracker, lowRate: number): Record<string, number> {
  const inputs = SYN_SEQS.map((seq, s) => {
    const { gt, seqLength } = loadSynSequence(seq);
    const text = trackToMotText(make(), detectionsFrom(gt, seqLength, s + 1, lowRate));
    return { name: seq, gt, tracker: parseMotTracker(text, `${seq}.txt`).value, seqLength };
  });
  return motSummaryRow(evalMot(inputs).combined);
}

describe('trackers on the shared MOT17-like sequences, scored by the project’s TrackEval port', () => {
  // ByteTrack's few switches are MMTracking's rule: a tentative track whose next detection has a low score is
  // dropped (tentative tracks only take high-score detections), and the object restarts under a new id.
  it('ByteTrack: near-perfect detections (15 % with low scores) give near-perfect identities', () => {
    const m = evaluate(() => buildTracker('ByteTracker', { num_frames_retain: 30 }, { idCounter: new IdCounter(1) }), 0.15);
    expect(m.IDF1).toBeGreaterThan(0.95);
    expect(m.MOTA).toBeGreaterThan(0.95);
  });

  it('OC-SORT (MMTracking\'s config values): near-perfect detections (15 % with low scores) give near-perfect identities', () => {
    const m = evaluate(() => buildTracker('OCSORTTracker', { num_frames_retain: 30 }, { idCounter: new IdCounter(1) }), 0.15);
    expect(m.IDF1).toBeGreaterThan(0.95);
    expect(m.MOTA).toBeGreaterThan(0.95);
  });

  it('SORT: near-perfect detections give near-perfect identities', () => {
    const m = evaluate(() => buildTracker('SortTracker', { obj_score_thr: 0.5, match_iou_thr: 0.5, reid: null }, { idCounter: new IdCounter(1) }), 0);
    expect(m.IDF1).toBeGreaterThan(0.95);
    expect(m.MOTA).toBeGreaterThan(0.95);
  });
});
