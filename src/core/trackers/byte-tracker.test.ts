import { describe, expect, it } from 'vitest';
import { type Detections, makeDetections } from '../structures/detections.ts';
import { IdCounter } from './id-counter.ts';
import { buildTracker } from '../models/mot/mot-registry.ts';

interface Obj {
  box: number[];
  score: number;
}
const frameOf = (objs: Obj[], label = 0): Detections => makeDetections({ boxes: objs.flatMap((o) => o.box), scores: objs.map((o) => o.score), labels: objs.map(() => label) });
const iou1d = (d: number, w: number) => Math.max(0, w - Math.abs(d)) / (w + Math.min(Math.abs(d), w));

/** Id of the output box closest to `box` (or undefined when no output box is within 1 px). */
function idAt(out: Detections, box: number[]): number | undefined {
  for (let k = 0; k < out.scores.length; k++) {
    if (box.every((v, c) => Math.abs(out.boxes[4 * k + c]! - v) < 1)) return out.ids![k];
  }
  return undefined;
}

describe('ByteTracker on sequences with known answers', () => {
  // A walks right, B walks left behind A on the same line; boxes 40 x 100; they pass each other around frame 19.
  const a = (f: number) => [100 + 8 * f, 200, 140 + 8 * f, 300];
  const b = (f: number) => [410 - 8 * f, 200, 450 - 8 * f, 300];
  const overlap = (f: number) => iou1d(310 - 16 * f, 40);

  it('keeps both ids through a crossing where the occluded object is only detected with a low score', () => {
    const tracker = buildTracker('ByteTracker', { num_frames_retain: 30 });
    const ids: { a: (number | undefined)[]; b: (number | undefined)[] } = { a: [], b: [] };
    for (let f = 0; f < 40; f++) {
      // B's detection score drops while A hides it (IoU > 0.3 at frames 18-20).
      const out = tracker.update(frameOf([{ box: a(f), score: 0.9 }, { box: b(f), score: overlap(f) > 0.25 ? 0.3 : 0.9 }]));
      ids.a.push(idAt(out, a(f)));
      ids.b.push(idAt(out, b(f)));
    }
    expect([18, 19, 20].map(overlap).every((v) => v > 0.25)).toBe(true);
    expect(new Set(ids.a)).toEqual(new Set([0]));
    // The low-score detections are associated in the second round: B is reported in every frame.
    expect(new Set(ids.b)).toEqual(new Set([1]));
  });

  it('without the second round (obj_score_thrs.low above the low scores) B is lost, then recovered by its prediction', () => {
    const tracker = buildTracker('ByteTracker', { obj_score_thrs: { high: 0.6, low: 0.5 }, num_frames_retain: 30 });
    const idsB: (number | undefined)[] = [];
    for (let f = 0; f < 40; f++) {
      const out = tracker.update(frameOf([{ box: a(f), score: 0.9 }, { box: b(f), score: overlap(f) > 0.25 ? 0.3 : 0.9 }]));
      idsB.push(idAt(out, b(f)));
    }
    expect(idsB.slice(18, 21)).toEqual([undefined, undefined, undefined]);
    expect(new Set([...idsB.slice(0, 18), ...idsB.slice(21)])).toEqual(new Set([1]));
  });

  it('a track lost in the previous frame is not matched to low-score detections, only to high-score ones', () => {
    const tracker = buildTracker('ByteTracker', { num_frames_retain: 30 });
    const idsB: (number | undefined)[] = [];
    for (let f = 0; f < 40; f++) {
      // B missing at the deepest overlap (frame 19), low-score at frame 20 (and 18).
      const objs: Obj[] = [{ box: a(f), score: 0.9 }];
      if (overlap(f) < 0.7) objs.push({ box: b(f), score: overlap(f) > 0.25 ? 0.3 : 0.9 });
      const out = tracker.update(frameOf(objs));
      idsB.push(idAt(out, b(f)));
    }
    expect(idsB.slice(18, 22)).toEqual([1, undefined, undefined, 1]);
  });

  describe('occlusion gaps and num_frames_retain', () => {
    // One object moving at (5, 2) px/frame and a static one; the mover is missing for `gap` frames from frame 15.
    const run = (gap: number, retain: number) => {
      const tracker = buildTracker('ByteTracker', { num_frames_retain: retain });
      const mover = (f: number) => [50 + 5 * f, 100 + 2 * f, 100 + 5 * f, 220 + 2 * f];
      const still = [600, 300, 650, 420];
      const ids: (number | undefined)[] = [];
      for (let f = 0; f < 15 + gap + 5; f++) {
        const visible = f < 15 || f >= 15 + gap;
        const out = tracker.update(frameOf([...(visible ? [{ box: mover(f), score: 0.9 }] : []), { box: still, score: 0.95 }]));
        ids.push(visible ? idAt(out, mover(f)) : -1);
        expect(idAt(out, still)).toBe(1);
      }
      return { before: ids[14], after: ids.slice(15 + gap) };
    };
    it('a gap shorter than num_frames_retain keeps the id (the Kalman filter carries the box)', () => {
      const { before, after } = run(9, 10);
      expect(before).toBe(0);
      expect(after).toEqual([0, 0, 0, 0, 0]);
    });
    it('a gap of num_frames_retain frames or more starts a new track', () => {
      const { before, after } = run(10, 10);
      expect(before).toBe(0);
      expect(after).toEqual([2, 2, 2, 2, 2]);
      expect(run(25, 10).after).toEqual([2, 2, 2, 2, 2]);
    });
  });

  it('on an empty tracker only detections above init_track_thr start tracks; later ones need num_tentatives frames', () => {
    const tracker = buildTracker('ByteTracker');
    const out0 = tracker.update(frameOf([{ box: [0, 0, 10, 20], score: 0.95 }, { box: [100, 0, 110, 20], score: 0.65 }]));
    expect(Array.from(out0.ids!)).toEqual([0]); // 0.65 < init_track_thr 0.7
    expect(tracker.store.get(0).tentative).toBe(false); // born on frame 0
    // Frame 1: a new object with score 0.65 (> high 0.6) starts a tentative track although 0.65 < init_track_thr.
    tracker.update(frameOf([{ box: [0, 0, 10, 20], score: 0.95 }, { box: [200, 0, 210, 20], score: 0.65 }]));
    expect(tracker.store.get(1).tentative).toBe(true);
    tracker.update(frameOf([{ box: [0, 0, 10, 20], score: 0.95 }, { box: [200, 0, 210, 20], score: 0.9 }]));
    expect(tracker.store.get(1).tentative).toBe(true);
    tracker.update(frameOf([{ box: [0, 0, 10, 20], score: 0.95 }, { box: [200, 0, 210, 20], score: 0.9 }]));
    expect(tracker.store.get(1).tentative).toBe(false);
    // A tentative track not matched in a frame is dropped at once.
    tracker.update(frameOf([{ box: [0, 0, 10, 20], score: 0.95 }, { box: [400, 0, 410, 20], score: 0.9 }]));
    tracker.update(frameOf([{ box: [0, 0, 10, 20], score: 0.95 }]));
    expect(tracker.store.ids).toEqual([0, 1]);
  });

  it('never matches across classes', () => {
    const tracker = buildTracker('ByteTracker');
    tracker.update(frameOf([{ box: [0, 0, 10, 20], score: 0.9 }], 0));
    const out = tracker.update(frameOf([{ box: [0, 0, 10, 20], score: 0.9 }], 3));
    expect(Array.from(out.ids!)).toEqual([1]);
  });

  it('takes ids from the counter passed in, restarts them on reset and on frame 0', () => {
    const counter = new IdCounter(1);
    const tracker = buildTracker('ByteTracker', {}, { idCounter: counter });
    const d = frameOf([{ box: [0, 0, 10, 20], score: 0.9 }]);
    expect(Array.from(tracker.update(d).ids!)).toEqual([1]);
    tracker.update(frameOf([{ box: [50, 0, 60, 20], score: 0.9 }]));
    expect(counter.peek()).toBe(3);
    expect(Array.from(tracker.update(d, { frameId: 0 }).ids!)).toEqual([1]);
    tracker.reset();
    expect(Array.from(tracker.update(d).ids!)).toEqual([1]);
    expect(() => tracker.update(d, { frameId: 0.5 })).toThrow(/frameId/);
    tracker.update(d, { frameId: 5 });
    expect(() => tracker.update(d, { frameId: 3 })).toThrow(/does not follow/);
  });

  it('rejects inconsistent detections', () => {
    expect(() => buildTracker('ByteTracker').update({ boxes: new Float32Array(4), scores: new Float32Array(2), labels: new Int32Array(2) })).toThrow(/inconsistent detections/);
  });
});
