/**
 * DFF ("Deep Feature Flow for Video Recognition", Zhu et al. 2017, https://arxiv.org/abs/1611.07715) on a
 * single-stage CenterNet, with a training-free flow: the default VID method (`configs/vid/default.py`), which needs
 * no trained FlowNet or VID checkpoint. MMTracking's DFF loop (`models/vid/dff.py`) with the CenterNet cut in two
 * (`backbone`: image → the neck's stride-4 map; `head`: that map → heat map and sizes):
 * 1. A frame whose `frame_id % key_frame_interval == 0` is a key frame: the backbone graph gives its features, kept
 *    with the frame's gray pyramid as the memo.
 * 2. Any other frame: the flow from this frame to the key frame at the features' resolution (pyramidal Lucas–Kanade,
 *    `src/core/ops/lucas-kanade.ts`) warps the key frame's features (`flowWarpFeats`, MMTracking's warp). The
 *    backbone does not run. The warp samples at exactly p + d(p) (`exactGrid`), not MMTracking's (W − 1)/W grid:
 *    this is not a MMTracking model, and the exact grid agrees better with per-frame detection (docs/vid.md).
 * 3. The head graph on the (warped) features, then CenterNet's decoding (`decodeCenterNet`).
 * A frame may only follow its own key frame (`keyFrameOf`), as in `Dff`. CPU path; the GPU path is
 * `src/runtime/vid/dff-centernet-gpu.ts`, the same steps as kernels.
 */
import { flowWarpFeats } from '../../ops/flow-warp.ts';
import { type GrayImage, pyramidalLucasKanade, pyramidFrom } from '../../ops/lucas-kanade.ts';
import { preprocessGrayPool } from '../../ops/preprocess.ts';
import { preprocessImageFast } from '../../ops/preprocess-fast.ts';
import type { Detections } from '../../structures/detections.ts';
import { decodeCenterNet } from '../det/centernet.ts';
import type { TensorData } from '../det/faster-rcnn.ts';
import type { DffCenterNetModel } from './vid-config.ts';
import { asFeatureMap, graphOutput, keyFrameOf, now } from './vid-graph.ts';

export type DffCenterNetRole = 'backbone' | 'head';

export type RunDffCenterNetGraph = (role: DffCenterNetRole, feeds: Record<string, TensorData>) => Promise<Record<string, TensorData>>;

/** Milliseconds per stage of one frame (absent: the stage did not run on this frame). */
export interface DffCenterNetTimings {
  preprocess: number;
  backbone?: number;
  flow?: number;
  warp?: number;
  head: number;
  postprocess: number;
}

export interface DffCenterNetFrameResult {
  detections: Detections;
  keyFrame: boolean;
  timings: DffCenterNetTimings;
}

/**
 * The feature map's stride over the model input (the gray pyramid's pooling factor): the input must be an integer
 * multiple of the features on both axes, by the same factor.
 */
export function featureStride(inputHW: readonly [number, number], featHW: readonly [number, number]): number {
  const [h, w] = inputHW;
  const [fh, fw] = featHW;
  const s = h / fh;
  if (!Number.isInteger(s) || s < 1 || w / fw !== s) {
    throw new Error(`DFF: the backbone's ${fh}x${fw} features are not the ${h}x${w} input at one integer stride (the flow is computed on that grid)`);
  }
  return s;
}

const asMap = (t: TensorData, what: string) => asFeatureMap(t, what, 'DFF');

export class DffCenterNet {
  private memo: { frameId: number; feat: TensorData; stride: number; pyramid: GrayImage[] } | null = null;

  constructor(
    readonly model: DffCenterNetModel,
    private readonly run: RunDffCenterNetGraph,
  ) {}

  keyFrameOf(frameId: number): number {
    return keyFrameOf(frameId, this.model.dff.keyFrameInterval);
  }

  /** Forgets the key frame (a new video). */
  reset(): void {
    this.memo = null;
  }

  /** Detections on frame `frameId` of a video given as RGBA bytes; boxes in frame pixels. */
  async detect(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, frameId: number): Promise<DffCenterNetFrameResult> {
    if (!Number.isInteger(frameId) || frameId < 0) throw new Error(`DFF: frame_id must be an int >= 0, got ${frameId}`);
    const { detector, dff, backbone } = this.model;
    const t0 = now();
    const keyFrame = this.keyFrameOf(frameId) === frameId;
    // The flow's gray pyramid, straight from the frame (the same values as pooling the pre-processed tensor).
    const pyramidOf = (stride: number) => pyramidFrom(preprocessGrayPool(rgba, width, height, detector.preprocess, stride, 1 / 255), dff.motion.levels);
    const timings: DffCenterNetTimings = { preprocess: 0, head: 0, postprocess: 0 };
    let feat: TensorData;
    if (keyFrame) {
      // 1. The backbone on the key frame; its pyramid is kept for the frames that follow.
      const { data, geometry: g } = preprocessImageFast(rgba, width, height, detector.preprocess);
      const image: TensorData = { data, dims: [1, 3, g.paddedHeight, g.paddedWidth] };
      timings.preprocess = now() - t0;
      const t1 = now();
      const out = await this.run('backbone', { [backbone.input]: image });
      feat = graphOutput(out, backbone.output, 'backbone', 'DFF');
      const map = asMap(feat, 'the features');
      const stride = featureStride([g.paddedHeight, g.paddedWidth], [map.shape[2], map.shape[3]]);
      this.memo = { frameId, feat, stride, pyramid: pyramidOf(stride) };
      timings.backbone = now() - t1;
    } else {
      // 2. Flow to the key frame at the features' resolution, then the key frame's features warped by it. No
      //    pre-processed tensor: the backbone does not run.
      const key = this.keyFrameOf(frameId);
      if (!this.memo || this.memo.frameId !== key) {
        throw new Error(`DFF: frame ${frameId} warps the features of key frame ${key}, which has not been run${this.memo ? ` (the last key frame run is ${this.memo.frameId})` : ''}`);
      }
      const pyramid = pyramidOf(this.memo.stride);
      const t1 = now();
      timings.preprocess = t1 - t0;
      const map = asMap(this.memo.feat, 'the key frame features');
      const flow = pyramidalLucasKanade(pyramid, this.memo.pyramid, dff.motion);
      const t2 = now();
      feat = { data: flowWarpFeats(map, flow, { exactGrid: true }), dims: map.shape };
      timings.flow = t2 - t1;
      timings.warp = now() - t2;
    }
    // 3. The head, then CenterNet's decoding.
    const t3 = now();
    const out = await this.run('head', { [detector.inputName]: feat });
    const heat = graphOutput(out, detector.heatmapName, 'head', 'DFF');
    const size = graphOutput(out, detector.sizeName, 'head', 'DFF');
    const t4 = now();
    const detections = decodeCenterNet(heat.data, size.data, heat.dims, detector, width, height);
    timings.head = t4 - t3;
    timings.postprocess = now() - t4;
    return { detections, keyFrame, timings };
  }
}
