/**
 * Our DFF against MMTracking's, restated in PyTorch: the fixture (scripts/fixtures/make_dff_fixture.py) holds a tiny
 * DFF with fixed random weights — the torchvision Faster R-CNN of the detector fixture and a small FlowNetSimple with
 * MMTracking's layout — exported by scripts/export/export_vid_onnx.py as the four graphs of fixtures/dff_tiny.py, a
 * 7-frame synthetic clip with moving shapes, and the restatement's proposals and detections on every frame (key
 * frames 0, 3, 6; the others warp the key frame's features by the flow). Our runner (config-built, graphs on
 * onnxruntime-web's wasm EP, FlowNet preparation, flow scaling, warping and the detector's post-processing in our
 * TypeScript) must find the same: labels identical, boxes within 1e-3 px, scores within 1e-4 (1e-5 for proposals).
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DffModel, dffModel } from '../../core/models/vid/vid-config.ts';
import { Dff, type DffFrameResult, type DffGraphRole } from '../../core/models/vid/dff.ts';
import { ortRunGraph } from '../detectors/faster-rcnn-cpu.ts';
import { type FixtureImage, fixtureRgba, maxAbsDiff, unmatchedDetections } from '../detectors/faster-rcnn-fixture.node.ts';
import { readVidFixture, vidFixtureConfig, vidFixtureSessions } from './vid-fixture.node.ts';


interface DffFixture {
  seed: number;
  settings: { key_frame_interval: number; img_scale_factor: number; flow_scale_factor: number };
  parts: Record<DffGraphRole, { file: string; inputs: string[]; outputs: string[] }>;
  margins: Record<string, number | null>;
  frames: (FixtureImage & { frame_id: number; key_frame: boolean; flow_abs_max: number | null })[];
}

const fixture = readVidFixture<DffFixture>('dff_tiny');

async function loadDff(): Promise<{ model: DffModel; dff: Dff }> {
  const config = await vidFixtureConfig('dff_tiny');
  const model = dffModel(config);
  return { model, dff: new Dff(model, ortRunGraph<DffGraphRole>(ort, await vidFixtureSessions<DffGraphRole>(config))) };
}

describe('DFF runner vs the PyTorch restatement of MMTracking (fixtures/dff_tiny.*)', () => {
  let model: DffModel;
  let dff: Dff;
  const results: DffFrameResult[] = [];

  beforeAll(async () => {
    ({ model, dff } = await loadDff());
    for (const frame of fixture.frames) results.push(await dff.detect(fixtureRgba(frame), frame.width, frame.height, frame.frame_id));
  });

  it('the config says what the generator built, and the export script wrote the graphs it names', () => {
    expect(model.dff).toEqual({ method: 'DFF', keyFrameInterval: 3, motion: { type: 'FlowNetSimple', imgScaleFactor: 0.5, flowScaleFactor: 5, flowImgNormMean: [0.411, 0.432, 0.45], flowImgNormStd: [255, 255, 255] } });
    expect(fixture.settings).toMatchObject({ key_frame_interval: 3, img_scale_factor: 0.5, flow_scale_factor: 5 });
    expect(model.graphs.backbone.features).toEqual(fixture.parts.backbone.outputs);
    expect(model.graphs.rpnHead.inputs).toEqual(fixture.parts.rpn_head.inputs);
    expect([...model.graphs.rpnHead.cls, ...model.graphs.rpnHead.reg]).toEqual(fixture.parts.rpn_head.outputs);
    expect(model.graphs.motion.spec.file).toBe(fixture.parts.motion.file);
  });

  it('the clip has real motion: key frames 0, 3, 6, warped frames with flows of several pixels, detections on every frame', () => {
    expect(results.map((r) => r.keyFrame)).toEqual([true, false, false, true, false, false, true]);
    expect(fixture.frames.map((f) => f.key_frame)).toEqual([true, false, false, true, false, false, true]);
    for (const f of fixture.frames) if (!f.key_frame) expect(f.flow_abs_max!).toBeGreaterThan(3);
    for (const f of fixture.frames) expect(f.detections.scores.length).toBeGreaterThan(0);
    for (const v of Object.values(fixture.margins)) if (v !== null) expect(v).toBeGreaterThanOrEqual(2e-5);
  });

  for (const frame of fixture.frames) {
    const kind = frame.key_frame ? 'key frame' : 'warped';
    it(`frame ${frame.frame_id} (${kind}): same proposals, in the same order (boxes 1e-3 px, scores 1e-5)`, () => {
      const ours = results[frame.frame_id]!.proposals;
      expect(maxAbsDiff(ours.boxes, frame.proposals)).toBeLessThan(1e-3);
      expect(maxAbsDiff(ours.scores, frame.proposal_scores)).toBeLessThan(1e-5);
    });

    it(`frame ${frame.frame_id} (${kind}): same detections (labels identical, boxes 1e-3 px, scores 1e-4)`, () => {
      const ours = results[frame.frame_id]!.detections;
      expect(ours.scores.length).toBe(frame.detections.scores.length);
      expect(unmatchedDetections(ours, frame.detections, 1e-3, 1e-4)).toEqual([]);
    });
  }

  it('per-stage timings name what ran: the backbone on key frames, flow and warp on the others', () => {
    expect(Object.keys(results[0]!.timings).sort()).toEqual(['backbone', 'head']);
    expect(Object.keys(results[1]!.timings).sort()).toEqual(['flow', 'head', 'warp']);
  });

  it('a frame whose key frame has not run is refused, naming both', async () => {
    const { dff: fresh } = await loadDff();
    const f = fixture.frames[4]!;
    await expect(fresh.detect(fixtureRgba(f), f.width, f.height, 4)).rejects.toThrow('DFF: frame 4 warps the features of key frame 3, which has not been run');
    expect(fresh.keyFrameOf(5)).toBe(3);
  });
});
