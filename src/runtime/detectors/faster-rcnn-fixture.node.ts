/**
 * The torchvision Faster R-CNN fixture (src/core/models/det/fixtures/, made by
 * scripts/fixtures/make_faster_rcnn_fixture.py) for tests in Node: its config, its two graphs on onnxruntime-web's
 * wasm EP, its images and torchvision's results, and the comparison both runners' tests use.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import type { InferenceSession } from 'onnxruntime-web';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import { type FasterRcnnModel, fasterRcnnModel } from '../../core/models/det/faster-rcnn-config.ts';
import type { GraphRole } from '../../core/models/det/faster-rcnn.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { loadModel } from '../model-session.ts';

export const FIXTURE_DIR = new URL('../../core/models/det/fixtures/', import.meta.url);

export interface FixtureImage {
  name: string;
  width: number;
  height: number;
  rgb_base64: string;
  /** torchvision's RPN output, resized-image pixels, best first. */
  proposals: number[];
  proposal_scores: number[];
  /** torchvision's detections, frame pixels, labels 0-based. */
  detections: { boxes: number[]; scores: number[]; labels: number[] };
}

export interface FasterRcnnFixture {
  /** The generator's settings, which fixtures/faster_rcnn_tiny.py must repeat. */
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

export function readFasterRcnnFixture(): FasterRcnnFixture {
  return JSON.parse(readFileSync(new URL('faster_rcnn_tiny.json', FIXTURE_DIR), 'utf8')) as FasterRcnnFixture;
}

/** The fixture config's model and its two graphs loaded (and checked against the config) on the wasm EP. */
export async function loadFixtureModel(): Promise<{ model: FasterRcnnModel; sessions: Record<GraphRole, InferenceSession> }> {
  const { config } = await loadConfig(new URL('faster_rcnn_tiny.py', FIXTURE_DIR).pathname, nodeConfigFs);
  const model = fasterRcnnModel(config);
  const load = async (spec: FasterRcnnModel['graphs']['backbone']['spec']) =>
    (await loadModel(ort, new Uint8Array(readFileSync(new URL(spec.file, FIXTURE_DIR))), spec.file, spec, { providers: ['wasm'] })).session;
  return { model, sessions: { backbone: await load(model.graphs.backbone.spec), bbox_head: await load(model.graphs.bboxHead.spec) } };
}

/** The image as RGBA bytes. */
export function fixtureRgba(image: FixtureImage): Uint8Array {
  const rgb = Buffer.from(image.rgb_base64, 'base64');
  if (rgb.length !== image.width * image.height * 3) throw new Error(`${image.name}: ${rgb.length} bytes for ${image.width}x${image.height} RGB`);
  const out = new Uint8Array(image.width * image.height * 4);
  for (let i = 0; i < image.width * image.height; i++) {
    out.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
    out[i * 4 + 3] = 255;
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/**
 * Pairs each torchvision detection with one of ours of the same label whose box is within `boxTol` and score within
 * `scoreTol` (one-to-one; detections whose scores are closer than float noise may come in either order). Returns a
 * line per torchvision detection left without a partner.
 */
export function unmatchedDetections(ours: Detections, ref: FixtureImage['detections'], boxTol: number, scoreTol: number): string[] {
  const used = new Uint8Array(ours.scores.length);
  const problems: string[] = [];
  ref.scores.forEach((score, i) => {
    for (let j = 0; j < ours.scores.length; j++) {
      if (used[j] || ours.labels[j] !== ref.labels[i] || Math.abs(ours.scores[j]! - score) > scoreTol) continue;
      if ([0, 1, 2, 3].every((c) => Math.abs(ours.boxes[j * 4 + c]! - ref.boxes[i * 4 + c]!) <= boxTol)) {
        used[j] = 1;
        return;
      }
    }
    problems.push(`torchvision #${i}: label ${ref.labels[i]}, score ${score}, box [${ref.boxes.slice(i * 4, i * 4 + 4).join(', ')}]`);
  });
  return problems;
}
