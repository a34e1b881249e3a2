/**
 * FlowNetSimple's input preparation and output scaling (MMTracking `models/motion/flownet_simple.py`:
 * `prepare_imgs` and the end of `forward`), CPU twins; the network between them is the `motion` ONNX graph.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/motion/flownet_simple.py
 *
 * prepare_imgs, on the pair `cat(current, reference)` `[1, 6, H, W]` of detector-normalised images:
 * 1. undo the detector's Normalize: v * std + mean (img_norm_cfg, per channel, both images);
 * 2. FlowNet's own normalisation: v / flow_img_norm_std - flow_img_norm_mean (default /255 - [0.411, 0.432, 0.450]:
 *    FlowNet's BGR means, applied in whatever order the channels are — MMTracking's behaviour, kept);
 * 3. zero every row >= img_shape[0] and column >= img_shape[1] (the Pad area), after normalising;
 * 4. bilinear resize by img_scale_factor (align_corners=False).
 * The output of the network (`predict_flow`, 1/4 of its input) is resized by 4/img_scale_factor to the padded image
 * and multiplied by 4/img_scale_factor, then by flow_scale_factor (FlowNet's flows are /20 of pixels: 5 * 4).
 * float32 in PyTorch's order.
 */
import { resizeBilinear } from './flow-warp.ts';
import type { FeatureMap } from './roi-align.ts';

const f = Math.fround;

export interface FlowNetPrepareOptions {
  /** img_norm_cfg mean and std of the detector's Normalize, per tensor channel. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  /** FlowNetSimple's flow_img_norm_mean / flow_img_norm_std. */
  flowMean: readonly [number, number, number];
  flowStd: readonly [number, number, number];
  /** img_shape [height, width]: the image before Pad. */
  imgShape: readonly [number, number];
  /** FlowNetSimple's img_scale_factor (0.5 in MMTracking's configs). */
  imgScaleFactor: number;
}

/** `prepare_imgs(cat(current, reference))`: float32 `[1, 6, H * s, W * s]`, the `motion` graph's input. */
export function flownetPrepare(current: FeatureMap, reference: FeatureMap, o: FlowNetPrepareOptions): FeatureMap {
  const [n, c, h, w] = current.shape;
  if (n !== 1 || c !== 3) throw new Error(`FlowNet input: expected [1, 3, H, W] images, got ${current.shape.join('x')}`);
  if (reference.shape.join('x') !== current.shape.join('x')) {
    throw new Error(`FlowNet input: the key frame is ${reference.shape.join('x')} and the current frame ${current.shape.join('x')}; both must have one padded size`);
  }
  const [imgH, imgW] = o.imgShape;
  const plane = h * w;
  const pair = new Float32Array(6 * plane);
  for (let ch = 0; ch < 6; ch++) {
    const src = ch < 3 ? current.data : reference.data;
    const k = ch % 3;
    const [std, mean, fstd, fmean] = [f(o.std[k]!), f(o.mean[k]!), f(o.flowStd[k]!), f(o.flowMean[k]!)];
    for (let y = 0; y < imgH && y < h; y++) {
      for (let x = 0; x < imgW && x < w; x++) {
        const i = y * w + x;
        const pixel = f(f(src[k * plane + i]! * std) + mean);
        pair[ch * plane + i] = f(f(pixel / fstd) - fmean);
      }
    }
  }
  return resizeBilinear({ data: pair, shape: [1, 6, h, w] }, o.imgScaleFactor);
}

/** The end of FlowNetSimple.forward: `predict_flow` resized by 4/s, times 4/s, times flow_scale_factor. */
export function flownetOutputFlow(predictFlow: FeatureMap, imgScaleFactor: number, flowScaleFactor: number): FeatureMap {
  const up = 4 / imgScaleFactor;
  const resized = resizeBilinear(predictFlow, up, up);
  const s = f(flowScaleFactor);
  for (let i = 0; i < resized.data.length; i++) resized.data[i] = f(resized.data[i]! * s);
  return resized;
}
