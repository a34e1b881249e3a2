/**
 * Our YOLOX decoding against MMDetection's: the fixture (scripts/fixtures/make_yolox_fixture.py) holds a tiny
 * YOLOX-shaped network with fixed random weights exported as the graph of fixtures/yolox_tiny.py, three synthetic
 * images and the detections of MMDetection 2.x's YOLOXHead.get_bboxes (re-stated in torch by the generator) on them.
 * The whole runner (config-built, graph on onnxruntime-web's wasm EP, pre- and post-processing ours) must find the
 * same detections: labels identical, boxes within 1e-3 px, scores within 1e-5.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';
import { type DetectorRunner, detectorClassNames, loadDetectorRunner } from './detector-runner.ts';
import { FIXTURE_DIR, type FixtureImage, fixtureRgba, unmatchedDetections } from './faster-rcnn-fixture.node.ts';
import { loadModel } from '../model-session.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import type { ConfigDict } from '../../core/config/config-value.ts';
import { yoloxDetections } from '../../core/models/det/yolox.ts';
import { yoloxModel } from '../../core/models/det/yolox-config.ts';

interface YoloxFixture {
  settings: { num_classes: number; strides: number[]; img_scale: number[]; pad_val: number; score_thr: number; iou_threshold: number };
  images: Array<Omit<FixtureImage, 'proposals' | 'proposal_scores'>>;
}

const fixture = JSON.parse(readFileSync(new URL('yolox_tiny.json', FIXTURE_DIR), 'utf8')) as YoloxFixture;

describe('YOLOX runner vs MMDetection (fixtures/yolox_tiny.*)', () => {
  let config: ConfigDict;
  let runner: DetectorRunner;

  beforeAll(async () => {
    ({ config } = await loadConfig(new URL('yolox_tiny.py', FIXTURE_DIR).pathname, nodeConfigFs));
    runner = await loadDetectorRunner(ort, config, async (spec) => loadModel(ort, new Uint8Array(readFileSync(new URL(spec.file, FIXTURE_DIR))), spec.file, spec, { providers: ['wasm'] }));
  });

  it('the config says what the generator built (YOLOX test pipeline: BGR 0-255, pad_to_square with 114)', () => {
    const m = yoloxModel(config);
    const g = fixture.settings;
    expect(m.settings).toEqual({ numClasses: g.num_classes, strides: g.strides, scoreThr: g.score_thr, nms: { iouThreshold: g.iou_threshold, classAgnostic: false } });
    expect(m.preprocess).toEqual({ scale: g.img_scale, keepRatio: true, mean: [0, 0, 0], std: [1, 1, 1], toRgb: false, sizeDivisor: 1, padToSquare: true, padValue: [g.pad_val, g.pad_val, g.pad_val] });
    expect(runner.classNames).toEqual(['square', 'circle', 'blob']);
    expect(detectorClassNames(config)).toEqual(runner.classNames);
    expect(runner.regressor).toBeNull();
  });

  it('the fixture exercises every branch: all three classes, NMS suppressing, a resized and two padded images', () => {
    expect(new Set(fixture.images.flatMap((im) => im.detections.labels))).toEqual(new Set([0, 1, 2]));
    expect(fixture.images.map((im) => [im.width, im.height])).toEqual([[128, 96], [80, 128], [256, 192]]);
    expect(Math.min(...fixture.images.map((im) => im.detections.scores.length))).toBeGreaterThanOrEqual(5);
  });

  for (const image of fixture.images) {
    it(`${image.name}: same detections as MMDetection's YOLOX (labels identical, boxes 1e-3 px, scores 1e-5), best first`, async () => {
      const { detections } = await runner.detect(fixtureRgba(image as FixtureImage), image.width, image.height);
      expect(detections.scores.length).toBe(image.detections.scores.length);
      expect(unmatchedDetections(detections, image.detections, 1e-3, 1e-5)).toEqual([]);
      for (let i = 1; i < detections.scores.length; i++) expect(detections.scores[i]!).toBeLessThanOrEqual(detections.scores[i - 1]!);
    });
  }
});

describe("MMTracking's ByteTrack YOLOX-X config", () => {
  it('reads as MMTracking runs it: one class, (800, 1440) BGR 0-255 padded to /32 with 114, score_thr 0.01, NMS 0.7', async () => {
    const { config } = await loadConfig('configs/mot/bytetrack/bytetrack_yolox_x_crowdhuman_mot17-private-half.py', nodeConfigFs);
    const m = yoloxModel(config);
    expect(m.settings).toEqual({ numClasses: 1, strides: [8, 16, 32], scoreThr: 0.01, nms: { iouThreshold: 0.7, classAgnostic: false } });
    expect(m.preprocess).toEqual({ scale: [800, 1440], keepRatio: true, mean: [0, 0, 0], std: [1, 1, 1], toRgb: false, sizeDivisor: 32, padValue: [114, 114, 114] });
    expect(m.classNames).toEqual(['pedestrian']);
    expect(m.graph.spec.file).toBe('bytetrack_mot17/yolox_x.onnx');
  });
});

describe('yoloxDetections (hand-computed)', () => {
  const settings = { numClasses: 2, strides: [8], scoreThr: 0.2, nms: { iouThreshold: 0.5, classAgnostic: false } };
  const t = (data: number[], dims: number[]) => ({ data: Float32Array.from(data), dims });

  it('decodes a cell: centre = pred·s + prior, size = exp(pred)·s, score = sigmoid(obj)·max sigmoid(cls), divided by scale_factor', () => {
    // One row of two cells (priors x = 0 and 8). Cell 1: class 1 logit 0 (0.5), objectness 0 (0.5) → 0.25 ≥ 0.2;
    // cell 0: 0.5 · sigmoid(-3) < 0.2 is dropped. Box of cell 1: centre (0.5·8 + 8, 0) = (12, 0), size (8, 8·e).
    const out = { clsScores: [t([-9, -9, -9, 0], [1, 2, 1, 2])], bboxPreds: [t([0, 0.5, 0, 0, 0, 0, 0, 1], [1, 4, 1, 2])], objectnesses: [t([-3, 0], [1, 1, 1, 2])] };
    const d = yoloxDetections(out, settings, [0.5, 2]);
    expect(Array.from(d.labels)).toEqual([1]);
    expect(d.scores[0]).toBeCloseTo(0.25, 6);
    const e8 = 8 * Math.E;
    expect(Array.from(d.boxes).map((v) => +v.toFixed(4))).toEqual([(12 - 4) / 0.5, -e8 / 2 / 2, (12 + 4) / 0.5, e8 / 2 / 2].map((v) => +v.toFixed(4)));
  });

  it('names a map of the wrong shape', () => {
    const out = { clsScores: [t([0, 0], [1, 2, 1, 1])], bboxPreds: [t([0, 0, 0], [1, 3, 1, 1])], objectnesses: [t([0], [1, 1, 1, 1])] };
    expect(() => yoloxDetections(out, settings, [1, 1])).toThrow(/box map 0 is \[1, 3, 1, 1\], expected \[1, 4, 1, 1\]/);
  });

  it('rejects a config whose graph does not list 3 outputs per stride', async () => {
    const { config } = await loadConfig(new URL('yolox_tiny.py', FIXTURE_DIR).pathname, nodeConfigFs);
    const bad = structuredClone<ConfigDict>(config);
    ((bad.model as ConfigDict).bbox_head as ConfigDict).strides = [8, 16];
    expect(() => yoloxModel(bad)).toThrow(/YOLOX with 2 strides needs 1 input \(the image\) and 6 outputs/);
    (bad.model as ConfigDict).bbox_head = { type: 'YOLOXHead', num_classes: 3, in_channels: 16, stride: [8] };
    expect(() => yoloxModel(bad)).toThrow(/does not accept key 'stride' \(did you mean 'strides'\?\)/);
  });
});
