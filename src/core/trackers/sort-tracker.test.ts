import { describe, expect, it } from 'vitest';
import { type Detections, makeDetections } from '../structures/detections.ts';
import type { Embeddings } from './tracker.ts';
import { buildTracker } from '../models/mot/mot-registry.ts';

const frameOf = (boxes: number[][], score = 0.9): Detections => makeDetections({ boxes: boxes.flat(), scores: boxes.map(() => score), labels: boxes.map(() => 0) });
const embeddingsOf = (vectors: number[][]): Embeddings => ({ dim: vectors[0]?.length ?? 4, data: Float32Array.from(vectors.flat()) });

function idAt(out: Detections, box: number[]): number | undefined {
  for (let k = 0; k < out.scores.length; k++) if (box.every((v, c) => Math.abs(out.boxes[4 * k + c]! - v) < 1e-3)) return out.ids![k];
  return undefined;
}

describe('SortTracker (SORT) on sequences with known answers', () => {
  it('keeps the ids of two objects crossing with a vertical offset', () => {
    const tracker = buildTracker('SortTracker', { obj_score_thr: 0.5, match_iou_thr: 0.5, reid: null });
    const a = (f: number) => [100 + 8 * f, 200, 140 + 8 * f, 300];
    const b = (f: number) => [410 - 8 * f, 260, 450 - 8 * f, 360];
    const ids = new Set<string>();
    for (let f = 0; f < 40; f++) {
      const out = tracker.update(frameOf([b(f), a(f)]));
      ids.add(`${idAt(out, a(f))}/${idAt(out, b(f))}`);
    }
    expect([...ids]).toEqual(['1/0']);
  });

  it('drops detections with score <= obj_score_thr and confirms tracks after num_tentatives frames', () => {
    const tracker = buildTracker('SortTracker', { obj_score_thr: 0.5, reid: null, num_tentatives: 3 });
    const out = tracker.update(makeDetections({ boxes: [0, 0, 10, 20, 50, 0, 60, 20], scores: [0.5, 0.51], labels: [0, 0] }));
    expect(Array.from(out.scores)).toEqual([Math.fround(0.51)]);
    tracker.update(frameOf([[50, 0, 60, 20]]));
    expect(tracker.store.get(0).tentative).toBe(true);
    tracker.update(frameOf([[50, 0, 60, 20]]));
    expect(tracker.store.get(0).tentative).toBe(false);
  });

  it('as in MMTracking, IoU matching only looks at tracks seen in the previous frame: without reid any gap gives a new id', () => {
    const tracker = buildTracker('SortTracker', { reid: null, num_frames_retain: 30 });
    const box = [100, 100, 150, 220];
    const still = [500, 100, 550, 220];
    tracker.update(frameOf([box, still]));
    tracker.update(frameOf([box, still]));
    tracker.update(frameOf([still]));
    const out = tracker.update(frameOf([box, still]));
    expect(Array.from(out.ids!)).toEqual([2, 1]);
  });
});

describe('SortTracker with reid (DeepSORT): occlusion gaps', () => {
  // A mover at (4, 1) px/frame (appearance e1) and a static object (appearance e2) always visible, so the Kalman
  // filter predicts every frame; the mover is missing for `gap` frames from frame 12.
  const run = (gap: number, retain: number) => {
    const tracker = buildTracker('SortTracker', { obj_score_thr: 0.3, match_iou_thr: 0.5, num_frames_retain: retain, reid: { num_samples: 5, img_scale: [256, 128], img_norm_cfg: null, match_score_thr: 0.5 } });
    const mover = (f: number) => [100 + 4 * f, 100 + f, 150 + 4 * f, 220 + f];
    const still = [600, 300, 650, 420];
    const ids: (number | undefined)[] = [];
    for (let f = 0; f < 12 + gap + 4; f++) {
      const visible = f < 12 || f >= 12 + gap;
      const boxes = visible ? [mover(f), still] : [still];
      const e = visible ? [[1, 0.05 * (f % 3), 0, 0], [0, 0, 1, 0]] : [[0, 0, 1, 0]];
      const out = tracker.update(frameOf(boxes), { embeddings: embeddingsOf(e) });
      ids.push(visible ? idAt(out, mover(f)) : -1);
      expect(idAt(out, still)).toBe(1);
    }
    return ids.slice(12 + gap);
  };
  it('a gap shorter than num_frames_retain: re-identified by appearance, same id', () => {
    expect(run(9, 10)).toEqual([0, 0, 0, 0]);
  });
  it('a gap of num_frames_retain frames or more: new id', () => {
    expect(run(10, 10)).toEqual([2, 2, 2, 2]);
  });
  it('an appearance farther than match_score_thr is not re-identified', () => {
    const tracker = buildTracker('SortTracker', { reid: { num_samples: 1, img_scale: null, img_norm_cfg: null, match_score_thr: 0.5 }, num_frames_retain: 10 });
    const box = [100, 100, 150, 220];
    const still = [600, 300, 650, 420];
    for (let f = 0; f < 4; f++) tracker.update(frameOf([box, still]), { embeddings: embeddingsOf([[1, 0], [0, 1]]) });
    tracker.update(frameOf([still]), { embeddings: embeddingsOf([[0, 1]]) });
    const out = tracker.update(frameOf([box, still]), { embeddings: embeddingsOf([[0.4, 0.6], [0, 1]]) }); // distance 0.72
    expect(Array.from(out.ids!)).toEqual([2, 1]);
  });
  it('needs embeddings when reid is configured (MMTracking default), and checks their count', () => {
    const tracker = buildTracker('SortTracker');
    expect(tracker.requires.embeddings).toBe(true);
    expect(tracker.requires.reidCrop).toEqual({ imgScale: [256, 128], imgNormCfg: null });
    expect(() => tracker.update(frameOf([[0, 0, 10, 20]]))).toThrow(/reid .*no embeddings/);
    expect(() => tracker.update(frameOf([[0, 0, 10, 20]]), { embeddings: embeddingsOf([[1, 0], [0, 1]]) })).toThrow(/4 embedding values of dimension 2 for 1 boxes/);
  });
});
