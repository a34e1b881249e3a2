/**
 * SORT/DeepSORT and ByteTrack against straightforward references written here, step by step from MMTracking's
 * `SORTTracker` / `ByteTracker` and `KalmanFilter` (mmtrack/models/trackers/*.py, mmtrack/models/motion/
 * kalman_filter.py): plain arrays, textbook matrix algebra (explicit F, H, Q, R and a Gauss–Jordan inverse instead
 * of the Cholesky solves), exhaustive search instead of the assignment solvers, MMTracking's per-track lists.
 * Same detections in, same boxes, order and ids out, on seeded synthetic scenes with crossings, misses, low scores,
 * false positives and two classes.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../ops/seeded-random.ts';
import type { Detections } from '../structures/detections.ts';
import type { TrackStore } from './track-store.ts';
import { type SyntheticFrame, syntheticScene } from './synthetic-scene.ts';
import type { Embeddings } from './tracker.ts';
import { buildTracker } from '../models/mot/mot-registry.ts';

// ---------------------------------------------------------------- matrix algebra and the Kalman filter
type Mat = number[][];
const zeros = (r: number, c: number): Mat => Array.from({ length: r }, () => new Array<number>(c).fill(0));
const eye = (n: number, m = n): Mat => zeros(n, m).map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
const mul = (a: Mat, b: Mat): Mat => a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const tr = (a: Mat): Mat => a[0]!.map((_, j) => a.map((row) => row[j]!));
const add = (a: Mat, b: Mat): Mat => a.map((row, i) => row.map((v, j) => v + b[i]![j]!));
const sub = (a: Mat, b: Mat): Mat => a.map((row, i) => row.map((v, j) => v - b[i]![j]!));
const diag = (v: number[]): Mat => v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
const col = (v: number[]): Mat => v.map((x) => [x]);
function inv(a: Mat): Mat {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...eye(n)[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pv = m[c]![c]!;
    m[c] = m[c]!.map((v) => v / pv);
    for (let r = 0; r < n; r++) if (r !== c) m[r] = m[r]!.map((v, j) => v - m[r]![c]! * m[c]![j]!);
  }
  return m.map((row) => row.slice(n));
}

const WP = 1 / 20;
const WV = 1 / 160;
const F = add(eye(8), [...eye(4, 8).map((row) => [0, 0, 0, 0, ...row.slice(0, 4)]), ...zeros(4, 8)]);
const Hm = eye(4, 8);
interface KState {
  x: number[];
  P: Mat;
}
const kfInitiate = (z: number[]): KState => {
  const h = z[3]!;
  return { x: [...z, 0, 0, 0, 0], P: diag([2 * WP * h, 2 * WP * h, 1e-2, 2 * WP * h, 10 * WV * h, 10 * WV * h, 1e-5, 10 * WV * h].map((s) => s * s)) };
};
const kfPredict = (s: KState): KState => {
  const h = s.x[3]!;
  const Q = diag([WP * h, WP * h, 1e-2, WP * h, WV * h, WV * h, 1e-5, WV * h].map((v) => v * v));
  return { x: mul(F, col(s.x)).map((r) => r[0]!), P: add(mul(mul(F, s.P), tr(F)), Q) };
};
const kfProject = (s: KState): { m: number[]; S: Mat } => {
  const h = s.x[3]!;
  const R = diag([WP * h, WP * h, 1e-1, WP * h].map((v) => v * v));
  return { m: s.x.slice(0, 4), S: add(mul(mul(Hm, s.P), tr(Hm)), R) };
};
const kfUpdate = (s: KState, z: number[]): KState => {
  const { m, S } = kfProject(s);
  const K = mul(mul(s.P, tr(Hm)), inv(S));
  const y = col(z.map((v, i) => v - m[i]!));
  return { x: add(col(s.x), mul(K, y)).map((r) => r[0]!), P: sub(s.P, mul(mul(K, S), tr(K))) };
};
const kfGating = (s: KState, z: number[]): number => {
  const { m, S } = kfProject(s);
  const d = col(z.map((v, i) => v - m[i]!));
  return mul(mul(tr(d), inv(S)), d)[0]![0]!;
};
const toCxcyah = (b: number[]): number[] => [(b[0]! + b[2]!) / 2, (b[1]! + b[3]!) / 2, (b[2]! - b[0]!) / (b[3]! - b[1]!), b[3]! - b[1]!];
const toXyxy = (x: number[]): number[] => {
  const w = x[2]! * x[3]!;
  return [x[0]! - w / 2, x[1]! - x[3]! / 2, x[0]! + w / 2, x[1]! + x[3]! / 2];
};
const iou = (a: number[], b: number[]): number => {
  const w = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const h = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = w * h;
  return inter / Math.max((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter, 1e-6);
};

// ---------------------------------------------------------------- exhaustive assignment
/** Every partial matching (row → column or -1) using only allowed pairs. */
function* matchings(nRows: number, nCols: number, allowed: (r: number, c: number) => boolean): Generator<number[]> {
  const current: number[] = [];
  const used = new Set<number>();
  function* rec(r: number): Generator<number[]> {
    if (r === nRows) {
      yield current.slice();
      return;
    }
    current.push(-1);
    yield* rec(r + 1);
    current.pop();
    for (let c = 0; c < nCols; c++) {
      if (used.has(c) || !allowed(r, c)) continue;
      used.add(c);
      current.push(c);
      yield* rec(r + 1);
      current.pop();
      used.delete(c);
    }
  }
  yield* rec(0);
}
/** lap.lapjv(cost, extend_cost=True, cost_limit=L): min of matched costs + L/2 per unmatched row and column. */
function lapjvCostLimit(cost: Mat, nCols: number, limit: number): number[] {
  let best: number[] = new Array<number>(cost.length).fill(-1);
  let bestValue = Infinity;
  for (const m of matchings(cost.length, nCols, (r, c) => cost[r]![c]! < limit)) {
    const k = m.filter((c) => c >= 0).length;
    const v = m.reduce((s, c, r) => (c >= 0 ? s + cost[r]![c]! : s), 0) + ((cost.length + nCols - 2 * k) * limit) / 2;
    if (v < bestValue) [best, bestValue] = [m, v];
  }
  return best;
}
/** motmetrics' linear_sum_assignment: as many finite pairs as possible, then the least cost. */
function motmetricsLsa(cost: Mat, nCols: number): [number, number][] {
  let best: number[] = [];
  let key = [-1, Infinity];
  for (const m of matchings(cost.length, nCols, (r, c) => Number.isFinite(cost[r]![c]!))) {
    const k = m.filter((c) => c >= 0).length;
    if (k < key[0]!) continue;
    const s = m.reduce((acc, c, r) => (c >= 0 ? acc + cost[r]![c]! : acc), 0);
    if (k > key[0]! || s < key[1]!) [best, key] = [m, [k, s]];
  }
  return best.flatMap((c, r) => (c >= 0 ? [[r, c] as [number, number]] : []));
}

// ---------------------------------------------------------------- the references
interface RefTrack {
  bboxes: number[][];
  labels: number[];
  frameIds: number[];
  embeds: number[][];
  kf: KState;
  tentative: boolean;
}
type Row = [x1: number, y1: number, x2: number, y2: number, score: number, label: number, id: number];
const detRow = (d: Detections, i: number): number[] => [d.boxes[4 * i]!, d.boxes[4 * i + 1]!, d.boxes[4 * i + 2]!, d.boxes[4 * i + 3]!];

/** Each frame's output rows, and every live track's Kalman mean after the frame. */
interface Reference {
  rows: Row[][];
  means: Map<number, number[]>[];
}

function referenceByteTrack(frames: Detections[], p: { high: number; low: number; init: number; weight: boolean; thrHigh: number; thrLow: number; thrTent: number; numTentatives: number; retain: number }): Reference {
  const tracks = new Map<number, RefTrack>();
  let numTracks = 0;
  const out: Row[][] = [];
  const means: Map<number, number[]>[] = [];
  frames.forEach((d, frameId) => {
    const n = d.scores.length;
    const assign = (ids: number[], dets: number[], weight: boolean, thr: number): number[] => {
      const cost = ids.map((id) => {
        const t = tracks.get(id)!;
        return dets.map((i) => 1 - iou(toXyxy(t.kf.x), detRow(d, i)) * (weight ? d.scores[i]! : 1) + (d.labels[i] === t.labels.at(-1) ? 0 : 1e6));
      });
      return lapjvCostLimit(cost, dets.length, 1 - thr);
    };
    let outDets: number[];
    let ids: number[];
    if (tracks.size === 0 || n === 0) {
      outDets = [...Array(n).keys()].filter((i) => d.scores[i]! > p.init);
      ids = outDets.map(() => -1);
    } else {
      const first = [...Array(n).keys()].filter((i) => d.scores[i]! > p.high);
      const second = [...Array(n).keys()].filter((i) => !(d.scores[i]! > p.high) && d.scores[i]! > p.low);
      const confirmed = [...tracks.keys()].filter((id) => !tracks.get(id)!.tentative);
      const unconfirmed = [...tracks.keys()].filter((id) => tracks.get(id)!.tentative);
      for (const id of confirmed) {
        const t = tracks.get(id)!;
        if (t.frameIds.at(-1) !== frameId - 1) t.kf.x[7] = 0;
        t.kf = kfPredict(t.kf);
      }
      const r1 = assign(confirmed, first, p.weight, p.thrHigh);
      const firstIds = first.map((_, c) => {
        const r = r1.indexOf(c);
        return r >= 0 ? confirmed[r]! : -1;
      });
      const matched = first.filter((_, c) => firstIds[c]! >= 0);
      const unmatched = first.filter((_, c) => firstIds[c] === -1);
      const r3 = assign(unconfirmed, unmatched, p.weight, p.thrTent);
      const unmatchedIds = unmatched.map((_, c) => (r3.indexOf(c) >= 0 ? unconfirmed[r3.indexOf(c)]! : -1));
      const leftover = confirmed.filter((id, r) => r1[r] === -1 && tracks.get(id)!.frameIds.at(-1) === frameId - 1);
      const r4 = assign(leftover, second, false, p.thrLow);
      const secondIds = second.map((_, c) => (r4.indexOf(c) >= 0 ? leftover[r4.indexOf(c)]! : -1));
      outDets = [...matched, ...unmatched, ...second.filter((_, c) => secondIds[c]! >= 0)];
      ids = [...matched.map((_, k) => firstIds[first.indexOf(matched[k]!)]!), ...unmatchedIds, ...secondIds.filter((id) => id >= 0)];
    }
    ids = ids.map((id) => (id === -1 ? numTracks++ : id));
    outDets.forEach((i, k) => {
      const id = ids[k]!;
      const box = detRow(d, i);
      const t = tracks.get(id);
      if (!t) {
        tracks.set(id, { bboxes: [box], labels: [d.labels[i]!], frameIds: [frameId], embeds: [], kf: kfInitiate(toCxcyah(box)), tentative: frameId !== 0 });
      } else {
        t.bboxes.push(box);
        t.labels.push(d.labels[i]!);
        t.frameIds.push(frameId);
        if (t.tentative && t.bboxes.length >= p.numTentatives) t.tentative = false;
        t.kf = kfUpdate(t.kf, toCxcyah(box));
      }
    });
    for (const [id, t] of [...tracks]) if (frameId - t.frameIds.at(-1)! >= p.retain || (t.tentative && t.frameIds.at(-1) !== frameId)) tracks.delete(id);
    out.push(outDets.map((i, k) => [...detRow(d, i), d.scores[i]!, d.labels[i]!, ids[k]!] as Row));
    means.push(new Map([...tracks].map(([id, t]) => [id, t.kf.x.slice()])));
  });
  return { rows: out, means };
}

function referenceSort(frames: Detections[], embeds: Embeddings[] | null, p: { objThr: number; iouThr: number; numTentatives: number; retain: number; numSamples: number; scoreThr: number }): Reference {
  const tracks = new Map<number, RefTrack>();
  let numTracks = 0;
  const out: Row[][] = [];
  const means: Map<number, number[]>[] = [];
  frames.forEach((d, frameId) => {
    const keep = [...Array(d.scores.length).keys()].filter((i) => d.scores[i]! > p.objThr);
    const boxes = keep.map((i) => detRow(d, i));
    const emb = keep.map((i) => (embeds ? Array.from(embeds[frameId]!.data.subarray(i * embeds[frameId]!.dim, (i + 1) * embeds[frameId]!.dim)) : []));
    const ids = keep.map(() => -1);
    if (tracks.size > 0 && keep.length > 0) {
      const all = [...tracks.keys()];
      const gate: Mat = all.map((id) => {
        const t = tracks.get(id)!;
        t.kf = kfPredict(t.kf);
        return boxes.map((b) => {
          const g = kfGating(t.kf, toCxcyah(b));
          return g > 9.4877 ? NaN : g;
        });
      });
      if (embeds) {
        const active = all.filter((id) => !tracks.get(id)!.tentative);
        if (active.length > 0) {
          const dists: Mat = active.map((id) => {
            const last = tracks.get(id)!.embeds.slice(-p.numSamples);
            const mean = last[0]!.map((_, k) => last.reduce((s, e) => s + e[k]!, 0) / last.length);
            return emb.map((e, c) => (Number.isFinite(gate[all.indexOf(id)]![c]!) ? Math.hypot(...e.map((v, k) => v - mean[k]!)) : NaN));
          });
          for (const [r, c] of motmetricsLsa(dists, keep.length)) if (dists[r]![c]! <= p.scoreThr) ids[c] = active[r]!;
        }
      }
      const active = all.filter((id) => !ids.includes(id) && tracks.get(id)!.frameIds.at(-1) === frameId - 1);
      if (active.length > 0) {
        const dets = ids.flatMap((id, c) => (id === -1 ? [c] : []));
        const dists = active.map((id) => dets.map((c) => 1 - iou(tracks.get(id)!.bboxes.at(-1)!, boxes[c]!)));
        for (const [r, c] of motmetricsLsa(dists, dets.length)) if (dists[r]![c]! < 1 - p.iouThr) ids[dets[c]!] = active[r]!;
      }
    }
    for (let k = 0; k < ids.length; k++) if (ids[k] === -1) ids[k] = numTracks++;
    keep.forEach((i, k) => {
      const t = tracks.get(ids[k]!);
      if (!t) {
        tracks.set(ids[k]!, { bboxes: [boxes[k]!], labels: [d.labels[i]!], frameIds: [frameId], embeds: [emb[k]!], kf: kfInitiate(toCxcyah(boxes[k]!)), tentative: true });
      } else {
        t.bboxes.push(boxes[k]!);
        t.labels.push(d.labels[i]!);
        t.frameIds.push(frameId);
        t.embeds.push(emb[k]!);
        if (t.tentative && t.bboxes.length >= p.numTentatives) t.tentative = false;
        t.kf = kfUpdate(t.kf, toCxcyah(boxes[k]!));
      }
    });
    for (const [id, t] of [...tracks]) if (frameId - t.frameIds.at(-1)! >= p.retain || (t.tentative && t.frameIds.at(-1) !== frameId)) tracks.delete(id);
    out.push(keep.map((i, k) => [...boxes[k]!, d.scores[i]!, d.labels[i]!, ids[k]!] as Row));
    means.push(new Map([...tracks].map(([id, t]) => [id, t.kf.x.slice()])));
  });
  return { rows: out, means };
}

// ---------------------------------------------------------------- comparisons
function rows(d: Detections): Row[] {
  return Array.from(d.scores, (s, k) => [...detRow(d, k), s, d.labels[k]!, d.ids![k]!] as Row);
}

function scene(seed: number): SyntheticFrame[] {
  return syntheticScene({ seed, numFrames: 60, numObjects: 6, width: 640, height: 480, boxHeight: [50, 110], maxSpeed: 7, maxGrowth: 1.5, positionNoise: 2, missRate: 0.12, lowScoreRate: 0.25, falsePositives: 0.4, numLabels: 2 });
}

/** The tracker's live tracks and Kalman means equal the reference's (float64 arithmetic in a different order). */
function expectSameMeans(store: TrackStore, expected: Map<number, number[]>, frame: number): void {
  expect(store.ids, `frame ${frame} live tracks`).toEqual([...expected.keys()]);
  for (const [id, x] of expected) {
    const mean = store.get(id).kalman!.mean;
    for (let k = 0; k < 8; k++) expect(Math.abs(mean[k]! - x[k]!), `frame ${frame} track ${id} mean[${k}]`).toBeLessThan(1e-8 * Math.max(1, Math.abs(x[k]!)));
  }
}

/**
 * An appearance per object (unit vector) plus noise per detection, so that a detection is about 0.4-0.7 from its
 * track's mean embedding (around `match_score_thr` 0.6) and 1.4 from others; false positives get random ones.
 */
function embeddingsOf(frames: SyntheticFrame[], seed: number, dim = 8): Embeddings[] {
  const rand = seededRandom(seed);
  const unit = () => {
    const v = Array.from({ length: dim }, () => rand() - 0.5);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const objects = Array.from({ length: 100 }, unit);
  return frames.map((f) => ({ dim, data: Float32Array.from(Array.from(f.objectIds).flatMap((o) => (o >= 0 ? objects[o]! : unit()).map((v) => v + 0.6 * (rand() - 0.5)))) }));
}

describe('ByteTracker vs the reference', () => {
  const cases = [
    { seed: 1, weight: true, retain: 30 },
    { seed: 2, weight: false, retain: 5 },
    { seed: 3, weight: true, retain: 3 },
    { seed: 4, weight: true, retain: 10 },
  ];
  for (const c of cases) {
    it(`seed ${c.seed}: same boxes, order and ids (weight_iou_with_det_scores=${c.weight}, num_frames_retain=${c.retain})`, () => {
      const frames = scene(c.seed);
      const tracker = buildTracker('ByteTracker', { weight_iou_with_det_scores: c.weight, num_frames_retain: c.retain });
      const expected = referenceByteTrack(frames.map((f) => f.detections), { high: 0.6, low: 0.1, init: 0.7, weight: c.weight, thrHigh: 0.1, thrLow: 0.5, thrTent: 0.3, numTentatives: 3, retain: c.retain });
      let total = 0;
      frames.forEach((f, k) => {
        expect(rows(tracker.update(f.detections)), `frame ${k}`).toEqual(expected.rows[k]);
        expectSameMeans(tracker.store, expected.means[k]!, k);
        total += expected.rows[k]!.length;
      });
      expect(total).toBeGreaterThan(200);
    });
  }
});

describe('SortTracker vs the reference', () => {
  const cases = [
    { seed: 5, reid: false, retain: 10 },
    { seed: 6, reid: true, retain: 10 },
    { seed: 7, reid: true, retain: 4 },
  ];
  for (const c of cases) {
    it(`seed ${c.seed}: same boxes, order and ids (${c.reid ? 'DeepSORT' : 'SORT'}, num_frames_retain=${c.retain})`, () => {
      const frames = scene(c.seed);
      const embeds = c.reid ? embeddingsOf(frames, c.seed) : null;
      const p = { objThr: 0.3, iouThr: 0.5, numTentatives: 3, retain: c.retain, numSamples: 3, scoreThr: 0.6 };
      const tracker = buildTracker('SortTracker', {
        obj_score_thr: p.objThr,
        match_iou_thr: p.iouThr,
        num_frames_retain: p.retain,
        reid: c.reid ? { num_samples: p.numSamples, img_scale: null, img_norm_cfg: null, match_score_thr: p.scoreThr } : null,
      });
      const expected = referenceSort(frames.map((f) => f.detections), embeds, p);
      frames.forEach((f, k) => {
        const got = tracker.update(f.detections, embeds ? { embeddings: embeds[k]! } : {});
        expect(rows(got), `frame ${k}`).toEqual(expected.rows[k]);
        expectSameMeans(tracker.store, expected.means[k]!, k);
      });
      // The scene must exercise the association: some ids last many frames.
      const lengths = new Map<number, number>();
      for (const r of expected.rows.flat()) lengths.set(r[6], (lengths.get(r[6]) ?? 0) + 1);
      expect(Math.max(...lengths.values())).toBeGreaterThan(10);
    });
  }
});
