import { describe, expect, it } from 'vitest';
import { seededRandom } from '../ops/seeded-random.ts';
import { type Detections, makeDetections } from '../structures/detections.ts';
import { CameraMotionCompensation } from './camera-motion-compensation.ts';
import { bboxOverlaps } from './cost-matrices.ts';
import type { GrayImage } from './ecc.ts';
import type { BoxRegressor, Embedder, Embeddings } from './tracker.ts';
import { buildTracker } from '../models/mot/mot-registry.ts';

const detectionsOf = (boxes: number[][], score = 0.95): Detections => makeDetections({ boxes: boxes.flat(), scores: boxes.map(() => score), labels: boxes.map(() => 0) });

/**
 * A stand-in for the detector's bbox head: a box is regressed onto the true object it overlaps best when
 * IoU >= 0.5 (score 0.9), otherwise it stays and scores 0.05 (background).
 */
function regressorOn(truth: number[][]): BoxRegressor {
  return {
    regressBoxes(prev) {
      const n = prev.length / 4;
      const ious = bboxOverlaps(prev, n, truth.flat(), truth.length);
      const boxes = new Float32Array(prev);
      const scores = new Float32Array(n).fill(0.05);
      for (let i = 0; i < n; i++) {
        let best = -1;
        for (let j = 0; j < truth.length; j++) if (ious[i * truth.length + j]! >= 0.5 && (best < 0 || ious[i * truth.length + j]! > ious[i * truth.length + best]!)) best = j;
        if (best >= 0) {
          boxes.set(truth[best]!, 4 * i);
          scores[i] = 0.9;
        }
      }
      return { boxes, scores };
    },
  };
}

/** Embeds a box as the one-hot appearance of the true object it overlaps best (zeros over background). */
function embedderOn(truth: number[][], objectIds: number[], dim = 8): Embedder {
  return {
    embed(boxes): Embeddings {
      const n = boxes.length / 4;
      const ious = bboxOverlaps(boxes, n, truth.flat(), truth.length);
      const data = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) {
        let best = -1;
        for (let j = 0; j < truth.length; j++) if (ious[i * truth.length + j]! > 0.3 && (best < 0 || ious[i * truth.length + j]! > ious[i * truth.length + best]!)) best = j;
        if (best >= 0) data[i * dim + objectIds[best]!] = 1;
      }
      return { data, dim };
    },
  };
}

describe('TracktorTracker: camera pan with ECC motion compensation', () => {
  // A static world of 5 pedestrians (30 x 70 px) on a textured background; the camera (320 x 240 window) pans by
  // (14, 4) px per frame. Without compensation the previous boxes overlap the objects by IoU ~0.3 only, so the
  // bbox head (regressor) loses them; with ECC the previous boxes land on the objects again.
  const worldW = 480;
  const worldH = 300;
  const rand = seededRandom(3);
  const blobs = Array.from({ length: 160 }, () => ({ x: worldW * rand(), y: worldH * rand(), s2: 2 * (3 + 30 * rand() ** 2) ** 2, a: (rand() < 0.5 ? -1 : 1) * (20 + 60 * rand()) }));
  const world = new Float32Array(worldW * worldH);
  for (let y = 0; y < worldH; y++) {
    for (let x = 0; x < worldW; x++) {
      let v = 128;
      for (const b of blobs) {
        const d2 = (x - b.x) ** 2 + (y - b.y) ** 2;
        if (d2 < 9 * b.s2) v += b.a * Math.exp(-d2 / b.s2);
      }
      world[y * worldW + x] = v;
    }
  }
  const pedestrians = [[160, 60], [200, 120], [240, 50], [285, 140], [205, 30]].map(([x, y]) => [x!, y!, x! + 30, y! + 70]);
  const camera = (f: number) => [14 * f, 4 * f];
  const view = (f: number): GrayImage => {
    const [cx, cy] = camera(f) as [number, number];
    const data = new Float32Array(320 * 240);
    for (let y = 0; y < 240; y++) data.set(world.subarray((y + cy) * worldW + cx, (y + cy) * worldW + cx + 320), y * 320);
    return { width: 320, height: 240, data };
  };
  const truthAt = (f: number) => pedestrians.map(([x1, y1, x2, y2]) => [x1! - camera(f)[0]!, y1! - camera(f)[1]!, x2! - camera(f)[0]!, y2! - camera(f)[1]!]);

  async function run(withCmc: boolean): Promise<Set<number>[]> {
    const cmc = withCmc ? new CameraMotionCompensation({ warp_mode: 'cv2.MOTION_EUCLIDEAN', num_iters: 100, stop_eps: 0.00001 }) : undefined;
    const tracker = buildTracker('TracktorTracker', { reid: null }, cmc ? { cmc } : {});
    const idsPerObject = pedestrians.map(() => new Set<number>());
    for (let f = 0; f < 10; f++) {
      const truth = truthAt(f);
      const out = await tracker.update(detectionsOf(truth), { regressor: regressorOn(truth), ...(cmc ? { image: view(f) } : {}) });
      expect(out.ids!.length).toBe(pedestrians.length);
      const ious = bboxOverlaps(truth.flat(), truth.length, out.boxes, out.ids!.length);
      truth.forEach((_, j) => {
        const k = Array.from({ length: out.ids!.length }, (_, k) => k).find((k) => ious[j * out.ids!.length + k]! > 0.99)!;
        idsPerObject[j]!.add(out.ids![k]!);
      });
      if (cmc) expect(cmc.lastStatus).toBe('ok');
    }
    return idsPerObject;
  }

  it('keeps every id with camera motion compensation', async () => {
    const ids = await run(true);
    expect(ids.map((s) => [...s])).toEqual([[0], [1], [2], [3], [4]]);
  });

  it('loses them without it (the same sequence, no CMC)', async () => {
    const ids = await run(false);
    for (const s of ids) expect(s.size).toBe(10);
  });
});

describe('TracktorTracker: occlusion gaps with re-identification', () => {
  // Two static objects; object 0 is hidden for `gap` frames from frame 5.
  const objects = [[100, 100, 140, 200], [300, 100, 340, 200]];
  const run = async (gap: number, retain: number) => {
    const tracker = buildTracker('TracktorTracker', { num_frames_retain: retain });
    const ids: number[] = [];
    for (let f = 0; f < 5 + gap + 3; f++) {
      const visible = f < 5 || f >= 5 + gap ? [0, 1] : [1];
      const truth = visible.map((o) => objects[o]!);
      const out = await tracker.update(detectionsOf(truth), { regressor: regressorOn(truth), embedder: embedderOn(truth, visible) });
      const k = Array.from(out.boxes.subarray(0, 4 * out.ids!.length)).findIndex((_, i) => i % 4 === 0 && out.boxes[i] === 100);
      ids.push(k >= 0 ? out.ids![k / 4]! : -1);
    }
    return ids;
  };
  it('a gap shorter than num_frames_retain: re-identified, same id', async () => {
    expect(await run(9, 10)).toEqual([0, 0, 0, 0, 0, ...new Array<number>(9).fill(-1), 0, 0, 0]);
  });
  it('a gap of num_frames_retain frames or more: new id', async () => {
    expect((await run(10, 10)).slice(-3)).toEqual([2, 2, 2]);
  });
});

describe('TracktorTracker: regression step', () => {
  it('NMS over the regressed tracks (iou_threshold), score filter, and detections covered by a track are dropped', async () => {
    const tracker = buildTracker('TracktorTracker', { reid: null, regression: { obj_score_thr: 0.5, nms: { type: 'nms', iou_threshold: 0.6 }, match_iou_thr: 0.3 } });
    await tracker.update(detectionsOf([[0, 0, 40, 100], [200, 0, 240, 100], [400, 0, 440, 100]]), { regressor: regressorOn([]) });
    // Regression: track 0 and 1 both land on the same place (1 scores higher), track 2 scores 0.4 (dropped).
    const regressor: BoxRegressor = {
      regressBoxes: () => ({ boxes: Float32Array.of(100, 0, 140, 100, 102, 0, 142, 100, 400, 0, 440, 100), scores: Float32Array.of(0.8, 0.9, 0.4) }),
    };
    // Detections: one on the regressed box (IoU > 0.3: dropped), one new.
    const out = await tracker.update(detectionsOf([[104, 0, 144, 100], [600, 0, 640, 100]]), { regressor });
    expect(Array.from(out.ids!)).toEqual([1, 3]);
    expect(Array.from(out.boxes)).toEqual([102, 0, 142, 100, 600, 0, 640, 100]);
    expect(Array.from(out.scores)).toEqual([Math.fround(0.9), Math.fround(0.95)]);
    // Tracks 0 and 2 are lost (kept for num_frames_retain), not output.
    expect(tracker.store.ids).toEqual([0, 1, 2, 3]);
  });

  it('asks for what its config needs, and refuses overlapping updates', async () => {
    const d = detectionsOf([[0, 0, 10, 20]]);
    const withReid = buildTracker('TracktorTracker');
    expect(withReid.requires).toMatchObject({ regressor: true, embedder: true, image: false });
    await expect(withReid.update(d)).rejects.toThrow(/frame.regressor/);
    await expect(withReid.update(d, { regressor: regressorOn([]) })).rejects.toThrow(/no frame.embedder/);
    const withCmc = buildTracker('TracktorTracker', { reid: null }, { cmc: new CameraMotionCompensation() });
    expect(withCmc.requires.image).toBe(true);
    await expect(withCmc.update(d, { regressor: regressorOn([]) })).rejects.toThrow(/frame.image/);
    const slow = buildTracker('TracktorTracker', { reid: null });
    await slow.update(d, { regressor: regressorOn([]) });
    const pending = slow.update(d, { regressor: { regressBoxes: (b) => new Promise((resolve) => setTimeout(() => resolve({ boxes: b, scores: new Float32Array(b.length / 4).fill(0.9) }), 5)) } });
    await expect(slow.update(d, { regressor: regressorOn([]) })).rejects.toThrow(/before the previous frame finished/);
    await pending;
  });
});
