/**
 * CenterNet ("Objects as Points", https://arxiv.org/abs/1904.07850) as a config-built detector: what to feed the
 * ONNX graph and how to turn its heat map + size head into `Detections`. The post-processing here is the CPU path
 * (CLI, tests); the browser runs the same steps as WGSL kernels (`src/gpu/heatmap-peaks.ts`,
 * `src/gpu/centernet-boxes.ts`, `src/gpu/nms.ts`) and calls {@link finishDetections} on the k read-back boxes.
 */
import type { ConfigDict } from '../../config/config-value.ts';
import { getConfigPath, isConfigDict } from '../../config/config-value.ts';
import { ConfigError } from '../../config/config-error.ts';
import { readOnnxSection, type OnnxModelSpec } from '../../config/onnx-spec.ts';
import { param } from '../../config/params.ts';
import { Registry } from '../../config/registry.ts';
import { centerNetBoxes, type SizeLayout } from '../../ops/centernet-boxes.ts';
import { heatmapPeaks, heatmapPeaksAbove } from '../../ops/heatmap-peaks.ts';
import { batchedNms } from '../../ops/nms.ts';
import { preprocessGeometry, type PreprocessOptions } from '../../ops/preprocess.ts';
import { type Detections, makeDetections } from '../../structures/detections.ts';
import { COCO_CLASSES } from './coco-classes.ts';

export interface CenterNetSettings {
  numClasses: number;
  /** Input pixels per heat-map cell. */
  stride: number;
  topk: number;
  maxPerImg: number;
  scoreThr: number;
  nms: { iouThreshold: number; classAgnostic: boolean } | null;
  classNames: readonly string[];
  /** MMDetection-style pre-processing (Resize/Normalize of the config's test pipeline). */
  preprocess: PreprocessOptions;
  onnx: OnnxModelSpec;
  /** Names of the graph's image input and of its heat-map and size outputs (NCHW). */
  inputName: string;
  heatmapName: string;
  sizeName: string;
}

/** A detector's settings from the merged config; `onnxRole`: the `onnx` entry that ends in its heat map and sizes. */
export const DETECTORS = new Registry<(config: ConfigDict, onnxRole?: string) => CenterNetSettings>('detectors');

DETECTORS.register('CenterNet', {
  params: {
    num_classes: param.integer({ min: 1 }).default(80),
    stride: param.integer({ min: 1 }).default(4),
    test_cfg: param.dict(),
  },
  create: (args, context) => (config, onnxRole = 'detector') => {
    const fail = (problem: string): never => {
      throw new ConfigError(`${context.path}.test_cfg: ${problem}`, context.origin);
    };
    const t = args.test_cfg;
    const num = (key: string, dflt: number) => {
      const v = t[key] ?? dflt;
      return typeof v === 'number' ? v : fail(`${key} must be a number`);
    };
    if (num('local_maximum_kernel', 3) !== 3) fail('local_maximum_kernel: only 3 (3x3 max-pool peaks) is implemented');
    const nmsCfg = t.nms;
    let nms: CenterNetSettings['nms'] = null;
    if (isConfigDict(nmsCfg)) {
      const iou = nmsCfg.iou_threshold;
      if (typeof iou !== 'number') fail('nms.iou_threshold must be a number');
      nms = { iouThreshold: iou as number, classAgnostic: nmsCfg.class_agnostic === true };
    } else if (nmsCfg !== undefined && nmsCfg !== null) fail('nms must be dict(type=\'nms\', iou_threshold=...) or None');
    const onnx = readOnnxSection(config).find((m) => m.role === onnxRole);
    if (!onnx) throw new ConfigError(`the config has no onnx.${onnxRole} entry (which ONNX file runs the detector)`, context.origin);
    const [input] = onnx.inputs;
    const [heat, size] = onnx.outputs;
    if (!input || !heat || !size || onnx.inputs.length !== 1 || onnx.outputs.length !== 2) {
      throw new ConfigError(`onnx.${onnxRole}: CenterNet needs one input (the image${onnxRole === 'detector' ? '' : ' or its features'}) and two outputs (heat map, then size head)`, context.origin);
    }
    return {
      numClasses: args.num_classes,
      stride: args.stride,
      topk: num('topk', 100),
      maxPerImg: num('max_per_img', 100),
      scoreThr: num('score_thr', 0.3),
      nms,
      classNames: args.num_classes === 80 ? COCO_CLASSES : Array.from({ length: args.num_classes }, (_, i) => `class ${i}`),
      preprocess: preprocessFromPipeline(config, onnx),
      onnx,
      inputName: input.name,
      heatmapName: heat.name,
      sizeName: size.name,
    };
  },
});

/** Resize/Normalize settings from the config's `test_pipeline` (MMDetection's transforms). */
function preprocessFromPipeline(config: ConfigDict, onnx: OnnxModelSpec): PreprocessOptions {
  const pipeline = getConfigPath(config, 'test_pipeline');
  const steps = Array.isArray(pipeline) ? pipeline.filter(isConfigDict) : [];
  const resize = steps.find((s) => s.type === 'Resize');
  const norm = steps.find((s) => s.type === 'Normalize');
  const inputShape = onnx.inputs[0]?.shape;
  const fallback: [number, number] = [Number(inputShape?.[3] ?? 512), Number(inputShape?.[2] ?? 512)];
  const scale = Array.isArray(resize?.img_scale) && resize.img_scale.length === 2 ? (resize.img_scale as [number, number]) : fallback;
  const triple = (v: unknown, d: number): [number, number, number] => (Array.isArray(v) && v.length === 3 ? (v as [number, number, number]) : [d, d, d]);
  return {
    scale,
    keepRatio: resize?.keep_ratio !== false,
    mean: triple(norm?.mean, 0),
    std: triple(norm?.std, 1),
    toRgb: norm?.to_rgb !== false,
  };
}

/** Builds the settings of `model.detector` of a merged config, its graph being `onnx[onnxRole]`. */
export function centerNetSettings(config: ConfigDict, onnxRole = 'detector'): CenterNetSettings {
  return DETECTORS.build(getConfigPath(config, 'model.detector'), { path: 'model.detector' })(config, onnxRole);
}

/**
 * After the k boxes are decoded: score threshold, optional NMS, `max_per_img`, clipping to the frame.
 * `boxes` `[k*4]` frame pixels, in descending score order.
 */
export function finishDetections(boxes: Float32Array, scores: Float32Array, labels: Int32Array, s: CenterNetSettings, frameWidth: number, frameHeight: number): Detections {
  let keep: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= s.scoreThr) keep.push(i);
  if (s.nms && keep.length > 1) {
    const b = new Float32Array(keep.length * 4);
    keep.forEach((i, j) => b.set(boxes.subarray(i * 4, i * 4 + 4), j * 4));
    const r = batchedNms(b, Float32Array.from(keep, (i) => scores[i]!), Int32Array.from(keep, (i) => labels[i]!), { iouThreshold: s.nms.iouThreshold, classAgnostic: s.nms.classAgnostic });
    keep = Array.from(r.keep, (j) => keep[j]!);
  }
  keep = keep.slice(0, s.maxPerImg);
  const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  const out = new Float32Array(keep.length * 4);
  keep.forEach((i, j) => {
    out[j * 4] = clip(boxes[i * 4]!, frameWidth);
    out[j * 4 + 1] = clip(boxes[i * 4 + 1]!, frameHeight);
    out[j * 4 + 2] = clip(boxes[i * 4 + 2]!, frameWidth);
    out[j * 4 + 3] = clip(boxes[i * 4 + 3]!, frameHeight);
  });
  return makeDetections({ boxes: out, scores: keep.map((i) => scores[i]!), labels: keep.map((i) => labels[i]!) });
}

/** CPU post-processing of the graph's outputs: heat map `[1, C, H, W]` and size head `[1, 4, H, W]`. */
export function decodeCenterNet(heat: Float32Array, size: Float32Array, heatDims: readonly number[], s: CenterNetSettings, frameWidth: number, frameHeight: number, sizeLayout: SizeLayout = 'nchw'): Detections {
  const [, c, h, w] = heatDims as [number, number, number, number];
  if (c !== s.numClasses) throw new Error(`CenterNet: the heat map has ${c} classes, the config says num_classes=${s.numClasses}`);
  const k = Math.min(s.topk, c * h * w);
  // Peaks under the score threshold are dropped by finishDetections: skipping them early gives the same detections.
  const peaks = s.scoreThr > 0 ? heatmapPeaksAbove(heat, [h, w, c], k, s.scoreThr, 'nchw') : heatmapPeaks(heat, [h, w, c], k, 'nchw');
  const { scaleFactor } = preprocessGeometry(frameWidth, frameHeight, s.preprocess);
  const decoded = centerNetBoxes(peaks, size, { shape: [h, w, c], sizeLayout, stride: s.stride, scaleFactor });
  return finishDetections(decoded.boxes, decoded.scores, decoded.labels, s, frameWidth, frameHeight);
}
