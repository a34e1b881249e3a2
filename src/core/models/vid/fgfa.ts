/**
 * FGFA at test time, as MMTracking runs it (`FGFA.extract_feats` in its fixed-stride branch + `simple_test`, with
 * the `test_with_fix_stride` reference frames of `CocoVideoDataset.ref_img_sampling`), around five ONNX graphs.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/vid/fgfa.py
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/datasets/coco_video_dataset.py
 *
 * 1. The window of frame t (`frame_range` [-L, R], `stride` s, k = floor(t / s)): frames clamp((k + j - L) * s, 0,
 *    T - 1) for j = 0..L+R — MMTracking's memo, which starts as L+1 copies of frame 0 and the next R frames and slides
 *    by one new frame every s frames. Every frame's backbone runs once (features cached while in a window).
 * 2. The flow from frame t to every frame of the window (`prepare_imgs`, the `motion` graph, x(4/s) resize and
 *    scaling), each window frame's features warped by it (`flow_warp_feats`); the window's centre (j = L) is frame t's
 *    own, unwarped features.
 * 3. Per level, the `aggregator` graph embeds the N maps; `embedAggregate` weighs them by the cosine similarity of
 *    their embeddings with frame t's, softmaxed over the frames, and sums them.
 * 4. The `rpn_head` graph and Faster R-CNN's tail on the aggregated maps.
 * It looks ahead R * s frames: an offline method (the whole file), as MMTracking tests it. Duplicate frames of a
 * clamped window get the same flow and features as MMTracking computes for each copy, computed once here.
 */
import { flownetOutputFlow, flownetPrepare } from '../../ops/flownet-prepare.ts';
import { embedAggregate } from '../../ops/embed-aggregate.ts';
import { flowWarpFeats } from '../../ops/flow-warp.ts';
import type { FeatureMap } from '../../ops/roi-align.ts';
import { type FasterRcnnResult, type ImageMeta, type TensorData, twoStageDetections } from '../det/faster-rcnn.ts';
import type { DffGraphRole } from './dff.ts';
import type { FgfaModel, FgfaSettings } from './vid-config.ts';
import { asFeatureMap, flownetOptions, graphOutput, now } from './vid-graph.ts';

export type FgfaGraphRole = DffGraphRole | 'aggregator';

export type RunFgfaGraph = (role: FgfaGraphRole, feeds: Record<string, TensorData>) => Promise<Record<string, TensorData>>;

/** A video's pre-processed frames by index; `null` past its last frame. */
export interface PreparedFrames {
  get(index: number): Promise<{ image: TensorData; meta: ImageMeta } | null>;
}

export interface FgfaTimings {
  backbone: number;
  flow: number;
  warp: number;
  aggregate: number;
  head: number;
}

export interface FgfaFrameResult extends FasterRcnnResult {
  /** The frames aggregated for this one (MMTracking's window, clamped at the ends). */
  window: number[];
  timings: FgfaTimings;
}

const asMap = (t: TensorData, what: string) => asFeatureMap(t, what, 'FGFA');
const output = (outputs: Record<string, TensorData>, name: string, role: FgfaGraphRole) => graphOutput(outputs, name, role, 'FGFA');

/**
 * Step 1: frame t's window under `test_with_fix_stride`, clamped to the video: `last` is the video's last frame once
 * known (null before); `exists` tells whether a frame can be read (asked only until the end is found, walking back
 * from the window's top: frames are buffered, so only a few).
 */
export async function fixStrideWindow(t: number, s: Pick<FgfaSettings, 'frameRange' | 'stride'>, last: number | null, exists: (i: number) => Promise<boolean>): Promise<{ ids: number[]; last: number | null }> {
  const ids = fixStrideWindowIds(t, s, last);
  const top = ids[ids.length - 1]!;
  if (last === null && !(await exists(top))) {
    let i = top - 1;
    while (i > t && !(await exists(i))) i--;
    last = i;
  }
  return { ids: last === null ? ids : ids.map((i) => Math.min(i, last)), last };
}

/** Frames before and after frame t that a `test_with_fix_stride` window can reach (for a caller that buffers frames). */
export function fixStrideReach({ frameRange, stride }: Pick<FgfaSettings, 'frameRange' | 'stride'>): { before: number; after: number } {
  return { before: -frameRange[0] * stride + stride, after: frameRange[1] * stride };
}

/** Frame t's window when the video's last frame is known (null: not clamped at the end). */
export function fixStrideWindowIds(t: number, s: Pick<FgfaSettings, 'frameRange' | 'stride'>, last: number | null): number[] {
  const [left, right] = s.frameRange;
  const k = Math.floor(t / s.stride);
  const ids: number[] = [];
  for (let j = 0; j <= right - left; j++) ids.push(Math.max(0, (k + j + left) * s.stride));
  return last === null ? ids : ids.map((i) => Math.min(i, last));
}

export class Fgfa {
  /** Backbone outputs of the frames of the current window (and ahead), by frame index. */
  private readonly feats = new Map<number, TensorData[]>();
  /** The last frame's index, once a look-ahead has run past it. */
  private last: number | null = null;

  constructor(
    readonly model: FgfaModel,
    private readonly run: RunFgfaGraph,
  ) {}

  /** Frames before and after frame t that its window can reach (for a caller that buffers frames). */
  get reach(): { before: number; after: number } {
    return fixStrideReach(this.model.fgfa);
  }

  /** MMTracking's window of frame t (frame indices, clamped to the video). */
  async window(t: number, frames: PreparedFrames): Promise<number[]> {
    const w = await fixStrideWindow(t, this.model.fgfa, this.last, async (i) => (await frames.get(i)) !== null);
    this.last = w.last;
    return w.ids;
  }

  /** Forgets every cached frame (a new video). */
  reset(): void {
    this.feats.clear();
    this.last = null;
  }

  /** Detections on frame t; `frames` gives the pre-processed frames of its window. */
  async detect(t: number, frames: PreparedFrames): Promise<FgfaFrameResult> {
    if (!Number.isInteger(t) || t < 0) throw new Error(`FGFA: frame_id must be an int >= 0, got ${t}`);
    const { graphs, fgfa, detector } = this.model;
    const timings: FgfaTimings = { backbone: 0, flow: 0, warp: 0, aggregate: 0, head: 0 };
    const current = await frames.get(t);
    if (!current) throw new Error(`FGFA: frame ${t} is past the end of the video`);
    const window = await this.window(t, frames);
    const center = -fgfa.frameRange[0];
    for (const id of [...this.feats.keys()]) if (id < window[0]! && id !== t) this.feats.delete(id);
    // 1. Backbone of every frame of the window not seen yet.
    const t0 = now();
    const featsOf = async (id: number): Promise<TensorData[]> => {
      const cached = this.feats.get(id);
      if (cached) return cached;
      const frame = id === t ? current : await frames.get(id);
      if (!frame) throw new Error(`FGFA: frame ${id} of frame ${t}'s window is missing`);
      const out = await this.run('backbone', { [graphs.backbone.input]: frame.image });
      const f = graphs.backbone.features.map((n) => output(out, n, 'backbone'));
      this.feats.set(id, f);
      return f;
    };
    const unique = [...new Set(window)];
    for (const id of unique) await featsOf(id);
    const x = await featsOf(t);
    timings.backbone = now() - t0;
    // 2. Flow from frame t to each window frame, and its warped features.
    const m = fgfa.motion;
    const warped = new Map<number, Float32Array[]>();
    for (const id of unique) {
      const f0 = now();
      const ref = await frames.get(id);
      const pair = flownetPrepare(asMap(current.image, 'the image'), asMap(ref!.image, `frame ${id}`), flownetOptions(this.model.preprocess, m, current.meta.imgShape));
      const out = await this.run('motion', { [graphs.motion.input]: { data: pair.data, dims: pair.shape } });
      const flow = flownetOutputFlow(asMap(output(out, graphs.motion.output, 'motion'), 'predict_flow'), m.imgScaleFactor, m.flowScaleFactor);
      const f1 = now();
      warped.set(id, this.feats.get(id)!.map((t2, l) => flowWarpFeats(asMap(t2, `feature map ${l}`), flow)));
      timings.flow += f1 - f0;
      timings.warp += now() - f1;
    }
    // 3. Per level: the window's maps (frame t's own at the centre), their embeddings, the weighted sum.
    const a0 = now();
    const aggregated: TensorData[] = [];
    for (let l = 0; l < x.length; l++) {
      const [, c, h, w] = asMap(x[l]!, `feature map ${l}`).shape;
      const size = c * h * w;
      const stack = new Float32Array(window.length * size);
      window.forEach((id, j) => stack.set(j === center ? x[l]!.data : warped.get(id)![l]!, j * size));
      const dims = [window.length, c, h, w];
      const out = await this.run('aggregator', { [graphs.aggregator.input]: { data: stack, dims } });
      const embeds = asMap(output(out, graphs.aggregator.output, 'aggregator'), 'embeddings');
      aggregated.push({ data: embedAggregate({ data: stack, shape: dims as unknown as FeatureMap['shape'] }, embeds, center), dims: [1, c, h, w] });
    }
    timings.aggregate = now() - a0;
    // 4. RPN and the two-stage tail.
    const h0 = now();
    const rpnOut = await this.run('rpn_head', Object.fromEntries(graphs.rpnHead.inputs.map((n, i) => [n, aggregated[i]!])));
    const head = graphs.bboxHead;
    const result = await twoStageDetections(
      detector,
      aggregated.slice(0, detector.rcnn.roiExtractor.featmapStrides.length),
      graphs.rpnHead.cls.map((n) => output(rpnOut, n, 'rpn_head')),
      graphs.rpnHead.reg.map((n) => output(rpnOut, n, 'rpn_head')),
      current.meta,
      async (roiFeats) => {
        const o = await this.run('bbox_head', { [head.input]: roiFeats });
        return { clsScore: output(o, head.clsScore, 'bbox_head'), bboxPred: output(o, head.bboxPred, 'bbox_head') };
      },
    );
    timings.head = now() - h0;
    return { ...result, window, timings };
  }
}
