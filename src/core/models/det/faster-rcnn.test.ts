/**
 * Our Faster R-CNN runner against torchvision: the fixture (scripts/fixtures/make_faster_rcnn_fixture.py) holds a
 * small torchvision Faster R-CNN with fixed random weights, exported as the two graphs of
 * fixtures/faster_rcnn_tiny.py, three synthetic images, and torchvision's proposals and detections on them. The
 * runner (config-built, graphs on onnxruntime-web's wasm EP, everything else our TypeScript) must find the same
 * detections: same count and labels, boxes within 1e-3 pixels, scores within 1e-4.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeConfigFs } from '../../../cli/node-config-fs.ts';
import { ortRunGraph } from '../../../runtime/detectors/faster-rcnn-cpu.ts';
import { loadModel } from '../../../runtime/model-session.ts';
import { loadConfig } from '../../config/config-loader.ts';
import type { Detections } from '../../structures/detections.ts';
import { type FasterRcnnModel, fasterRcnnModel } from './faster-rcnn-config.ts';
import { FasterRcnn, type FasterRcnnResult } from './faster-rcnn.ts';

const fixtureDir = new URL('./fixtures/', import.meta.url);

interface FixtureImage {
  name: string;
  width: number;
  height: number;
  rgb_base64: string;
  proposals: number[];
  proposal_scores: number[];
  detections: { boxes: number[]; scores: number[]; labels: number[] };
}

interface Fixture {
  settings: {
    num_classes: number;
    anchor_strides: number[];
    anchor_ratios: number[];
    anchor_scales: number[];
    rpn_nms_pre: number;
    rpn_max_per_img: number;
    rpn_iou_threshold: number;
    featmap_strides: number[];
    finest_scale: number;
    roi_output_size: number;
    roi_sampling_ratio: number;
    roi_aligned: boolean;
    rcnn_target_stds: number[];
    rcnn_score_thr: number;
    rcnn_iou_threshold: number;
    rcnn_max_per_img: number;
    img_scale: number[];
    mean: number[];
    std: number[];
    size_divisor: number;
  };
  images: FixtureImage[];
}

const fixture = JSON.parse(readFileSync(new URL('faster_rcnn_tiny.json', fixtureDir), 'utf8')) as Fixture;

function rgba(image: FixtureImage): Uint8Array {
  const rgb = Buffer.from(image.rgb_base64, 'base64');
  expect(rgb.length).toBe(image.width * image.height * 3);
  const out = new Uint8Array(image.width * image.height * 4);
  for (let i = 0; i < image.width * image.height; i++) {
    out[i * 4] = rgb[i * 3]!;
    out[i * 4 + 1] = rgb[i * 3 + 1]!;
    out[i * 4 + 2] = rgb[i * 3 + 2]!;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/**
 * Pairs each torchvision detection with one of ours of the same label whose box is within `boxTol` and score within
 * `scoreTol` (one-to-one; scores closer than float noise may come in either order). Returns the unmatched ones.
 */
function unmatched(ours: Detections, ref: FixtureImage['detections'], boxTol: number, scoreTol: number): string[] {
  const used = new Uint8Array(ours.scores.length);
  const problems: string[] = [];
  ref.scores.forEach((score, i) => {
    let best = -1;
    for (let j = 0; j < ours.scores.length; j++) {
      if (used[j] || ours.labels[j] !== ref.labels[i] || Math.abs(ours.scores[j]! - score) > scoreTol) continue;
      if ([0, 1, 2, 3].every((c) => Math.abs(ours.boxes[j * 4 + c]! - ref.boxes[i * 4 + c]!) <= boxTol)) {
        best = j;
        break;
      }
    }
    if (best < 0) problems.push(`torchvision #${i}: label ${ref.labels[i]}, score ${score}, box [${ref.boxes.slice(i * 4, i * 4 + 4).join(', ')}]`);
    else used[best] = 1;
  });
  return problems;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('Faster R-CNN runner vs torchvision (fixtures/faster_rcnn_tiny.*)', () => {
  let model: FasterRcnnModel;
  let detector: FasterRcnn;
  const results = new Map<string, FasterRcnnResult>();

  beforeAll(async () => {
    const { config } = await loadConfig(new URL('faster_rcnn_tiny.py', fixtureDir).pathname, nodeConfigFs);
    model = fasterRcnnModel(config);
    const load = async (role: 'backbone' | 'bbox_head') => {
      const spec = role === 'backbone' ? model.graphs.backbone.spec : model.graphs.bboxHead.spec;
      const bytes = new Uint8Array(readFileSync(new URL(spec.file, fixtureDir)));
      return (await loadModel(ort, bytes, spec.file, spec, { providers: ['wasm'] })).session;
    };
    detector = new FasterRcnn(model, ortRunGraph(ort, { backbone: await load('backbone'), bbox_head: await load('bbox_head') }));
    for (const image of fixture.images) results.set(image.name, await detector.detect(rgba(image), image.width, image.height));
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
      expect(ours.boxes.length).toBe(image.proposals.length);
      expect(maxAbsDiff(ours.boxes, image.proposals)).toBeLessThan(1e-3);
      expect(maxAbsDiff(ours.scores, image.proposal_scores)).toBeLessThan(1e-5);
    });

    it(`${image.name}: same detections as torchvision (labels identical, boxes 1e-3 px, scores 1e-4)`, () => {
      const ours = results.get(image.name)!.detections;
      const ref = image.detections;
      expect(ours.scores.length).toBe(ref.scores.length);
      expect(unmatched(ours, ref, 1e-3, 1e-4)).toEqual([]);
      // Best first, as MMDetection returns them.
      for (let i = 1; i < ours.scores.length; i++) expect(ours.scores[i]!).toBeLessThanOrEqual(ours.scores[i - 1]!);
    });
  }
});
