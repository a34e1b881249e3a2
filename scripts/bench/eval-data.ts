// Synthetic benchmark inputs for the evaluation benches: a MOT17-train-sized MOTChallenge folder with a flawed
// tracker, and LaSOT-sized SOT sequences. Deterministic (seeded) so runs compare.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../../src/core/ops/seeded-random.ts';

/** The project's seeded PRNG (mulberry32), under the name the benches use. */
export const seeded = seededRandom;

/** MOT17 train: 7 sequences, 5 316 frames. */
const MOT17_TRAIN = [
  { name: 'MOT17-02-SYN', frames: 600, density: 31 },
  { name: 'MOT17-04-SYN', frames: 1050, density: 45 },
  { name: 'MOT17-05-SYN', frames: 837, density: 8 },
  { name: 'MOT17-09-SYN', frames: 525, density: 10 },
  { name: 'MOT17-10-SYN', frames: 654, density: 19 },
  { name: 'MOT17-11-SYN', frames: 900, density: 10 },
  { name: 'MOT17-13-SYN', frames: 750, density: 15 },
];

export interface MotBenchFolder {
  gtRoot: string;
  /** TrackEval's trackers folder: `TRACKERS_FOLDER/MOT17-train/bench/data/SEQ.txt`. */
  trackersRoot: string;
  trackerName: string;
  /** The folder of `SEQ.txt` files (what `mmtrack eval mot --results` reads). */
  resultsRoot: string;
  frames: number;
  gtBoxes: number;
  trackerBoxes: number;
}

/**
 * Writes `dir/gt/MOT17-train/SEQ/{gt/gt.txt,seqinfo.ini}`, `dir/gt/seqmaps/MOT17-train.txt` and
 * `dir/trackers/MOT17-train/bench/data/SEQ.txt`: TrackEval's MOTChallenge layout, which `mmtrack eval mot` also reads.
 * GT: walking pedestrians plus zero-marked and distractor-class boxes; tracker: misses in runs, jitter, identity
 * switches, fragments and false positives.
 */
export function writeMotBenchFolder(dir: string, seed = 1): MotBenchFolder {
  const rand = seeded(seed);
  const gtRoot = path.join(dir, 'gt');
  const trackersRoot = path.join(dir, 'trackers');
  const trackerName = 'bench';
  const resultsRoot = path.join(trackersRoot, 'MOT17-train', trackerName, 'data');
  mkdirSync(path.join(gtRoot, 'seqmaps'), { recursive: true });
  mkdirSync(resultsRoot, { recursive: true });
  writeFileSync(path.join(gtRoot, 'seqmaps', 'MOT17-train.txt'), `name\n${MOT17_TRAIN.map((s) => s.name).join('\n')}\n`);
  let frames = 0;
  let gtBoxes = 0;
  let trackerBoxes = 0;
  for (const seq of MOT17_TRAIN) {
    frames += seq.frames;
    const W = 1920;
    const H = 1080;
    const gtLines: string[] = [];
    const trLines: string[] = [];
    let nextTrackerId = 1;
    let gtId = 0;
    // Tracks with lifetimes of 40..400 frames until the sequence holds `density` boxes per frame on average.
    let budget = seq.density * seq.frames;
    while (budget > 0) {
      gtId++;
      const len = Math.min(seq.frames, 40 + Math.floor(rand() * 360));
      const start = 1 + Math.floor(rand() * (seq.frames - len + 1));
      budget -= len;
      const h0 = 60 + rand() * 240;
      const w0 = h0 * (0.35 + rand() * 0.15);
      let x = rand() * (W - w0);
      let y = rand() * (H - h0);
      const vx = (rand() - 0.5) * 4;
      const vy = (rand() - 0.5) * 1;
      const r = rand();
      const cls = r < 0.88 ? 1 : r < 0.93 ? [2, 7, 8, 12][Math.floor(rand() * 4)]! : r < 0.97 ? 1 : 3;
      const conf = r >= 0.93 && r < 0.97 ? 0 : cls === 3 ? 0 : 1;
      // Tracker side: one id per fragment; an identity switch starts a new id.
      let trId = nextTrackerId++;
      let detecting = rand() < 0.9;
      for (let f = start; f < start + len; f++) {
        x += vx + (rand() - 0.5) * 2;
        y += vy + (rand() - 0.5) * 1;
        const vis = Math.max(0, Math.min(1, 0.3 + rand() * 0.8));
        gtLines.push(`${f},${gtId},${x.toFixed(2)},${y.toFixed(2)},${w0.toFixed(2)},${h0.toFixed(2)},${conf},${cls},${vis.toFixed(5)}`);
        gtBoxes++;
        if (cls === 3) continue;
        if (rand() < (detecting ? 0.03 : 0.15)) detecting = !detecting;
        if (!detecting) continue;
        if (rand() < 0.004) trId = nextTrackerId++;
        const j = 0.08;
        const tw = w0 * (1 + (rand() - 0.5) * j);
        const th = h0 * (1 + (rand() - 0.5) * j);
        const tx = x + (rand() - 0.5) * j * w0;
        const ty = y + (rand() - 0.5) * j * h0;
        trLines.push(`${f},${trId + 100000},${tx.toFixed(2)},${ty.toFixed(2)},${tw.toFixed(2)},${th.toFixed(2)},${(0.3 + rand() * 0.7).toFixed(4)},-1,-1,-1`);
        trackerBoxes++;
      }
    }
    // False positives: short-lived ghost tracks.
    const ghosts = Math.floor(seq.frames * seq.density * 0.01);
    for (let g = 0; g < ghosts; g++) {
      const len = 1 + Math.floor(rand() * 15);
      const start = 1 + Math.floor(rand() * (seq.frames - len + 1));
      const id = nextTrackerId++ + 100000;
      const x = rand() * (W - 100);
      const y = rand() * (H - 200);
      for (let f = start; f < start + len; f++) {
        trLines.push(`${f},${id},${x.toFixed(2)},${y.toFixed(2)},50.00,120.00,0.3000,-1,-1,-1`);
        trackerBoxes++;
      }
    }
    const seqDir = path.join(gtRoot, 'MOT17-train', seq.name);
    mkdirSync(path.join(seqDir, 'gt'), { recursive: true });
    writeFileSync(path.join(seqDir, 'seqinfo.ini'), `[Sequence]\nname=${seq.name}\nimDir=img1\nframeRate=30\nseqLength=${seq.frames}\nimWidth=${W}\nimHeight=${H}\nimExt=.jpg\n`);
    // MOTChallenge files are sorted by id then frame for gt, by frame for results.
    writeFileSync(path.join(seqDir, 'gt', 'gt.txt'), `${gtLines.join('\n')}\n`);
    trLines.sort((a, b) => Number(a.slice(0, a.indexOf(','))) - Number(b.slice(0, b.indexOf(','))));
    writeFileSync(path.join(resultsRoot, `${seq.name}.txt`), `${trLines.join('\n')}\n`);
  }
  return { gtRoot, trackersRoot, trackerName, resultsRoot, frames, gtBoxes, trackerBoxes };
}

/**
 * Writes `dir/gt/SEQ/groundtruth.txt` and `dir/results/SEQ.txt` for `count` LaSOT-sized sequences (LaSOT test:
 * 280 sequences, ~2 450 frames on average): a target drifting across a 1280x720 frame, a tracker that follows it
 * with noise, drifts and occasionally loses it.
 */
export function writeSotBenchFolder(dir: string, count = 280, seed = 2): { gtRoot: string; resultsRoot: string; frames: number } {
  const rand = seeded(seed);
  const gtRoot = path.join(dir, 'gt');
  const resultsRoot = path.join(dir, 'results');
  mkdirSync(resultsRoot, { recursive: true });
  let frames = 0;
  for (let s = 0; s < count; s++) {
    const n = 1000 + Math.floor(rand() * 2900);
    frames += n;
    let x = 200 + rand() * 800;
    let y = 100 + rand() * 400;
    let w = 40 + rand() * 200;
    let h = 40 + rand() * 200;
    let dx = 0;
    let dy = 0;
    const gt: string[] = [];
    const res: string[] = [];
    for (let i = 0; i < n; i++) {
      x += (rand() - 0.5) * 6;
      y += (rand() - 0.5) * 4;
      w = Math.max(10, w * (1 + (rand() - 0.5) * 0.02));
      h = Math.max(10, h * (1 + (rand() - 0.5) * 0.02));
      gt.push(rand() < 0.01 ? 'NaN,NaN,NaN,NaN' : `${x.toFixed(2)},${y.toFixed(2)},${w.toFixed(2)},${h.toFixed(2)}`);
      if (rand() < 0.02) {
        dx = (rand() - 0.5) * 200;
        dy = (rand() - 0.5) * 120;
      }
      dx *= 0.97;
      dy *= 0.97;
      res.push(`${(x + dx + (rand() - 0.5) * 8).toFixed(2)},${(y + dy + (rand() - 0.5) * 8).toFixed(2)},${(w * (0.9 + rand() * 0.2)).toFixed(2)},${(h * (0.9 + rand() * 0.2)).toFixed(2)}`);
    }
    const name = `seq-${String(s).padStart(3, '0')}`;
    mkdirSync(path.join(gtRoot, name), { recursive: true });
    writeFileSync(path.join(gtRoot, name, 'groundtruth.txt'), `${gt.join('\n')}\n`);
    writeFileSync(path.join(resultsRoot, `${name}.txt`), `${res.join('\n')}\n`);
  }
  return { gtRoot, resultsRoot, frames };
}
