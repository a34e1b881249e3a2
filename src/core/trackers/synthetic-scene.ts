/**
 * Synthetic detections of objects moving in straight lines (bouncing off the frame edges), for tracker tests and
 * benchmarks: the true object behind every detection is known. Seeded, so a scene is reproducible.
 */
import { seededRandom } from '../ops/seeded-random.ts';
import type { Detections } from '../structures/detections.ts';

export interface SyntheticSceneOptions {
  seed: number;
  numFrames: number;
  numObjects: number;
  /** Frame size in pixels (default 1920 x 1080). */
  width?: number;
  height?: number;
  /** Box height range in pixels (default [40, 120]); width = 0.4 · height. */
  boxHeight?: [number, number];
  /** Largest speed in pixels per frame, per axis (default 4). */
  maxSpeed?: number;
  /** Largest change of box height in pixels per frame (objects approaching or leaving; default 0). */
  maxGrowth?: number;
  /** Standard deviation of the detection jitter in pixels (default 1). */
  positionNoise?: number;
  /** Probability that an object is not detected in a frame (default 0). */
  missRate?: number;
  /** Probability that a detection gets a low score in [0.15, 0.55) instead of [0.65, 1) (default 0). */
  lowScoreRate?: number;
  /** About this many false positives per frame (default 0). */
  falsePositives?: number;
  /** Number of classes; each object keeps one (default 1). */
  numLabels?: number;
}

export interface SyntheticFrame {
  detections: Detections;
  /** `[n]` the object behind each detection, -1 for a false positive. */
  objectIds: Int32Array;
}

export function syntheticScene(options: SyntheticSceneOptions): SyntheticFrame[] {
  const { seed, numFrames, numObjects } = options;
  const width = options.width ?? 1920;
  const height = options.height ?? 1080;
  const [hMin, hMax] = options.boxHeight ?? [40, 120];
  const maxSpeed = options.maxSpeed ?? 4;
  const noise = options.positionNoise ?? 1;
  const maxGrowth = options.maxGrowth ?? 0;
  const missRate = options.missRate ?? 0;
  const lowScoreRate = options.lowScoreRate ?? 0;
  const falsePositives = options.falsePositives ?? 0;
  const numLabels = options.numLabels ?? 1;
  const rand = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const objects = Array.from({ length: numObjects }, () => {
    const h = hMin + (hMax - hMin) * rand();
    const w = 0.4 * h;
    return {
      x: (width - w) * rand(),
      y: (height - h) * rand(),
      w,
      h,
      vx: maxSpeed * (2 * rand() - 1),
      vy: maxSpeed * (2 * rand() - 1),
      vh: maxGrowth * (2 * rand() - 1),
      label: Math.floor(rand() * numLabels),
    };
  });
  const frames: SyntheticFrame[] = [];
  for (let f = 0; f < numFrames; f++) {
    const rows: { box: number[]; score: number; label: number; object: number }[] = [];
    const score = () => (rand() < lowScoreRate ? 0.15 + 0.4 * rand() : 0.65 + 0.35 * rand());
    for (const [i, o] of objects.entries()) {
      if (f > 0) {
        o.x += o.vx;
        o.y += o.vy;
        if (o.x < 0 || o.x + o.w > width) o.vx = -o.vx;
        if (o.y < 0 || o.y + o.h > height) o.vy = -o.vy;
        o.h += o.vh;
        o.w = 0.4 * o.h;
        if (o.h < hMin / 2 || o.h > 1.5 * hMax) o.vh = -o.vh;
      }
      if (rand() < missRate) continue;
      const x = o.x + noise * gauss();
      const y = o.y + noise * gauss();
      const s = 1 + (noise / o.h) * gauss();
      rows.push({ box: [x, y, x + o.w * s, y + o.h * s], score: score(), label: o.label, object: i });
    }
    let fp = falsePositives;
    while (rand() < fp) {
      fp -= 1;
      const h = hMin + (hMax - hMin) * rand();
      const x = (width - 0.4 * h) * rand();
      const y = (height - h) * rand();
      rows.push({ box: [x, y, x + 0.4 * h, y + h], score: score(), label: Math.floor(rand() * numLabels), object: -1 });
    }
    // Detector output order carries no identity.
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    frames.push({
      detections: {
        boxes: Float32Array.from(rows.flatMap((r) => r.box)),
        scores: Float32Array.from(rows, (r) => r.score),
        labels: Int32Array.from(rows, (r) => r.label),
      },
      objectIds: Int32Array.from(rows, (r) => r.object),
    });
  }
  return frames;
}
