/**
 * The MaskTrack R-CNN fixture (src/core/models/vis/fixtures/, made by scripts/fixtures/make_masktrack_rcnn_fixture.py)
 * for tests in Node: its config and four graphs on onnxruntime-web's wasm EP, its clip, MMTracking's results
 * (restated), and the comparison the runners' tests use.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import type { InferenceSession } from 'onnxruntime-web';
import { loadConfig } from '../../core/config/config-loader.ts';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import { type MaskTrackRcnnModel, maskTrackRcnnModel } from '../../core/models/vis/masktrack-rcnn-config.ts';
import type { VisFrameResult, VisGraphRole } from '../../core/models/vis/masktrack-rcnn.ts';
import { maskRleCounts } from '../../core/structures/bit-masks.ts';
import { fixtureRgba } from '../detectors/faster-rcnn-fixture.node.ts';
import { loadModel } from '../model-session.ts';

export const VIS_FIXTURE_DIR = new URL('../../core/models/vis/fixtures/', import.meta.url);

export interface VisFixtureFrame {
  frame_id: number;
  width: number;
  height: number;
  rgb_base64: string;
  scale_factor: [number, number];
  /** Class-major, frame pixels. */
  detections: { boxes: number[]; scores: number[]; labels: number[] };
  /** COCO run lengths (column-major) of each detection's mask. */
  masks: number[][];
  /** [detection, y, x] of pixels whose pasted value is within 1e-5 of the threshold. */
  near_threshold: [number, number, number][];
  /** The tracker's id per detection (-1: dropped). */
  ids: number[];
}

export interface VisFixture {
  settings: Record<string, unknown> & { num_frames_retain: number; mask_thr_binary: number; rcnn_max_per_img: number };
  frames: VisFixtureFrame[];
}

export function readVisFixture(): VisFixture {
  return JSON.parse(readFileSync(new URL('masktrack_rcnn_tiny.json', VIS_FIXTURE_DIR), 'utf8')) as VisFixture;
}

export async function loadVisFixtureConfig(): Promise<MaskTrackRcnnModel> {
  const { config } = await loadConfig(new URL('masktrack_rcnn_tiny.py', VIS_FIXTURE_DIR).pathname, nodeConfigFs);
  return maskTrackRcnnModel(config);
}

/** The fixture config's model and its four graphs on the wasm EP (checked against the config). */
export async function loadVisFixtureModel(): Promise<{ model: MaskTrackRcnnModel; sessions: Record<VisGraphRole, InferenceSession> }> {
  const model = await loadVisFixtureConfig();
  const load = async (spec: OnnxModelSpec) => (await loadModel(ort, new Uint8Array(readFileSync(new URL(spec.file, VIS_FIXTURE_DIR))), spec.file, spec, { providers: ['wasm'] })).session;
  const g = model.graphs;
  return {
    model,
    sessions: { backbone: await load(model.detector.graphs.backbone.spec), bbox_head: await load(model.detector.graphs.bboxHead.spec), mask_head: await load(g.maskHead.spec), track_head: await load(g.trackHead.spec) },
  };
}

export function visFrameRgba(frame: VisFixtureFrame): Uint8Array {
  return fixtureRgba({ name: `frame ${frame.frame_id}`, width: frame.width, height: frame.height, rgb_base64: frame.rgb_base64, proposals: [], proposal_scores: [], detections: { boxes: [], scores: [], labels: [] } });
}

/** Column-major pixel indices where two masks given as run lengths differ. */
function differingPixels(a: ArrayLike<number>, b: ArrayLike<number>, h: number, w: number): number[] {
  const expand = (counts: ArrayLike<number>) => {
    const out = new Uint8Array(h * w);
    let p = 0;
    for (let k = 0; k < counts.length; k++) {
      if (k % 2 === 1) out.fill(1, p, p + counts[k]!);
      p += counts[k]!;
    }
    return out;
  };
  const [x, y] = [expand(a), expand(b)];
  const diff: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) diff.push(i);
  return diff;
}

/**
 * Differences between our frame and MMTracking's: the detections (same labels in the same order, boxes within
 * `boxTol` px, scores within `scoreTol`), the ids (identical) and the masks (identical but for near-threshold pixels).
 */
export function visFrameProblems(ours: VisFrameResult, ref: VisFixtureFrame, boxTol = 1e-3, scoreTol = 3e-4): string[] {
  const p: string[] = [];
  const d = ours.detections;
  const n = ref.detections.scores.length;
  if (d.scores.length !== n) return [`${d.scores.length} detections, MMTracking has ${n}`];
  if ([...d.labels].join() !== ref.detections.labels.join()) p.push(`labels ${[...d.labels].join()} vs ${ref.detections.labels.join()}`);
  for (let i = 0; i < n; i++) {
    if (Math.abs(d.scores[i]! - ref.detections.scores[i]!) > scoreTol) p.push(`detection ${i}: score ${d.scores[i]} vs ${ref.detections.scores[i]}`);
    for (let c = 0; c < 4; c++) if (Math.abs(d.boxes[i * 4 + c]! - ref.detections.boxes[i * 4 + c]!) > boxTol) p.push(`detection ${i}: box ${[...d.boxes.subarray(i * 4, i * 4 + 4)].join(', ')} vs ${ref.detections.boxes.slice(i * 4, i * 4 + 4).join(', ')}`);
  }
  if ([...d.ids].join() !== ref.ids.join()) p.push(`ids ${[...d.ids].join()} vs ${ref.ids.join()}`);
  const { width: w, height: h } = ref;
  for (let i = 0; i < n; i++) {
    const allowed = new Set(ref.near_threshold.filter(([k]) => k === i).map(([, y, x]) => x * h + y));
    const bad = differingPixels(maskRleCounts(ours.masks, i), ref.masks[i]!, h, w).filter((px) => !allowed.has(px));
    if (bad.length > 0) p.push(`detection ${i}: ${bad.length} mask pixels differ, first at (x ${Math.floor(bad[0]! / h)}, y ${bad[0]! % h})`);
  }
  return p;
}
