// Tracker update time per frame (SORT, DeepSORT, ByteTrack) for 10, 100 and 1 000 detections per frame, on
// synthetic scenes of objects moving in straight lines (src/core/trackers/synthetic-scene.ts): 5 % misses,
// 20 % low scores, a few false positives. The time is `tracker.update(detections)` alone, after warm-up frames
// (tracks established, JIT warm); DeepSORT's embeddings (128-d, as MMTracking's ReID head) are given, not computed.
// Each case runs 3 times with a fresh tracker; the table shows the run with the lowest median (the machine is
// shared, so slower runs measure the neighbours), and the load average when the benchmark started.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Detections } from '../../src/core/structures/detections.ts';
import { syntheticScene } from '../../src/core/trackers/synthetic-scene.ts';
import type { Embeddings, MotTracker, TrackerFrame } from '../../src/core/trackers/tracker.ts';
import { seededRandom } from '../../src/core/ops/seeded-random.ts';
import { buildTracker } from '../../src/core/models/mot/mot-registry.ts';

interface Case {
  name: string;
  make: () => MotTracker;
  reid: boolean;
}
const cases: Case[] = [
  { name: 'SORT (SortTracker, reid=None)', make: () => buildTracker('SortTracker', { obj_score_thr: 0.5, match_iou_thr: 0.5, reid: null }), reid: false },
  { name: 'DeepSORT (SortTracker + 128-d reid)', make: () => buildTracker('SortTracker', { obj_score_thr: 0.5, match_iou_thr: 0.5, num_frames_retain: 100, reid: { num_samples: 10, img_scale: [256, 128], img_norm_cfg: null, match_score_thr: 2.0 } }), reid: true },
  { name: 'ByteTrack (ByteTracker)', make: () => buildTracker('ByteTracker', { num_frames_retain: 30 }), reid: false },
];
const sizes = [10, 100, 1000];

function embeddingsFor(frames: { detections: Detections; objectIds: Int32Array }[], dim: number): Embeddings[] {
  const rand = seededRandom(9);
  const objects = new Map<number, Float32Array>();
  const unit = () => {
    const v = Float32Array.from({ length: dim }, () => rand() - 0.5);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  return frames.map((f) => {
    const data = new Float32Array(f.objectIds.length * dim);
    f.objectIds.forEach((o, i) => {
      if (o >= 0 && !objects.has(o)) objects.set(o, unit());
      const base = o >= 0 ? objects.get(o)! : unit();
      for (let k = 0; k < dim; k++) data[i * dim + k] = base[k]! + 0.05 * (rand() - 0.5);
    });
    return { data, dim };
  });
}

const load = loadavg().map((l) => l.toFixed(1)).join(' ');
const rows: string[][] = [['tracker', 'detections / frame', 'ms / frame (median)', 'p95 ms', 'frames/s', 'frames timed']];
for (const n of sizes) {
  const warmup = 10;
  const timed = n >= 1000 ? 40 : n >= 100 ? 150 : 400;
  const frames = syntheticScene({
    seed: n,
    numFrames: warmup + timed,
    numObjects: n,
    boxHeight: n >= 1000 ? [16, 40] : [40, 120],
    maxSpeed: 3,
    positionNoise: 1,
    missRate: 0.05,
    lowScoreRate: 0.2,
    falsePositives: n / 50,
  });
  const embeds = embeddingsFor(frames, 128);
  for (const c of cases) {
    let best: { median: number; p95: number; mean: number; count: number } | undefined;
    for (let rep = 0; rep < 3; rep++) {
      const tracker = c.make();
      const times: number[] = [];
      frames.forEach((f, k) => {
        const frame: TrackerFrame = c.reid ? { embeddings: embeds[k]! } : {};
        const t0 = performance.now();
        void tracker.update(f.detections, frame);
        const dt = performance.now() - t0;
        if (k >= warmup) times.push(dt);
      });
      times.sort((a, b) => a - b);
      const run = {
        median: times[Math.floor(times.length / 2)]!,
        p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!,
        mean: times.reduce((s, t) => s + t, 0) / times.length,
        count: times.length,
      };
      if (!best || run.median < best.median) best = run;
    }
    rows.push([c.name, String(n), best!.median.toFixed(3), best!.p95.toFixed(3), (1000 / best!.mean).toFixed(0), String(best!.count)]);
  }
}

const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
const line = (r: string[]) => `| ${r.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`;
console.log(line(rows[0]!));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows.slice(1)) console.log(line(r));
console.log(`node ${process.version}, ${process.arch}; load average at start ${load}; frames/s = 1000 / mean ms of that run`);
