/**
 * Our Faster R-CNN runner against torchvision: the fixture (scripts/fixtures/make_faster_rcnn_fixture.py) holds a
 * small torchvision Faster R-CNN with fixed random weights, exported as the two graphs of
 * fixtures/faster_rcnn_tiny.py, three synthetic images, and torchvision's proposals and detections on them. The
 * runner (config-built, graphs on onnxruntime-web's wasm EP, everything else our TypeScript) must find the same
 * detections: same count and labels, boxes within 1e-3 pixels, scores within 1e-4.
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { ortRunGraph } from '../../../runtime/detectors/faster-rcnn-cpu.ts';
import { fixtureRgba, loadFixtureModel, maxAbsDiff, readFasterRcnnFixture, unmatchedDetections } from '../../../runtime/detectors/faster-rcnn-fixture.node.ts';
import type { FasterRcnnModel } from './faster-rcnn-config.ts';
import { FasterRcnn, type FasterRcnnResult } from './faster-rcnn.ts';

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
