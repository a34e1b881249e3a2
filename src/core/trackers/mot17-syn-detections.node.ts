// Detections made from the shared MOT17-like ground truth (../shared/eval/mot), for the tracker tests and the
// OC-SORT reference fixture (scripts/fixtures/ocsort_reference.py reads what write-mot17-syn-detections.ts writes).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type MotRows, parseMotGt, parseSeqInfo } from '../datasets/mot-challenge.ts';
import { seededRandom } from '../ops/seeded-random.ts';
import type { Detections } from '../structures/detections.ts';

const root = fileURLToPath(new URL('../../../../shared/eval/mot/gt/mot_challenge/MOT17-train/', import.meta.url));
export const SYN_SEQS = ['MOT17-02-SYN', 'MOT17-03-SYN', 'MOT17-04-SYN'];

export function loadSynSequence(seq: string): { gt: MotRows; seqLength: number } {
  const gt = parseMotGt(readFileSync(`${root}${seq}/gt/gt.txt`, 'utf8'), `${seq}/gt/gt.txt`).value;
  const info = parseSeqInfo(readFileSync(`${root}${seq}/seqinfo.ini`, 'utf8'), `${seq}/seqinfo.ini`);
  return { gt, seqLength: info.seqLength };
}

/**
 * Detections per frame (1-based frames → index frame − 1) from pedestrian gt rows that are not zero-marked; a
 * fraction `lowRate` of them get a low score (0.3-0.5), the others 0.75-1. With `occlusion` (a per-row chance), an
 * object's detections also vanish for 2-7 frames at a time, from a second random stream (the rest stays the same).
 */
export function detectionsFrom(gt: MotRows, seqLength: number, seed: number, lowRate: number, occlusion = 0): Detections[] {
  const rand = seededRandom(seed);
  const gaps = seededRandom(seed + 1000);
  const hiddenUntil = new Map<number, number>();
  const perFrame: { boxes: number[]; scores: number[] }[] = Array.from({ length: seqLength }, () => ({ boxes: [], scores: [] }));
  for (let i = 0; i < gt.count; i++) {
    if (gt.cls[i] !== 1 || gt.conf[i] === 0) continue;
    const [x, y, w, h] = [gt.boxes[4 * i]!, gt.boxes[4 * i + 1]!, gt.boxes[4 * i + 2]!, gt.boxes[4 * i + 3]!];
    const j = () => (rand() - 0.5) * 0.04 * w;
    const f = perFrame[gt.frame[i]! - 1]!;
    const box = [x + j(), y + j(), x + w + j(), y + h + j()];
    const score = rand() < lowRate ? 0.3 + 0.2 * rand() : 0.75 + 0.25 * rand();
    if (occlusion > 0) {
      const id = gt.id[i]!;
      if ((hiddenUntil.get(id) ?? 0) >= gt.frame[i]!) continue;
      if (gaps() < occlusion) {
        hiddenUntil.set(id, gt.frame[i]! + 1 + Math.floor(gaps() * 6));
        continue;
      }
    }
    f.boxes.push(...box);
    f.scores.push(score);
  }
  return perFrame.map((f) => ({ boxes: Float32Array.from(f.boxes), scores: Float32Array.from(f.scores), labels: new Int32Array(f.scores.length) }));
}

/**
 * The OC-SORT reference check's input, as JSON text (float32 boxes written exactly): the three sequences with 15 %
 * low scores and occlusion gaps, so that OCR and the re-update run. Its sha256 is recorded in the fixture.
 */
export function ocsortDetectionsJson(): string {
  const sequences: Record<string, number[][][]> = {};
  SYN_SEQS.forEach((seq, s) => {
    const { gt, seqLength } = loadSynSequence(seq);
    sequences[seq] = detectionsFrom(gt, seqLength, s + 11, 0.15, 0.02).map((d) => Array.from(d.scores, (score, i) => [...d.boxes.subarray(4 * i, 4 * i + 4), score]));
  });
  return `${JSON.stringify({ sequences })}\n`;
}
