// Detections written as `mmtrack detect` writes them, made from the shared MOTChallenge-style ground truth, for the
// tests of the commands that track cached detections (search-params, compare).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMotGt } from '../core/datasets/mot-challenge.ts';
import { seededRandom } from '../core/ops/seeded-random.ts';

export const MOT_GT_ROOT = fileURLToPath(new URL('../../../shared/eval/mot/gt/mot_challenge', import.meta.url));
export const MOT_GT_SEQS = ['MOT17-02-SYN', 'MOT17-03-SYN', 'MOT17-04-SYN'];

/** DETS/SEQ.json: every pedestrian gt box (class 1, not zero-marked), 10 % missed, jittered, scores 0.3-0.9. */
export function detsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmtrack-mot-dets-'));
  const rand = seededRandom(11);
  for (const seq of MOT_GT_SEQS) {
    const path = join(MOT_GT_ROOT, 'MOT17-train', seq, 'gt', 'gt.txt');
    const gt = parseMotGt(readFileSync(path, 'utf8'), path).value;
    const dets = [];
    for (let i = 0; i < gt.count; i++) {
      if (gt.cls[i] !== 1 || gt.conf[i] === 0 || rand() < 0.1) continue;
      const [x, y, w, h] = Array.from(gt.boxes.subarray(i * 4, i * 4 + 4), (v) => v + (rand() - 0.5) * 4);
      dets.push({ image_id: gt.frame[i], bbox: [x, y, w, h], category_id: 1, score: 0.3 + 0.6 * rand() });
    }
    writeFileSync(join(dir, `${seq}.json`), JSON.stringify(dets));
  }
  return dir;
}
