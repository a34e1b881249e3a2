/**
 * The tracker against MMTracking's, restated line by line in scripts/fixtures/make_masktrack_rcnn_fixture.py, on its
 * hand-made scenario (new tracks, matches, an empty frame, tracks dropped after num_frames_retain, a refused
 * detection and MMTracking's duplicate ids), and the documented fix for the duplicates.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MaskTrackRcnnTracker, type MaskTrackRcnnTrackerSettings } from './masktrack-rcnn-tracker.ts';

interface ScenarioFrame {
  boxes: number[];
  labels: number[];
  embeds: number[];
  ids: number[];
  tracks: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../models/vis/fixtures/masktrack_rcnn_tiny.json', import.meta.url), 'utf8')) as {
  settings: { match_weights: { det_score: number; iou: number; det_label: number }; num_frames_retain: number };
  tracker_scenario: { frames: ScenarioFrame[] };
};
const frames = fixture.tracker_scenario.frames;
const w = fixture.settings.match_weights;
const settings: MaskTrackRcnnTrackerSettings = { matchWeights: { detScore: w.det_score, iou: w.iou, detLabel: w.det_label }, numFramesRetain: fixture.settings.num_frames_retain, fixDuplicateIds: false };

function run(tracker: MaskTrackRcnnTracker): { ids: number[][]; tracks: number[][] } {
  const ids: number[][] = [];
  const tracks: number[][] = [];
  frames.forEach((f, t) => {
    const n = f.labels.length;
    const boxes = new Float32Array(n * 4);
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      boxes.set(f.boxes.slice(i * 5, i * 5 + 4), i * 4);
      scores[i] = f.boxes[i * 5 + 4]!;
    }
    ids.push([...tracker.track(t, { boxes, scores, labels: Int32Array.from(f.labels), embeddings: Float32Array.from(f.embeds), dim: n ? f.embeds.length / n : 8 })]);
    tracks.push(tracker.ids);
  });
  return { ids, tracks };
}

describe('MaskTrackRcnnTracker vs MMTracking (tracker scenario of the fixture)', () => {
  it('the same ids on every frame, and the same live tracks after it', () => {
    const out = run(new MaskTrackRcnnTracker(settings));
    expect(out.ids).toEqual(frames.map((f) => f.ids));
    expect(out.tracks).toEqual(frames.map((f) => f.tracks));
  });

  it('the scenario has each case: an empty frame, a duplicate id, a refused detection, a dropped track that comes back new', () => {
    const ids = frames.map((f) => f.ids);
    expect(ids.some((f) => f.length === 0)).toBe(true);
    expect(ids.some((f) => new Set(f.filter((i) => i >= 0)).size < f.filter((i) => i >= 0).length)).toBe(true);
    expect(ids.some((f) => f.includes(-1))).toBe(true);
    expect(Math.max(...ids.flat())).toBeGreaterThan(Math.max(...ids[1]!));
  });

  it('fixDuplicateIds: the earlier of two detections on one track is dropped, nothing else changes on that frame', () => {
    const fixed = run(new MaskTrackRcnnTracker({ ...settings, fixDuplicateIds: true }));
    const t = frames.findIndex((f) => new Set(f.ids.filter((i) => i >= 0)).size < f.ids.filter((i) => i >= 0).length);
    const upstream = frames[t]!.ids;
    const mine = fixed.ids[t]!;
    const kept = mine.filter((i) => i >= 0);
    expect(new Set(kept).size).toBe(kept.length);
    const dup = upstream.find((id, i) => id >= 0 && upstream.indexOf(id) !== i)!;
    expect(mine[upstream.indexOf(dup)]).toBe(-1);
    expect(mine[upstream.lastIndexOf(dup)]).toBe(dup);
    mine.forEach((id, i) => {
      if (upstream[i] !== dup) expect(id).toBe(upstream[i]);
    });
  });

  it('frame 0 starts a new video: ids restart at 0', () => {
    const tracker = new MaskTrackRcnnTracker(settings);
    run(tracker);
    const again = run(tracker);
    expect(again.ids).toEqual(frames.map((f) => f.ids));
  });
});
