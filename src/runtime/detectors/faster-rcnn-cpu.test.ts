/**
 * Our Faster R-CNN runner against torchvision: the fixture (scripts/fixtures/make_faster_rcnn_fixture.py) holds a
 * small torchvision Faster R-CNN with fixed random weights, exported as the two graphs of
 * fixtures/faster_rcnn_tiny.py, three synthetic images, and torchvision's proposals and detections on them. The
 * runner (config-built, graphs on onnxruntime-web's wasm EP, everything else our TypeScript) must find the same
 * detections: same count and labels, boxes within 1e-3 pixels, scores within 1e-4.
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { ortRunGraph } from './faster-rcnn-cpu.ts';
import { fixtureRgba, loadFixtureModel, maxAbsDiff, readFasterRcnnFixture, unmatchedDetections } from './faster-rcnn-fixture.node.ts';
import { AnchorGenerator } from '../../core/models/det/anchor-generator.ts';
import { DeltaXYWHBBoxCoder } from '../../core/models/det/delta-xywh-coder.ts';
import type { FasterRcnnModel, RpnSettings } from '../../core/models/det/faster-rcnn-config.ts';
import { FasterRcnn, type FasterRcnnResult, rpnCandidates } from '../../core/models/det/faster-rcnn.ts';
import { preprocessGeometry } from '../../core/ops/preprocess.ts';
import type { Detections } from '../../core/structures/detections.ts';

const fixture = readFasterRcnnFixture();

describe('Faster R-CNN runner vs torchvision (fixtures/faster_rcnn_tiny.*)', () => {
  let model: FasterRcnnModel;
  const results = new Map<string, FasterRcnnResult>();

  beforeAll(async () => {
    const loaded = await loadFixtureModel();
    model = loaded.model;
    const detector = new FasterRcnn(model, ortRunGraph(ort, loaded.sessions));
    for (const image of fixture.images) results.set(image.name, await detector.detect(fixtureRgba(image), image.width, image.height));
  });

  it('the config says what the generator built', () => {
    const s = model.settings;
    const g = fixture.settings;
    expect(s.rpn.anchorGenerator.strides.map(([w]) => w)).toEqual(g.anchor_strides);
    expect(s.rpn.anchorGenerator.numBaseAnchors).toEqual(g.anchor_strides.map(() => g.anchor_ratios.length * g.anchor_scales.length));
    expect([s.rpn.nmsPre, s.rpn.maxPerImg, s.rpn.nms.iouThreshold]).toEqual([g.rpn_nms_pre, g.rpn_max_per_img, g.rpn_iou_threshold]);
    expect(s.rcnn.roiExtractor).toEqual({ roiLayer: { outputSize: g.roi_output_size, samplingRatio: g.roi_sampling_ratio, aligned: g.roi_aligned }, featmapStrides: g.featmap_strides, finestScale: g.finest_scale });
    expect([s.rcnn.numClasses, s.rcnn.scoreThr, s.rcnn.nms.iouThreshold, s.rcnn.maxPerImg]).toEqual([g.num_classes, g.rcnn_score_thr, g.rcnn_iou_threshold, g.rcnn_max_per_img]);
    expect(s.rcnn.bboxCoder.stds).toEqual(g.rcnn_target_stds.map(Math.fround));
    expect(model.preprocess).toEqual({ scale: g.img_scale, keepRatio: true, mean: g.mean, std: g.std, toRgb: true, sizeDivisor: g.size_divisor });
    expect(s.classNames).toEqual(['square', 'circle', 'blob']);
  });

  it('the fixture exercises every branch: a resized and a padded image, all RoI levels, the max_per_img cap and the score threshold', () => {
    const counts = fixture.images.map((im) => im.detections.scores.length);
    expect(counts.filter((n) => n === 100).length).toBeGreaterThan(0);
    expect(counts.filter((n) => n < 100).length).toBeGreaterThan(0);
    expect(new Set(fixture.images.flatMap((im) => im.detections.labels))).toEqual(new Set([0, 1, 2]));
    expect(fixture.images.map((im) => [im.width, im.height])).toEqual([[160, 128], [211, 176], [150, 128]]);
    // Proposal sizes reach all three levels of floor(log2(sqrt(area) / 14)).
    const levels = new Set<number>();
    for (const im of fixture.images) {
      for (let i = 0; i < im.proposals.length; i += 4) {
        const s = Math.sqrt((im.proposals[i + 2]! - im.proposals[i]!) * (im.proposals[i + 3]! - im.proposals[i + 1]!));
        levels.add(Math.min(Math.max(Math.floor(Math.log2(s / 14 + 1e-6)), 0), 2));
      }
    }
    expect(levels).toEqual(new Set([0, 1, 2]));
  });

  it("Tracktor's regression: the bbox head on torchvision's proposals as given boxes yields every torchvision detection (class by class, no NMS)", async () => {
    const loaded = await loadFixtureModel();
    const detector = new FasterRcnn(loaded.model, ortRunGraph(ort, loaded.sessions));
    for (const image of fixture.images) {
      await detector.detect(fixtureRgba(image), image.width, image.height);
      const g = preprocessGeometry(image.width, image.height, loaded.model.preprocess);
      // torchvision's proposals are resized-image pixels; regress() takes frame pixels.
      const k = image.proposals.length / 4;
      const frameBoxes = Float32Array.from(image.proposals, (v, i) => v / g.scaleFactor[i % 2]!);
      const all: Detections = { boxes: new Float32Array(0), scores: new Float32Array(0), labels: new Int32Array(0) };
      const parts = [];
      for (let c = 0; c < 3; c++) parts.push(await detector.regress(frameBoxes, new Int32Array(k).fill(c)));
      all.boxes = Float32Array.from(parts.flatMap((p) => Array.from(p.boxes)));
      all.scores = Float32Array.from(parts.flatMap((p) => Array.from(p.scores)));
      all.labels = Int32Array.from(parts.flatMap((p) => Array.from(p.labels)));
      expect(unmatchedDetections(all, image.detections, 1e-3, 1e-4), image.name).toEqual([]);
      // Without labels each box gets its best class.
      const best = await detector.regress(frameBoxes.subarray(0, 8));
      for (let i = 0; i < 2; i++) expect(best.scores[i]).toBe(Math.max(...parts.map((p) => p.scores[i]!)));
    }
    await expect(new FasterRcnn(loaded.model, ortRunGraph(ort, loaded.sessions)).regress(new Float32Array(4))).rejects.toThrow(/call detect\(\) on it first/);
  });

  for (const image of fixture.images) {
    it(`${image.name}: same proposals as torchvision's RPN, in the same order (boxes 1e-3 px, scores 1e-5)`, () => {
      const ours = results.get(image.name)!.proposals;
      expect(maxAbsDiff(ours.boxes, image.proposals)).toBeLessThan(1e-3);
      expect(maxAbsDiff(ours.scores, image.proposal_scores)).toBeLessThan(1e-5);
    });

    it(`${image.name}: same detections as torchvision (labels identical, boxes 1e-3 px, scores 1e-4)`, () => {
      const ours = results.get(image.name)!.detections;
      expect(ours.scores.length).toBe(image.detections.scores.length);
      expect(unmatchedDetections(ours, image.detections, 1e-3, 1e-4)).toEqual([]);
      // Best first, as MMDetection returns them.
      for (let i = 1; i < ours.scores.length; i++) expect(ours.scores[i]!).toBeLessThanOrEqual(ours.scores[i - 1]!);
    });
  }
});

describe('RPN candidates (hand-computed)', () => {
  // One level, stride 16, one 16x16 anchor per cell, a 1x2 map, zero deltas: the proposals are the anchors clipped
  // to the 16x32 image: cell (0, 0) [-8, -8, 8, 8] → [0, 0, 8, 8], cell (0, 1) [8, -8, 24, 8] → [8, 0, 24, 8].
  const rpn = (useSigmoid: boolean, nmsPre: number, minBboxSize = 0): RpnSettings => ({
    anchorGenerator: new AnchorGenerator({ strides: [16], ratios: [1], scales: [1] }),
    bboxCoder: new DeltaXYWHBBoxCoder(),
    useSigmoid,
    nmsPre,
    maxPerImg: 10,
    nms: { iouThreshold: 0.7, classAgnostic: false },
    minBboxSize,
  });
  const reg = [{ data: new Float32Array(8), dims: [1, 4, 1, 2] }];

  it('sigmoid scores, top nms_pre per level by score, decode and clip', () => {
    const cls = [{ data: Float32Array.from([0, Math.log(3)]), dims: [1, 1, 1, 2] }];
    const all = rpnCandidates(cls, reg, rpn(true, -1), [16, 32]);
    expect(all.scores[0]).toBe(0.5);
    expect(all.scores[1]).toBeCloseTo(0.75, 6);
    expect(Array.from(all.boxes)).toEqual([0, 0, 8, 8, 8, 0, 24, 8]);
    const top1 = rpnCandidates(cls, reg, rpn(true, 1), [16, 32]);
    expect(Array.from(top1.boxes)).toEqual([8, 0, 24, 8]);
    expect(Array.from(top1.levels)).toEqual([0]);
  });

  it('a softmax RPN (loss_cls.use_sigmoid=False) scores the first of each (fg, bg) channel pair', () => {
    // Channels: anchor 0 foreground, anchor 0 background; cell 1 has fg - bg = ln 3 → 0.75.
    const cls = [{ data: Float32Array.from([0, Math.log(3), 0, 0]), dims: [1, 2, 1, 2] }];
    const { scores } = rpnCandidates(cls, reg, rpn(false, -1), [16, 32]);
    expect(scores[0]).toBe(0.5);
    expect(scores[1]).toBeCloseTo(0.75, 6);
  });

  it('drops boxes not wider and taller than min_bbox_size', () => {
    const cls = [{ data: Float32Array.from([0, 0]), dims: [1, 1, 1, 2] }];
    // dh = ln 2 on cell 1 (channel 3, position 1): 16 → 32 px tall, clipped to [0, 16]; cell 0 stays 8 x 8.
    const taller = [{ data: Float32Array.from([0, 0, 0, 0, 0, 0, 0, Math.LN2]), dims: [1, 4, 1, 2] }];
    expect(Array.from(rpnCandidates(cls, taller, rpn(true, -1, 8), [16, 32]).boxes)).toEqual([8, 0, 24, 16]);
  });

  it('names a score map that does not fit the anchors', () => {
    const cls = [{ data: new Float32Array(4), dims: [1, 2, 1, 2] }];
    expect(() => rpnCandidates(cls, reg, rpn(true, -1), [16, 32])).toThrow(/RPN level 0 has score map \[1, 2, 1, 2\] .* 1 anchors per cell need \[1, 1, H, W\]/);
  });
});
