/**
 * DFF at test time, as MMTracking runs it (`DFF.extract_feats` + `simple_test`), around four ONNX graphs.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/vid/dff.py
 *
 * 1. A frame whose `frame_id % key_frame_interval == 0` is a key frame: the `backbone` graph gives its feature maps,
 *    kept with its image as the memo.
 * 2. Any other frame: the pair (this frame, the key frame) is prepared for FlowNet (`flownetPrepare`), the `motion`
 *    graph predicts the flow, which is resized to the image and scaled (`flownetOutputFlow`); every feature map of the
 *    key frame is warped by it (`flowWarpFeats`). The backbone does not run.
 * 3. The `rpn_head` graph on the (warped) feature maps, then Faster R-CNN's proposals, RoIAlign, `bbox_head` and
 *    post-processing (`twoStageDetections`).
 * Offline, frames come in order from 0 as MMTracking's test loop gives them. A frame may only follow its own key
 * frame (`keyFrameOf`): a caller that seeks runs that key frame first (the app and CLI do).
 */
import { flownetOutputFlow, flownetPrepare } from '../../ops/flownet-prepare.ts';
import { flowWarpFeats } from '../../ops/flow-warp.ts';
import { preprocessImageFast } from '../../ops/preprocess-fast.ts';
import { type FasterRcnnResult, type ImageMeta, imageMeta, type TensorData, twoStageDetections } from '../det/faster-rcnn.ts';
import type { DffModel } from './vid-config.ts';
import { asFeatureMap, flownetOptions, graphOutput, keyFrameOf, now } from './vid-graph.ts';

export type DffGraphRole = 'backbone' | 'rpn_head' | 'bbox_head' | 'motion';

/** Runs one of the four graphs on named inputs and returns its outputs by name. */
export type RunDffGraph = (role: DffGraphRole, feeds: Record<string, TensorData>) => Promise<Record<string, TensorData>>;

/** Milliseconds per stage of one frame (absent: the stage did not run on this frame). */
export interface DffTimings {
  backbone?: number;
  flow?: number;
  warp?: number;
  /** RPN head, proposals, RoIAlign, bbox head and post-processing. */
  head: number;
}

export interface DffFrameResult extends FasterRcnnResult {
  keyFrame: boolean;
  timings: DffTimings;
}

const asMap = (t: TensorData, what: string) => asFeatureMap(t, what, 'DFF');
const output = (outputs: Record<string, TensorData>, name: string, role: DffGraphRole) => graphOutput(outputs, name, role, 'DFF');

export class Dff {
  private memo: { frameId: number; img: TensorData; feats: TensorData[] } | null = null;

  constructor(
    readonly model: DffModel,
    private readonly run: RunDffGraph,
  ) {}

  /** The key frame a frame's features come from. */
  keyFrameOf(frameId: number): number {
    return keyFrameOf(frameId, this.model.dff.keyFrameInterval);
  }

  isKeyFrame(frameId: number): boolean {
    return frameId % this.model.dff.keyFrameInterval === 0;
  }

  /** Forgets the key frame (a new video). */
  reset(): void {
    this.memo = null;
  }

  /** Detections on frame `frameId` of a video, given as RGBA bytes; boxes in frame pixels. */
  async detect(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, frameId: number): Promise<DffFrameResult> {
    const { data, geometry: g } = preprocessImageFast(rgba, width, height, this.model.preprocess);
    return this.detectTensor({ data, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, imageMeta(g), frameId);
  }

  /** Steps 1-3 from a pre-processed `[1, 3, H, W]` tensor. */
  async detectTensor(image: TensorData, meta: ImageMeta, frameId: number): Promise<DffFrameResult> {
    if (!Number.isInteger(frameId) || frameId < 0) throw new Error(`DFF: frame_id must be an int >= 0, got ${frameId}`);
    const { graphs, dff, detector } = this.model;
    const timings: DffTimings = { head: 0 };
    let feats: TensorData[];
    const keyFrame = this.isKeyFrame(frameId);
    if (keyFrame) {
      const t0 = now();
      const out = await this.run('backbone', { [graphs.backbone.input]: image });
      feats = graphs.backbone.features.map((n) => output(out, n, 'backbone'));
      this.memo = { frameId, img: image, feats };
      timings.backbone = now() - t0;
    } else {
      const key = this.keyFrameOf(frameId);
      if (!this.memo || this.memo.frameId !== key) {
        throw new Error(`DFF: frame ${frameId} warps the features of key frame ${key}, which has not been run${this.memo ? ` (the last key frame run is ${this.memo.frameId})` : ''}`);
      }
      const t0 = now();
      const m = dff.motion;
      const pair = flownetPrepare(asMap(image, 'the image'), asMap(this.memo.img, 'the key frame'), flownetOptions(this.model.preprocess, m, meta.imgShape));
      const out = await this.run('motion', { [graphs.motion.input]: { data: pair.data, dims: pair.shape } });
      const flow = flownetOutputFlow(asMap(output(out, graphs.motion.output, 'motion'), 'predict_flow'), m.imgScaleFactor, m.flowScaleFactor);
      const t1 = now();
      feats = this.memo.feats.map((t, i) => {
        const map = asMap(t, `feature map ${i}`);
        return { data: flowWarpFeats(map, flow), dims: map.shape };
      });
      timings.flow = t1 - t0;
      timings.warp = now() - t1;
    }
    const t2 = now();
    const rpnOut = await this.run('rpn_head', Object.fromEntries(graphs.rpnHead.inputs.map((n, i) => [n, feats[i]!])));
    const nFeat = detector.rcnn.roiExtractor.featmapStrides.length;
    const head = graphs.bboxHead;
    const result = await twoStageDetections(
      detector,
      feats.slice(0, nFeat),
      graphs.rpnHead.cls.map((n) => output(rpnOut, n, 'rpn_head')),
      graphs.rpnHead.reg.map((n) => output(rpnOut, n, 'rpn_head')),
      meta,
      async (roiFeats) => {
        const o = await this.run('bbox_head', { [head.input]: roiFeats });
        return { clsScore: output(o, head.clsScore, 'bbox_head'), bboxPred: output(o, head.bboxPred, 'bbox_head') };
      },
    );
    timings.head = now() - t2;
    return { ...result, keyFrame, timings };
  }
}
