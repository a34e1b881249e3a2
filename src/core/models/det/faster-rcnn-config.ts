/**
 * Faster R-CNN ("Faster R-CNN", Ren et al. 2015, https://arxiv.org/abs/1506.01497) as MMDetection 2.x configures it:
 * what the runner needs from `model.detector` (or `model`, when the model is the detector), its `test_cfg`, the
 * `test_pipeline` and the `onnx` section. Types and keys are MMDetection's; a key MMDetection does not take is an
 * error. The backbone and neck (and the layers of the heads) live in the ONNX graphs, so only the keys that change
 * the post-processing are read; the others are accepted as MMDetection accepts them.
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/detectors/two_stage.py
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/dense_heads/rpn_head.py
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/roi_heads/standard_roi_head.py
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/roi_heads/bbox_heads/convfc_bbox_head.py
 *
 * The `onnx` section (see docs/models.md, "Two-stage detectors"):
 * - `backbone`: one input, the pre-processed image `[1, 3, H, W]`; outputs, in this order, the FPN features the
 *   RoI extractor pools (one per `bbox_roi_extractor.featmap_strides`, `[1, C, H/s, W/s]`), then the RPN
 *   objectness per anchor level (`[1, A, h, w]`, logits; `[1, 2A, h, w]` for a softmax RPN), then the RPN deltas
 *   per anchor level (`[1, 4A, h, w]`).
 * - `bbox_head`: one input, RoI features `[N, C, 7, 7]`; outputs `cls_score` `[N, num_classes + 1]` (logits,
 *   background last) and `bbox_pred` `[N, 4 * num_classes]` (`[N, 4]` with `reg_class_agnostic`), in this order.
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigDict, type ConfigValue, getConfigPath, isConfigDict, previewValue } from '../../config/config-value.ts';
import { type OnnxModelSpec, readOnnxSection } from '../../config/onnx-spec.ts';
import { param } from '../../config/params.ts';
import { configOrigin } from '../../config/python-evaluator.ts';
import { type BuildContext, Registry } from '../../config/registry.ts';
import type { PreprocessOptions } from '../../ops/preprocess.ts';
import type { RoiAlignOptions, SingleRoiExtractorOptions } from '../../ops/roi-align.ts';
import { ANCHOR_GENERATORS, type AnchorGenerator } from './anchor-generator.ts';
import { BBOX_CODERS, type DeltaXYWHBBoxCoder } from './delta-xywh-coder.ts';
import { checkKeys, classNamesOf, type NmsSettings, readNms } from './det-config.ts';
import { readTestPipeline } from './test-pipeline.ts';

/** RPN head + `test_cfg.rpn` (`RPNHead._bbox_post_process`). */
export interface RpnSettings {
  anchorGenerator: AnchorGenerator;
  bboxCoder: DeltaXYWHBBoxCoder;
  /** Sigmoid objectness (A channels per level) or, with `loss_cls.use_sigmoid=False`, a 2-way softmax (2A channels). */
  useSigmoid: boolean;
  /** `nms_pre`: top-k anchors per level before NMS (<= 0: all). */
  nmsPre: number;
  /** `max_per_img` (legacy `max_num`): proposals kept after NMS. */
  maxPerImg: number;
  /** `nms` (legacy `nms_thr`); levels are NMS'ed separately (level index as the class). */
  nms: NmsSettings;
  /** `min_bbox_size`: proposals need width and height > this when it is >= 0. */
  minBboxSize: number;
}

/**
 * MMTracking's `TemporalRoIAlign` (a `SingleRoIExtractor` that, given the reference frames' feature maps, adds the
 * most similar RoI features of each and aggregates them: src/core/models/vid/temporal-roi-align.ts). Without
 * references (a reference frame's RoIs, or any head but SelsaRoIHead) it is a SingleRoIExtractor, as in MMTracking.
 */
export interface TemporalRoiAlignSettings {
  /** `num_most_similar_points` (2): the locations of each reference map kept per RoI sample point. */
  numMostSimilarPoints: number;
  /** `num_temporal_attention_blocks` (4): attention heads over the frames; <= 0 averages the frames instead. */
  numTemporalAttentionBlocks: number;
}

export type RoiExtractorSettings = SingleRoiExtractorOptions & { temporal?: TemporalRoiAlignSettings };

/** RoI head (extractor + bbox head) + `test_cfg.rcnn` (`BBoxHead.get_bboxes` → `multiclass_nms`). */
export interface RcnnSettings {
  roiExtractor: RoiExtractorSettings;
  numClasses: number;
  bboxCoder: DeltaXYWHBBoxCoder;
  /** One box per RoI (`bbox_pred` `[N, 4]`) instead of one per class. */
  regClassAgnostic: boolean;
  /** `roi_feat_size`: the bbox head's input is `[N, C, s, s]`. */
  roiFeatSize: number;
  /** Class scores must be > `score_thr`. */
  scoreThr: number;
  nms: NmsSettings;
  /** `max_per_img` detections after NMS (<= 0: all). */
  maxPerImg: number;
}

export interface FasterRcnnSettings {
  rpn: RpnSettings;
  rcnn: RcnnSettings;
  /** `num_classes` names (label = index). */
  classNames: readonly string[];
}

/** Output names of the `backbone` graph, by meaning, and the names of the `bbox_head` graph. */
export interface FasterRcnnGraphs {
  backbone: { spec: OnnxModelSpec; input: string; features: string[]; rpnCls: string[]; rpnReg: string[] };
  bboxHead: { spec: OnnxModelSpec; input: string; clsScore: string; bboxPred: string };
}

/** Everything the runner needs: the model's settings, the pre-processing and the two graphs. */
export interface FasterRcnnModel {
  settings: FasterRcnnSettings;
  preprocess: PreprocessOptions;
  graphs: FasterRcnnGraphs;
}

type Fail = (problem: string) => never;

function failAt(context: BuildContext): Fail {
  return (problem) => {
    throw new ConfigError(`${context.path}: ${problem}`, context.origin);
  };
}

function numberAt(dict: ConfigDict, key: string, path: string, fallback?: number): number {
  const v = dict[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number') throw new ConfigError(`${path}.${key}: expected a number, got ${v === undefined ? 'nothing' : previewValue(v)}`, configOrigin(dict));
  return v;
}

/**
 * `test_cfg.rpn`, with MMDetection 2.x's compatibility rules: `nms_thr` → `nms=dict(type='nms', iou_threshold=...)`,
 * `max_num` → `max_per_img` (both given: they must agree). `nms_post` and `nms_across_levels=False` are accepted and
 * ignored, as MMDetection 2.x's `RPNHead` ignores them at test time.
 */
function readRpnTestCfg(cfg: ConfigDict, path: string): Pick<RpnSettings, 'nmsPre' | 'maxPerImg' | 'nms' | 'minBboxSize'> {
  checkKeys(cfg, ['nms_pre', 'max_per_img', 'max_num', 'nms', 'nms_thr', 'min_bbox_size', 'nms_post', 'nms_across_levels'], path);
  if (cfg.nms_across_levels === true) throw new ConfigError(`${path}.nms_across_levels: True is not supported (MMDetection 2.x's RPNHead runs NMS per level)`, configOrigin(cfg));
  let nms: NmsSettings;
  if (cfg.nms !== undefined) {
    nms = readNms(cfg.nms, `${path}.nms`, cfg);
    if (cfg.nms_thr !== undefined && cfg.nms_thr !== nms.iouThreshold) throw new ConfigError(`${path}: nms_thr=${previewValue(cfg.nms_thr)} disagrees with nms.iou_threshold=${nms.iouThreshold}`, configOrigin(cfg));
  } else nms = readNms({ type: 'nms', iou_threshold: numberAt(cfg, 'nms_thr', path) }, `${path}.nms_thr`, cfg);
  let maxPerImg: number;
  if (cfg.max_per_img !== undefined) {
    maxPerImg = numberAt(cfg, 'max_per_img', path);
    if (cfg.max_num !== undefined && cfg.max_num !== maxPerImg) throw new ConfigError(`${path}: max_num=${previewValue(cfg.max_num)} disagrees with max_per_img=${maxPerImg}`, configOrigin(cfg));
  } else maxPerImg = numberAt(cfg, 'max_num', path);
  return { nmsPre: numberAt(cfg, 'nms_pre', path, -1), maxPerImg, nms, minBboxSize: numberAt(cfg, 'min_bbox_size', path, -1) };
}

/** `test_cfg.rcnn` (`mask_thr_binary` of Mask R-CNN configs is accepted; masks are not computed here). */
function readRcnnTestCfg(cfg: ConfigDict, path: string): Pick<RcnnSettings, 'scoreThr' | 'nms' | 'maxPerImg'> {
  checkKeys(cfg, ['score_thr', 'nms', 'max_per_img', 'mask_thr_binary'], path);
  return { scoreThr: numberAt(cfg, 'score_thr', path), nms: readNms(cfg.nms, `${path}.nms`, cfg), maxPerImg: numberAt(cfg, 'max_per_img', path, -1) };
}

/** Keys a module accepts and we have no use for (they shape layers inside the ONNX graphs, or training). */
const unused = () => param.any().optionalKey();

/** `roi_layer` types (`bbox_roi_extractor.roi_layer`). */
export const ROI_LAYERS = new Registry<Omit<RoiAlignOptions, 'spatialScale'>>('roi layers');

ROI_LAYERS.register('RoIAlign', {
  params: {
    output_size: param.any(),
    sampling_ratio: param.integer({ min: 0 }).default(0),
    pool_mode: param.oneOf('avg', 'max').default('avg'),
    aligned: param.boolean().default(true),
    use_torchvision: param.boolean().default(false),
    spatial_scale: unused(),
  },
  create: (args, context) => {
    const fail = failAt(context);
    if (args.pool_mode !== 'avg') fail("pool_mode='max' is not supported (MMDetection's configs use 'avg')");
    if (args.use_torchvision) fail('use_torchvision=True is not supported (MMCV semantics only)');
    const size = args.output_size;
    const ok = (v: ConfigValue | undefined): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
    let outputSize: number | [number, number];
    if (ok(size)) outputSize = size;
    else if (Array.isArray(size) && size.length === 2 && ok(size[0]) && ok(size[1])) outputSize = [size[0], size[1]];
    else return fail(`output_size: expected an int > 0 or (h, w), got ${previewValue(size)}`);
    return { outputSize, samplingRatio: args.sampling_ratio, aligned: args.aligned };
  },
});

/** RoI extractors (`roi_head.bbox_roi_extractor`). */
export const ROI_EXTRACTORS = new Registry<RoiExtractorSettings>('roi extractors');

const singleRoiExtractorParams = {
  roi_layer: param.dict(),
  out_channels: param.integer({ min: 1 }),
  featmap_strides: param.array(param.number({ min: Number.MIN_VALUE })),
  finest_scale: param.number({ min: Number.MIN_VALUE }).default(56),
  init_cfg: unused(),
};

function singleRoiExtractor(args: { roi_layer: ConfigDict; featmap_strides: number[]; finest_scale: number }, context: BuildContext): SingleRoiExtractorOptions {
  if (args.featmap_strides.length === 0) failAt(context)('featmap_strides must not be empty');
  const roiLayer = ROI_LAYERS.build(args.roi_layer, { path: `${context.path}.roi_layer` });
  return { roiLayer, featmapStrides: args.featmap_strides, finestScale: args.finest_scale };
}

ROI_EXTRACTORS.register('SingleRoIExtractor', { params: singleRoiExtractorParams, create: singleRoiExtractor });

ROI_EXTRACTORS.register('TemporalRoIAlign', {
  params: {
    ...singleRoiExtractorParams,
    num_most_similar_points: param.integer({ min: 1 }).default(2),
    num_temporal_attention_blocks: param.integer().default(4),
  },
  create: (args, context) => {
    const blocks = args.num_temporal_attention_blocks;
    if (blocks > 0 && args.out_channels % blocks !== 0) failAt(context)(`out_channels (${args.out_channels}) must be a multiple of num_temporal_attention_blocks (${blocks}): each block attends over out_channels / blocks channels`);
    return { ...singleRoiExtractor(args, context), temporal: { numMostSimilarPoints: args.num_most_similar_points, numTemporalAttentionBlocks: blocks } };
  },
});

interface BBoxHeadSettings {
  numClasses: number;
  bboxCoder: DeltaXYWHBBoxCoder;
  regClassAgnostic: boolean;
  roiFeatSize: number;
}

/** Box heads (`roi_head.bbox_head`): the FC/conv layers are in the ONNX graph; these keys shape the decode. */
export const BBOX_HEADS = new Registry<BBoxHeadSettings>('bbox heads');

const bboxHeadParams = {
  num_classes: param.integer({ min: 1 }).default(80),
  roi_feat_size: param.integer({ min: 1 }).default(7),
  bbox_coder: param.dict().default({ type: 'DeltaXYWHBBoxCoder', clip_border: true, target_means: [0, 0, 0, 0], target_stds: [0.1, 0.1, 0.2, 0.2] }),
  reg_class_agnostic: param.boolean().default(false),
  loss_cls: param.dict().default({ type: 'CrossEntropyLoss', use_sigmoid: false, loss_weight: 1.0 }),
  in_channels: unused(),
  with_avg_pool: unused(),
  with_cls: unused(),
  with_reg: unused(),
  reg_decoded_bbox: unused(),
  reg_predictor_cfg: unused(),
  cls_predictor_cfg: unused(),
  loss_bbox: unused(),
  init_cfg: unused(),
};
const convFcParams = {
  ...bboxHeadParams,
  num_shared_convs: unused(),
  num_shared_fcs: unused(),
  num_cls_convs: unused(),
  num_cls_fcs: unused(),
  num_reg_convs: unused(),
  num_reg_fcs: unused(),
  conv_out_channels: unused(),
  fc_out_channels: unused(),
  conv_cfg: unused(),
  norm_cfg: unused(),
};

function bboxHeadSettings(args: { num_classes: number; roi_feat_size: number; bbox_coder: ConfigDict; reg_class_agnostic: boolean; loss_cls: ConfigDict }, context: BuildContext): BBoxHeadSettings {
  if (args.loss_cls.use_sigmoid === true) failAt(context)('loss_cls.use_sigmoid=True (sigmoid class scores) is not supported: the runner applies softmax with the background last');
  return {
    numClasses: args.num_classes,
    roiFeatSize: args.roi_feat_size,
    bboxCoder: BBOX_CODERS.build(args.bbox_coder, { path: `${context.path}.bbox_coder` }),
    regClassAgnostic: args.reg_class_agnostic,
  };
}

BBOX_HEADS.register('BBoxHead', { params: bboxHeadParams, create: bboxHeadSettings });
for (const type of ['ConvFCBBoxHead', 'Shared2FCBBoxHead', 'Shared4Conv1FCBBoxHead']) BBOX_HEADS.register(type, { params: convFcParams, create: bboxHeadSettings });
// MMTracking's SELSA head: a ConvFCBBoxHead whose shared fcs each aggregate the reference RoIs' features. The
// aggregation runs inside the exported graphs (docs/vid.md); the post-processing is the plain bbox head's.
BBOX_HEADS.register('SelsaBBoxHead', {
  params: { ...convFcParams, aggregator: param.dict() },
  create: (args, context) => {
    if (args.aggregator.type !== 'SelsaAggregator') failAt(context)(`aggregator.type: ${previewValue(args.aggregator.type ?? null)}; SelsaBBoxHead aggregates with SelsaAggregator`);
    return bboxHeadSettings(args, context);
  },
});

/** RPN heads (`rpn_head`); the detector passes `test_cfg.rpn` in as `test_cfg`, as MMDetection's does. */
export const RPN_HEADS = new Registry<RpnSettings>('rpn heads');

RPN_HEADS.register('RPNHead', {
  params: {
    in_channels: param.integer({ min: 1 }),
    anchor_generator: param.dict(),
    bbox_coder: param.dict().default({ type: 'DeltaXYWHBBoxCoder', clip_border: true, target_means: [0, 0, 0, 0], target_stds: [1, 1, 1, 1] }),
    loss_cls: param.dict().default({ type: 'CrossEntropyLoss', use_sigmoid: true, loss_weight: 1.0 }),
    test_cfg: param.dict(),
    feat_channels: unused(),
    num_convs: unused(),
    reg_decoded_bbox: unused(),
    loss_bbox: unused(),
    train_cfg: unused(),
    init_cfg: unused(),
  },
  create: (args, context) => ({
    anchorGenerator: ANCHOR_GENERATORS.build(args.anchor_generator, { path: `${context.path}.anchor_generator` }),
    bboxCoder: BBOX_CODERS.build(args.bbox_coder, { path: `${context.path}.bbox_coder` }),
    useSigmoid: args.loss_cls.use_sigmoid === true,
    ...readRpnTestCfg(args.test_cfg, context.path.replace(/rpn_head$/, 'test_cfg.rpn')),
  }),
});

/** RoI heads (`roi_head`); `test_cfg.rcnn` comes in as `test_cfg`. Mask branches are accepted and not run. */
export const ROI_HEADS = new Registry<RcnnSettings>('roi heads');

// StandardRoIHead, and MMTracking's SelsaRoIHead: the standard one whose bbox head also sees the reference frames' RoIs.
for (const type of ['StandardRoIHead', 'SelsaRoIHead']) ROI_HEADS.register(type, {
  params: {
    bbox_roi_extractor: param.dict(),
    bbox_head: param.dict(),
    test_cfg: param.dict(),
    mask_roi_extractor: unused(),
    mask_head: unused(),
    shared_head: unused(),
    train_cfg: unused(),
    pretrained: unused(),
    init_cfg: unused(),
  },
  create: (args, context) => {
    const roiExtractor = ROI_EXTRACTORS.build(args.bbox_roi_extractor, { path: `${context.path}.bbox_roi_extractor` });
    const head = BBOX_HEADS.build(args.bbox_head, { path: `${context.path}.bbox_head` });
    const [outH, outW] = typeof roiExtractor.roiLayer.outputSize === 'number' ? [roiExtractor.roiLayer.outputSize, roiExtractor.roiLayer.outputSize] : roiExtractor.roiLayer.outputSize;
    if (outH !== head.roiFeatSize || outW !== head.roiFeatSize) failAt(context)(`bbox_roi_extractor.roi_layer.output_size (${outH}x${outW}) differs from bbox_head.roi_feat_size (${head.roiFeatSize})`);
    return { roiExtractor, ...head, ...readRcnnTestCfg(args.test_cfg, context.path.replace(/roi_head$/, 'test_cfg.rcnn')) };
  },
});

/** Two-stage detectors by `type`: each builds {@link FasterRcnnSettings} from its config dict. */
export const TWO_STAGE_DETECTORS = new Registry<Omit<FasterRcnnSettings, 'classNames'>>('two-stage detectors');

// Mask R-CNN's detections are Faster R-CNN's; its mask branch is read by src/core/models/vis/masktrack-rcnn-config.ts.
for (const type of ['FasterRCNN', 'MaskRCNN']) TWO_STAGE_DETECTORS.register(type, {
  params: {
    backbone: param.dict(),
    rpn_head: param.dict(),
    roi_head: param.dict(),
    test_cfg: param.dict(),
    neck: unused(),
    train_cfg: unused(),
    pretrained: unused(),
    init_cfg: unused(),
  },
  create: (args, context) => {
    const testCfg = args.test_cfg;
    for (const part of ['rpn', 'rcnn'] as const) {
      if (!isConfigDict(testCfg[part])) failAt(context)(`test_cfg.${part}: expected a dict, got ${testCfg[part] === undefined ? 'nothing' : previewValue(testCfg[part])}`);
    }
    checkKeys(testCfg, ['rpn', 'rcnn'], `${context.path}.test_cfg`);
    const rpn = RPN_HEADS.build(args.rpn_head, { path: `${context.path}.rpn_head`, defaults: { test_cfg: testCfg.rpn as ConfigDict } });
    const rcnn = ROI_HEADS.build(args.roi_head, { path: `${context.path}.roi_head`, defaults: { test_cfg: testCfg.rcnn as ConfigDict } });
    return { rpn, rcnn };
  },
});

/** Where the detector sits: `model.detector` (MMTracking's wrappers) or `model` itself. */
export function detectorPath(config: ConfigDict): string {
  if (isConfigDict(getConfigPath(config, 'model.detector'))) return 'model.detector';
  const type = getConfigPath(config, 'model.type');
  if (typeof type === 'string' && TWO_STAGE_DETECTORS.has(type)) return 'model';
  throw new ConfigError(`model: no two-stage detector (expected model.detector=dict(type='FasterRCNN', ...) or model=dict(type='FasterRCNN', ...)), model.type is ${previewValue(type ?? null)}`, configOrigin(config.model));
}

/** The detector's settings from a merged config (no ONNX files needed: also for checking configs). */
export function fasterRcnnSettings(config: ConfigDict): FasterRcnnSettings {
  const path = detectorPath(config);
  const s = TWO_STAGE_DETECTORS.build(getConfigPath(config, path), { path });
  const anchorLevels = s.rpn.anchorGenerator.numLevels;
  if (s.rcnn.roiExtractor.featmapStrides.length > anchorLevels) {
    throw new ConfigError(`${path}: ${s.rcnn.roiExtractor.featmapStrides.length} RoI feature strides but only ${anchorLevels} anchor levels`, configOrigin(getConfigPath(config, path)));
  }
  return { ...s, classNames: classNamesOf(config, s.rcnn.numClasses) };
}

/** Settings, pre-processing and the `onnx.backbone` / `onnx.bbox_head` graphs of a merged config. */
export function fasterRcnnModel(config: ConfigDict): FasterRcnnModel {
  const settings = fasterRcnnSettings(config);
  const specs = readOnnxSection(config);
  const origin = configOrigin(config.onnx);
  const spec = (role: string) => specs.find((m) => m.role === role) ?? (() => {
    throw new ConfigError(`onnx.${role}: missing; a Faster R-CNN config names two graphs, onnx.backbone and onnx.bbox_head (see docs/models.md)`, origin);
  })();
  const backbone = spec('backbone');
  const head = spec('bbox_head');
  const nFeat = settings.rcnn.roiExtractor.featmapStrides.length;
  const nLevels = settings.rpn.anchorGenerator.numLevels;
  const outs = backbone.outputs.map((t) => t.name);
  if (backbone.inputs.length !== 1 || outs.length !== nFeat + 2 * nLevels) {
    throw new ConfigError(`onnx.backbone: expected 1 input (the image) and ${nFeat + 2 * nLevels} outputs (${nFeat} RoI feature maps, then ${nLevels} RPN score maps, then ${nLevels} RPN delta maps), got ${backbone.inputs.length} inputs and ${outs.length} outputs`, origin);
  }
  if (head.inputs.length !== 1 || head.outputs.length !== 2) {
    throw new ConfigError(`onnx.bbox_head: expected 1 input (RoI features) and 2 outputs (cls_score, then bbox_pred), got ${head.inputs.length} inputs and ${head.outputs.length} outputs`, origin);
  }
  return {
    settings,
    preprocess: readTestPipeline(config),
    graphs: {
      backbone: { spec: backbone, input: backbone.inputs[0]!.name, features: outs.slice(0, nFeat), rpnCls: outs.slice(nFeat, nFeat + nLevels), rpnReg: outs.slice(nFeat + nLevels) },
      bboxHead: { spec: head, input: head.inputs[0]!.name, clsScore: head.outputs[0]!.name, bboxPred: head.outputs[1]!.name },
    },
  };
}
