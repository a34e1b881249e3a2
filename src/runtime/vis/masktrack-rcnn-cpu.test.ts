/**
 * Our MaskTrack R-CNN against MMTracking's, restated line by line in PyTorch by
 * scripts/fixtures/make_masktrack_rcnn_fixture.py on an 8-frame clip with small random-weight networks: the runner
 * (config-built, the four graphs on onnxruntime-web's wasm EP, everything else our TypeScript) must give the same
 * detections in the same class-major order (boxes within 1e-3 px, scores within 3e-4), identical ids on every frame,
 * and identical masks except pixels within 1e-5 of the threshold.
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { MaskTrackRcnn, type VisFrameResult } from '../../core/models/vis/masktrack-rcnn.ts';
import { ortRunGraph } from '../detectors/faster-rcnn-cpu.ts';
import { loadVisFixtureModel, readVisFixture, visFrameProblems, visFrameRgba } from './masktrack-rcnn-fixture.node.ts';

const fixture = readVisFixture();

describe('MaskTrack R-CNN vs MMTracking (fixtures/masktrack_rcnn_tiny.*), CPU path', () => {
  const results: VisFrameResult[] = [];
  let runner: MaskTrackRcnn;

  beforeAll(async () => {
    const { model, sessions } = await loadVisFixtureModel();
    runner = new MaskTrackRcnn(model, ortRunGraph(ort, sessions));
    for (const frame of fixture.frames) results.push(await runner.track(visFrameRgba(frame), frame.width, frame.height, frame.frame_id));
  });

  it('the config says what the generator built', () => {
    const m = runner.model;
    expect(m.tracker).toEqual({ matchWeights: { detScore: 1, iou: 2, detLabel: 10 }, numFramesRetain: fixture.settings.num_frames_retain, fixDuplicateIds: false });
    expect(m.mask).toMatchObject({ channels: 3, maskSize: 28, threshold: fixture.settings.mask_thr_binary });
    expect(m.detector.settings.rcnn.maxPerImg).toBe(fixture.settings.rcnn_max_per_img);
  });

  it('every frame: the same detections, ids and masks', () => {
    const problems = fixture.frames.flatMap((ref, t) => visFrameProblems(results[t]!, ref).map((p) => `frame ${t}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('the clip exercises the tracker: matches, refused detections, duplicate ids, and a resized frame', () => {
    const ids = fixture.frames.map((f) => f.ids);
    expect(ids.slice(1).some((f) => f.some((i) => i >= 0))).toBe(true);
    expect(ids.some((f) => f.includes(-1))).toBe(true);
    expect(ids.some((f) => new Set(f.filter((i) => i >= 0)).size < f.filter((i) => i >= 0).length)).toBe(true);
    expect(fixture.frames[0]!.scale_factor[0]).not.toBe(1);
    expect(results.every((r) => r.masks.width === fixture.frames[0]!.width && r.masks.height === fixture.frames[0]!.height)).toBe(true);
  });
});
