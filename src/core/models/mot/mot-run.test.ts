import { describe, expect, it } from 'vitest';
import { parseCocoVid } from '../../datasets/coco-vid.ts';
import { parseMotTracker, writeMotTracker } from '../../datasets/mot-challenge.ts';
import { makeDetections } from '../../structures/detections.ts';
import { classFilter, MotRun } from './mot-run.ts';

const config = {
  classes: ['person'],
  model: {
    type: 'ByteTrack',
    motion: { type: 'KalmanFilter' },
    tracker: { type: 'ByteTracker', obj_score_thrs: { high: 0.5, low: 0.1 }, init_track_thr: 0.6, weight_iou_with_det_scores: true, match_iou_thrs: { high: 0.1, low: 0.5, tentative: 0.3 }, num_frames_retain: 30 },
  },
};
const names = ['person', 'bicycle', 'car'];

/** Two people walking right and a car (filtered out by `classes`), over three frames. */
function frame(f: number) {
  return makeDetections({
    boxes: [10 + 5 * f, 10, 40 + 5 * f, 90, 100 + 5 * f, 20, 130 + 5 * f, 100, 200, 50, 300, 120],
    scores: [0.9, 0.8, 0.95],
    labels: [0, 0, 2],
  });
}

describe('MotRun', () => {
  it('filters the config classes, keeps ids across frames, and writes MOTChallenge rows and CocoVID JSON', async () => {
    const run = new MotRun(config, names);
    for (let f = 0; f < 3; f++) await run.step(f, frame(f));
    expect(run.trackList().map((t) => [t.id, t.label, t.firstFrame, t.lastFrame, t.length])).toEqual([
      [1, 0, 0, 2, 3],
      [2, 0, 0, 2, 3],
    ]);
    const rows = parseMotTracker(writeMotTracker(run.motRows()), 'run.txt').value;
    expect(rows.count).toBe(6);
    expect(Array.from(rows.frame)).toEqual([1, 1, 2, 2, 3, 3]);
    const coco = run.cocoVid({ name: 'walk', width: 320, height: 240, frameCount: 3 }, names);
    // The project's own CocoVID reader takes it back: 3 images, 6 annotations with instance ids 1 and 2.
    const back = parseCocoVid(JSON.stringify(coco), 'walk.json');
    expect(back.warnings).toEqual([]);
    expect(back.value.images.map((i) => i.frame_id)).toEqual([0, 1, 2]);
    expect(new Set(back.value.annotations.map((a) => a.instance_id))).toEqual(new Set([1, 2]));
    expect(back.value.annotations[0]?.bbox).toEqual([10, 10, 30, 80]);
    expect(coco.annotations.every((a) => a.category_id === 1 && a.score > 0.7)).toBe(true);
  });
  it('a run rebuilt from its tracked boxes has the same tracks and exports', async () => {
    const run = new MotRun(config, names);
    for (let f = 0; f < 3; f++) await run.step(f, frame(f));
    const back = MotRun.fromFrames(config, names, [...run.frames.entries()].reverse());
    expect(back.trackList()).toEqual(run.trackList());
    expect(writeMotTracker(back.motRows())).toBe(writeMotTracker(run.motRows()));
  });
  it('names an unknown class', () => {
    expect(() => classFilter({ classes: ['pedestrian'] }, names)).toThrow(/'pedestrian' is not a class of the detector/);
    expect(classFilter({}, names)).toBeNull();
  });
});
