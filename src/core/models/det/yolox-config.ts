/**
 * YOLOX ("YOLOX: Exceeding YOLO Series in 2021", https://arxiv.org/abs/2107.08430) as MMDetection 2.x configures it,
 * the detector of MMTracking's ByteTrack configs: what the decoder needs from `model.detector` (or `model`), its
 * `test_cfg`, the `test_pipeline` and the `onnx.detector` graph. Keys are MMDetection's; the backbone, neck and the
 * head's layers live in the ONNX graph, so only `bbox_head.num_classes`/`strides` and `test_cfg` change the result.
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/detectors/yolox.py
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/dense_heads/yolox_head.py
 *
 * The `onnx.detector` graph (see docs/models.md, "YOLOX"): one input, the pre-processed image `[1, 3, H, W]`
 * (MMDetection's YOLOX pipelines: BGR 0-255, padded with 114); outputs, in the order of `YOLOXHead.forward`, the class
 * logits per level (`[1, num_classes, H/s, W/s]`), then the box regressions per level (`[1, 4, H/s, W/s]`), then the
 * objectness logits per level (`[1, 1, H/s, W/s]`), one per `strides`.
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigDict, getConfigPath, isConfigDict, previewValue } from '../../config/config-value.ts';
import { type OnnxModelSpec, readOnnxSection } from '../../config/onnx-spec.ts';
import { param } from '../../config/params.ts';
import { configOrigin } from '../../config/python-evaluator.ts';
import { Registry } from '../../config/registry.ts';
import type { PreprocessOptions } from '../../ops/preprocess.ts';
import { checkKeys, classNamesOf, type NmsSettings, readNms } from './det-config.ts';
import { readTestPipeline } from './test-pipeline.ts';

/** `YOLOXHead` + `test_cfg` (`YOLOXHead.get_bboxes` → `_bboxes_nms`). */
export interface YoloxSettings {
  numClasses: number;
  /** Output stride of each level, pixels of the padded input per cell (MMDetection's default 8, 16, 32). */
  strides: number[];
  /** `test_cfg.score_thr`: kept when sigmoid(objectness) · max sigmoid(class) ≥ this. */
  scoreThr: number;
  /** `test_cfg.nms` (per class, MMCV's `batched_nms`). */
  nms: NmsSettings;
  /** `test_cfg.max_per_img`: MMDetection 2.x's YOLOX ignores it; accepted, not applied (same results). */
}

export interface YoloxModel {
  settings: YoloxSettings;
  classNames: readonly string[];
  preprocess: PreprocessOptions;
  graph: { spec: OnnxModelSpec; input: string; clsScores: string[]; bboxPreds: string[]; objectnesses: string[] };
}

/** Detector types decoded as YOLOX. */
export const YOLOX_DETECTORS = ['YOLOX'] as const;

const unused = () => param.any().optionalKey();

const YOLOX_HEADS = new Registry<Pick<YoloxSettings, 'numClasses' | 'strides'>>('YOLOX heads');

YOLOX_HEADS.register('YOLOXHead', {
  params: {
    num_classes: param.integer({ min: 1 }),
    in_channels: param.integer({ min: 1 }),
    strides: param.array(param.integer({ min: 1 })).default([8, 16, 32]),
    feat_channels: unused(),
    stacked_convs: unused(),
    use_depthwise: unused(),
    dcn_on_last_conv: unused(),
    conv_bias: unused(),
    conv_cfg: unused(),
    norm_cfg: unused(),
    act_cfg: unused(),
    loss_cls: unused(),
    loss_bbox: unused(),
    loss_obj: unused(),
    loss_l1: unused(),
    train_cfg: unused(),
    test_cfg: unused(),
    init_cfg: unused(),
  },
  create: (args, context) => {
    if (args.strides.length === 0) throw new ConfigError(`${context.path}.strides: must not be empty`, context.origin);
    return { numClasses: args.num_classes, strides: args.strides };
  },
});

const YOLOX_TYPES = new Registry<Omit<YoloxSettings, never>>('YOLOX detectors');

YOLOX_TYPES.register('YOLOX', {
  params: {
    bbox_head: param.dict(),
    test_cfg: param.dict(),
    backbone: unused(),
    neck: unused(),
    input_size: unused(),
    size_multiplier: unused(),
    random_size_range: unused(),
    random_size_interval: unused(),
    train_cfg: unused(),
    pretrained: unused(),
    init_cfg: unused(),
  },
  create: (args, context) => {
    const head = YOLOX_HEADS.build(args.bbox_head, { path: `${context.path}.bbox_head` });
    const cfg = args.test_cfg;
    const path = `${context.path}.test_cfg`;
    checkKeys(cfg, ['score_thr', 'nms', 'max_per_img', 'nms_pre', 'min_bbox_size'], path);
    const thr = cfg.score_thr;
    if (typeof thr !== 'number') throw new ConfigError(`${path}.score_thr: expected a number, got ${thr === undefined ? 'nothing' : previewValue(thr)}`, configOrigin(cfg));
    if (cfg.nms_pre !== undefined && cfg.nms_pre !== -1) throw new ConfigError(`${path}.nms_pre: MMDetection 2.x's YOLOXHead keeps every prior before NMS; nms_pre is not supported`, configOrigin(cfg));
    return { ...head, scoreThr: thr, nms: readNms(cfg.nms, `${path}.nms`, cfg) };
  },
});

/** Where the YOLOX detector sits: `model.detector` (MMTracking's ByteTrack) or `model` itself. */
function yoloxPath(config: ConfigDict): string {
  if (isConfigDict(getConfigPath(config, 'model.detector'))) return 'model.detector';
  return 'model';
}

/** Settings, class names, pre-processing and the `onnx.detector` graph of a merged config with a YOLOX detector. */
export function yoloxModel(config: ConfigDict): YoloxModel {
  const path = yoloxPath(config);
  const settings = YOLOX_TYPES.build(getConfigPath(config, path), { path });
  const spec = readOnnxSection(config).find((m) => m.role === 'detector');
  const origin = configOrigin(config.onnx);
  if (!spec) throw new ConfigError('onnx.detector: missing; a YOLOX config names its exported graph there (see docs/models.md, "YOLOX")', origin);
  const n = settings.strides.length;
  const outs = spec.outputs.map((t) => t.name);
  if (spec.inputs.length !== 1 || outs.length !== 3 * n) {
    throw new ConfigError(`onnx.detector: YOLOX with ${n} strides needs 1 input (the image) and ${3 * n} outputs (${n} class maps, then ${n} box maps, then ${n} objectness maps), got ${spec.inputs.length} inputs and ${outs.length} outputs`, origin);
  }
  return {
    settings,
    classNames: classNamesOf(config, settings.numClasses),
    preprocess: readTestPipeline(config),
    graph: { spec, input: spec.inputs[0]!.name, clsScores: outs.slice(0, n), bboxPreds: outs.slice(n, 2 * n), objectnesses: outs.slice(2 * n) },
  };
}
