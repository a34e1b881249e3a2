/**
 * Single object tracking models from an MMTracking-style config: `model.type` picks the tracker, `model.test_cfg`
 * (and for SiamRPN++ `model.head`) its parameters, the config's `onnx` section the networks. Keys are MMTracking's
 * (`SiamRPN`, https://github.com/open-mmlab/mmtracking/blob/v0.14.0/configs/sot/siamese_rpn/siamese_rpn_r50_20e_lasot.py)
 * or NanoTrack's config.yaml keys in MMTracking's spelling; unknown keys are errors naming the accepted ones.
 *
 * ```ts
 * const { config } = await loadConfig('configs/sot/nanotrack/nanotrack_v2.py', fs);
 * const settings = sotModelSettings(config); // { type: 'NanoTrack', test: {...}, onnx: { backbone, head } }
 * ```
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigDict, type ConfigValue, getConfigPath, isConfigDict, previewValue } from '../../config/config-value.ts';
import { type OnnxModelSpec, readOnnxSection } from '../../config/onnx-spec.ts';
import { param } from '../../config/params.ts';
import { type BuildContext, Registry } from '../../config/registry.ts';
import { configOrigin } from '../../config/python-evaluator.ts';
import { dictOf } from '../mot/mot-registry.ts';
import type { DeltaXywhCoderConfig, SiameseRpnAnchorConfig } from './siamese-rpn-head.ts';
import type { SiamesePenaltyParams } from './siamese-postprocess.ts';

/** `test_cfg` keys shared by the Siamese trackers. */
export interface SiameseTestConfig {
  exemplarSize: number;
  searchSize: number;
  contextAmount: number;
  rpn: SiamesePenaltyParams;
}

export interface SiamRpnSettings {
  type: 'SiamRPN';
  test: SiameseTestConfig & { centerSize: number };
  anchors: SiameseRpnAnchorConfig;
  bboxCoder: DeltaXywhCoderConfig;
  /** `template`: crop → template features; `search`: crop + template features → `cls_score`, `bbox_pred`. */
  onnx: { template: OnnxModelSpec; search: OnnxModelSpec };
}

export interface NanoTrackSettings {
  type: 'NanoTrack';
  test: SiameseTestConfig & { stride: number; scoreSize: number };
  /** `backbone`: crop → features (any crop size); `head`: (template, search) features → cls, ltrb. */
  onnx: { backbone: OnnxModelSpec; head: OnnxModelSpec };
}

export interface SiamFcSettings {
  type: 'SiamFC';
  test: {
    exemplarSize: number;
    searchSize: number;
    contextAmount: number;
    /** Scale steps: the search runs at `scale_step ** k` for k in `-(num_scales // 2) … num_scales // 2`. */
    numScales: number;
    scaleStep: number;
    /** Score multiplier for the scales other than 1. */
    scalePenalty: number;
    /** Size update rate towards the best scale. */
    scaleLr: number;
    windowInfluence: number;
    /** Response map upsampling factor (bicubic in SiamFC; bilinear here). */
    responseUp: number;
    /** Feature map stride of the backbone, input pixels per cell. */
    totalStride: number;
  };
  /** `backbone`: crop → features. The correlation runs in our code (CPU twin / WGSL kernel). */
  onnx: { backbone: OnnxModelSpec };
}

export type SotModelSettings = SiamRpnSettings | NanoTrackSettings | SiamFcSettings;

/** The `model.type`s this module builds (what `mmtrack track` dispatches to SOT). */
export const SOT_MODEL_TYPES = ['SiamRPN', 'NanoTrack', 'SiamFC'] as const;
export type SotModelType = (typeof SOT_MODEL_TYPES)[number];

export function isSotModelType(type: unknown): type is SotModelType {
  return typeof type === 'string' && (SOT_MODEL_TYPES as readonly string[]).includes(type);
}

const positive = () => param.number({ min: Number.MIN_VALUE });
const positiveInt = () => param.integer({ min: 1 });
const fraction = () => param.number({ min: 0, max: 1 });

const rpnParams = dictOf({ penalty_k: param.number({ min: 0 }), window_influence: fraction(), lr: fraction() });
const rpnOf = (r: { penalty_k: number; window_influence: number; lr: number }): SiamesePenaltyParams => ({ penaltyK: r.penalty_k, windowInfluence: r.window_influence, lr: r.lr });

const siamRpnTestCfg = dictOf({
  exemplar_size: positiveInt().default(127),
  search_size: positiveInt().default(255),
  context_amount: param.number({ min: 0 }).default(0.5),
  center_size: positiveInt().default(7),
  rpn: rpnParams,
});

const anchorGenerator = dictOf({
  type: param.oneOf('SiameseRPNAnchorGenerator'),
  strides: param.array(param.integer({ min: 1 }), 1),
  ratios: param.array(positive()),
  scales: param.array(positive()),
  center_offset: param.number().default(0),
  scale_major: param.boolean().default(true),
});

const bboxCoder = dictOf({
  type: param.oneOf('DeltaXYWHBBoxCoder'),
  target_means: param.array(param.number(), 4).default([0, 0, 0, 0]),
  target_stds: param.array(param.number(), 4).default([1, 1, 1, 1]),
  clip_border: param.boolean().default(true),
  add_ctr_clamp: param.boolean().default(false),
  ctr_clamp: param.number().default(32),
});

/** `SiameseRPNHead`'s keys; what runs inside the exported ONNX graph is not read. */
const siameseRpnHead = dictOf({
  type: param.oneOf('SiameseRPNHead'),
  anchor_generator: anchorGenerator,
  in_channels: param.any().optionalKey(),
  kernel_size: param.any().optionalKey(),
  norm_cfg: param.any().optionalKey(),
  weighted_sum: param.boolean().optionalKey(),
  bbox_coder: bboxCoder,
  loss_cls: param.any().optionalKey(),
  loss_bbox: param.any().optionalKey(),
  train_cfg: param.any().optionalKey(),
  test_cfg: param.any().optionalKey(),
  init_cfg: param.any().optionalKey(),
});

/** Picks the config's `onnx.ROLE` entries, naming what is missing. */
function onnxRoles<R extends string>(config: ConfigDict, roles: readonly R[], type: string, context: BuildContext): Record<R, OnnxModelSpec> {
  const specs = readOnnxSection(config);
  const out = {} as Record<R, OnnxModelSpec>;
  for (const role of roles) {
    const spec = specs.find((s) => s.role === role);
    if (!spec) throw new ConfigError(`${type} needs onnx.${role} (which ONNX file runs it); the config's onnx section has ${specs.map((s) => s.role).join(', ') || 'nothing'} (roles: ${roles.join(', ')})`, context.origin);
    out[role] = spec;
  }
  return out;
}

function requireIo(spec: OnnxModelSpec, inputs: number, outputs: number, what: string, context: BuildContext): void {
  if (spec.inputs.length < inputs || spec.outputs.length < outputs) {
    throw new ConfigError(`onnx.${spec.role}: ${what}; the config lists ${spec.inputs.length} input(s) and ${spec.outputs.length} output(s)`, context.origin);
  }
}

/** Config → settings, under MMTracking's `model.type`. */
export const SOT_MODELS = new Registry<(config: ConfigDict) => SotModelSettings>('sot models');

SOT_MODELS.register('SiamRPN', {
  params: {
    backbone: param.any().optionalKey(),
    neck: param.any().optionalKey(),
    head: siameseRpnHead,
    pretrains: param.any().optionalKey(),
    init_cfg: param.any().optionalKey(),
    frozen_modules: param.any().optionalKey(),
    train_cfg: param.any().optionalKey(),
    test_cfg: siamRpnTestCfg,
  },
  create: (args, context) => (config) => {
    const t = args.test_cfg;
    const ag = args.head.anchor_generator;
    if (ag.center_offset !== 0 || !ag.scale_major) throw new ConfigError(`${context.path}.head.anchor_generator: only center_offset=0 and scale_major=True (MMTracking's SiamRPN) are implemented`, context.origin);
    const onnx = onnxRoles(config, ['template', 'search'] as const, 'SiamRPN', context);
    requireIo(onnx.template, 1, 1, 'the template branch takes the crop and gives the template features', context);
    requireIo(onnx.search, 2, 2, 'the search branch takes the crop then the template features, and gives cls_score then bbox_pred', context);
    const templateOutputs = onnx.template.outputs.map((o) => o.name);
    const searchFeatureInputs = onnx.search.inputs.slice(1).map((i) => i.name);
    const missing = templateOutputs.filter((n) => !searchFeatureInputs.includes(n));
    if (missing.length || searchFeatureInputs.length !== templateOutputs.length) {
      throw new ConfigError(`onnx.search: its inputs after the crop (${searchFeatureInputs.join(', ')}) must be the template outputs (${templateOutputs.join(', ')})`, context.origin);
    }
    return {
      type: 'SiamRPN',
      test: { exemplarSize: t.exemplar_size, searchSize: t.search_size, contextAmount: t.context_amount, centerSize: t.center_size, rpn: rpnOf(t.rpn) },
      anchors: { stride: ag.strides[0]!, ratios: ag.ratios, scales: ag.scales },
      bboxCoder: {
        targetMeans: args.head.bbox_coder.target_means as [number, number, number, number],
        targetStds: args.head.bbox_coder.target_stds as [number, number, number, number],
      },
      onnx,
    };
  },
});

SOT_MODELS.register('NanoTrack', {
  params: {
    test_cfg: dictOf({
      exemplar_size: positiveInt().default(127),
      search_size: positiveInt().default(255),
      context_amount: param.number({ min: 0 }).default(0.5),
      stride: positiveInt().default(16),
      score_size: positiveInt().default(16),
      rpn: rpnParams,
    }),
  },
  create: (args, context) => (config) => {
    const t = args.test_cfg;
    const onnx = onnxRoles(config, ['backbone', 'head'] as const, 'NanoTrack', context);
    requireIo(onnx.backbone, 1, 1, 'the backbone takes a crop and gives features', context);
    requireIo(onnx.head, 2, 2, 'the head takes (template features, search features) and gives cls then ltrb', context);
    return {
      type: 'NanoTrack',
      test: { exemplarSize: t.exemplar_size, searchSize: t.search_size, contextAmount: t.context_amount, stride: t.stride, scoreSize: t.score_size, rpn: rpnOf(t.rpn) },
      onnx,
    };
  },
});

SOT_MODELS.register('SiamFC', {
  params: {
    backbone: param.any().optionalKey(),
    test_cfg: dictOf({
      exemplar_size: positiveInt().default(127),
      search_size: positiveInt().default(255),
      context_amount: param.number({ min: 0 }).default(0.5),
      num_scales: positiveInt().default(3),
      scale_step: positive().default(1.0375),
      scale_penalty: fraction().default(0.9745),
      scale_lr: fraction().default(0.59),
      window_influence: fraction().default(0.176),
      response_up: positiveInt().default(16),
      total_stride: positiveInt().default(8),
    }),
  },
  create: (args, context) => (config) => {
    const t = args.test_cfg;
    if (t.num_scales % 2 !== 1) throw new ConfigError(`${context.path}.test_cfg.num_scales: expected an odd number (scales centred on 1), got ${t.num_scales}`, context.origin);
    const onnx = onnxRoles(config, ['backbone'] as const, 'SiamFC', context);
    requireIo(onnx.backbone, 1, 1, 'the backbone takes a crop and gives features', context);
    return {
      type: 'SiamFC',
      test: {
        exemplarSize: t.exemplar_size,
        searchSize: t.search_size,
        contextAmount: t.context_amount,
        numScales: t.num_scales,
        scaleStep: t.scale_step,
        scalePenalty: t.scale_penalty,
        scaleLr: t.scale_lr,
        windowInfluence: t.window_influence,
        responseUp: t.response_up,
        totalStride: t.total_stride,
      },
      onnx,
    };
  },
});

/** Builds the SOT settings of a merged config's `model`. Throws {@link ConfigError} naming the key on any problem. */
export function sotModelSettings(config: ConfigDict): SotModelSettings {
  const model: ConfigValue | undefined = getConfigPath(config, 'model');
  if (!isConfigDict(model)) throw new ConfigError(`model: expected the model dict, got ${model === undefined ? 'nothing' : previewValue(model)}`, configOrigin(config));
  return SOT_MODELS.build(model, { path: 'model' })(config);
}
