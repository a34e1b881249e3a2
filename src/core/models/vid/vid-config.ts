/**
 * VID methods as MMTracking configures them: DFF ("Deep Feature Flow for Video Recognition", Zhu et al. 2017,
 * https://arxiv.org/abs/1611.07715; `model.type='DFF'`: a two-stage detector, a motion model and
 * `test_cfg.key_frame_interval`) and FGFA ("Flow-Guided Feature Aggregation", Zhu et al. 2017,
 * https://arxiv.org/abs/1703.10025; `model.type='FGFA'`: the same and an `EmbedAggregator`, with the reference frames
 * of `data.test.ref_img_sampler`).
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/vid/dff.py
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/vid/fgfa.py
 *
 * The `onnx` section names four graphs (docs/models.md, "VID"; `scripts/export/export_vid_onnx.py` writes them):
 * - `backbone`: the image `[1, 3, H, W]` → the neck's feature maps, one per RPN anchor level (the first
 *   `len(featmap_strides)` are also the RoI extractor's); DFF warps every one of them;
 * - `rpn_head`: those feature maps (as many inputs) → RPN objectness per level, then RPN deltas per level;
 * - `bbox_head`: RoI features `[N, C, 7, 7]` → `cls_score`, `bbox_pred` (as for Faster R-CNN);
 * - `motion`: FlowNetSimple's network, the prepared pair `[1, 6, H*s, W*s]` → `predict_flow` `[1, 2, H*s/4, W*s/4]`;
 * - FGFA also `aggregator`: EmbedAggregator's convs, feature maps `[N, C, h, w]` → embeddings `[N, C, h, w]`.
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigDict, getConfigPath, isConfigDict, previewValue } from '../../config/config-value.ts';
import { type OnnxModelSpec, readOnnxSection } from '../../config/onnx-spec.ts';
import { param } from '../../config/params.ts';
import { configOrigin } from '../../config/python-evaluator.ts';
import { Registry } from '../../config/registry.ts';
import type { PreprocessOptions } from '../../ops/preprocess.ts';
import { type FasterRcnnSettings, fasterRcnnSettings } from '../det/faster-rcnn-config.ts';
import { readTestPipeline } from '../det/test-pipeline.ts';
import { type CenterNetSettings, centerNetSettings } from '../det/centernet.ts';
import { type FlowNetSettings, type LucasKanadeSettings, type MotionSettings, MOTIONS } from './motion-config.ts';

export interface DffSettings {
  method: 'DFF';
  motion: MotionSettings;
  /** `test_cfg.key_frame_interval` (MMTracking's default 10): frame_id % interval == 0 is a key frame. */
  keyFrameInterval: number;
}

/** FGFA's reference frames: `data.test.ref_img_sampler` with MMTracking's `test_with_fix_stride`. */
export interface FgfaSettings {
  method: 'FGFA';
  motion: FlowNetSettings;
  /** `frame_range` [-L, R]: L frames before, R after (MMTracking's configs: [-15, 15]). */
  frameRange: [number, number];
  /** `stride` (MMTracking's configs: 1). */
  stride: number;
}

/**
 * SELSA's references, `data.test.ref_img_sampler`: MMTracking's `test_with_adaptive_stride` (its configs: references
 * over the whole video, offline) or `test_with_fix_stride` (SELSA.extract_feats' fixed-stride branch: a window that
 * slides with the frame; with frame_range [-K, 0] the causal mode, the last K frames at the stride and the frame).
 */
export type SelsaSettings = { method: 'SELSA' } & (
  | {
      sampler: 'test_with_adaptive_stride';
      /** frame_range[1] - frame_range[0] (MMTracking sets num_ref_imgs to it for test samplers): 14 in its configs. */
      numRefImgs: number;
    }
  | ({ sampler: 'test_with_fix_stride' } & Pick<FgfaSettings, 'frameRange' | 'stride'>)
);

export type VidSettings = DffSettings | FgfaSettings | SelsaSettings;

export interface DffGraphs {
  backbone: { spec: OnnxModelSpec; input: string; features: string[] };
  rpnHead: { spec: OnnxModelSpec; inputs: string[]; cls: string[]; reg: string[] };
  bboxHead: { spec: OnnxModelSpec; input: string; clsScore: string; bboxPred: string };
  motion: { spec: OnnxModelSpec; input: string; output: string };
}

/** VID methods by `model.type` (the reference sampling of FGFA is read from the dataset config, see fgfaModel). */
export const VID_MODELS = new Registry<DffSettings | Omit<FgfaSettings, 'frameRange' | 'stride'> | { method: 'SELSA' }>('vid models');

VID_MODELS.register('DFF', {
  params: {
    detector: param.dict(),
    motion: param.dict(),
    test_cfg: param.dict().default({}),
    train_cfg: param.any().optionalKey(),
    pretrains: param.any().optionalKey(),
    init_cfg: param.any().optionalKey(),
    frozen_modules: param.any().optionalKey(),
  },
  create: (args, context) => {
    const interval = args.test_cfg.key_frame_interval ?? 10;
    const extra = Object.keys(args.test_cfg).filter((k) => k !== 'key_frame_interval');
    if (extra.length > 0) throw new ConfigError(`${context.path}.test_cfg: DFF takes only key_frame_interval, not ${extra.join(', ')}`, configOrigin(args.test_cfg) ?? context.origin);
    if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1) {
      throw new ConfigError(`${context.path}.test_cfg.key_frame_interval: expected an int >= 1, got ${previewValue(interval)}`, configOrigin(args.test_cfg) ?? context.origin);
    }
    return { method: 'DFF', motion: MOTIONS.build(args.motion, { path: `${context.path}.motion` }), keyFrameInterval: interval };
  },
});

VID_MODELS.register('FGFA', {
  params: {
    detector: param.dict(),
    motion: param.dict(),
    aggregator: param.dict(),
    test_cfg: param.any().optionalKey(),
    train_cfg: param.any().optionalKey(),
    pretrains: param.any().optionalKey(),
    init_cfg: param.any().optionalKey(),
    frozen_modules: param.any().optionalKey(),
  },
  create: (args, context) => {
    const agg = args.aggregator;
    if (agg.type !== 'EmbedAggregator') throw new ConfigError(`${context.path}.aggregator: type ${previewValue(agg.type ?? null)}; FGFA's aggregator here is EmbedAggregator`, configOrigin(agg) ?? context.origin);
    const motion = MOTIONS.build(args.motion, { path: `${context.path}.motion` });
    if (motion.type !== 'FlowNetSimple') throw new ConfigError(`${context.path}.motion: FGFA runs FlowNetSimple (an ONNX graph), not ${motion.type}`, configOrigin(args.motion) ?? context.origin);
    return { method: 'FGFA', motion };
  },
});

VID_MODELS.register('SELSA', {
  params: {
    detector: param.dict(),
    test_cfg: param.any().optionalKey(),
    train_cfg: param.any().optionalKey(),
    pretrains: param.any().optionalKey(),
    init_cfg: param.any().optionalKey(),
    frozen_modules: param.any().optionalKey(),
  },
  create: () => ({ method: 'SELSA' }),
});

/** DFF's model: settings, pre-processing and the four graphs. */
export interface DffModel {
  detector: FasterRcnnSettings;
  dff: DffSettings & { motion: FlowNetSettings };
  preprocess: PreprocessOptions;
  graphs: DffGraphs;
}

/** FGFA's model: DFF's four graphs and the aggregator's embedding. */
export interface FgfaModel {
  detector: FasterRcnnSettings;
  fgfa: FgfaSettings;
  preprocess: PreprocessOptions;
  graphs: DffGraphs & { aggregator: { spec: OnnxModelSpec; input: string; output: string } };
}

/**
 * `data.test.ref_img_sampler` with one of MMTracking's test `methods` (FGFA's `test_with_fix_stride`; SELSA's
 * `test_with_adaptive_stride` or `test_with_fix_stride`): the sampler and its `frame_range` as [-L, R], or an error
 * naming the key.
 */
function readTestSampler(config: ConfigDict, methods: readonly string[], who: string, keys: string): { sampler: ConfigDict; range: [number, number]; fail: (problem: string) => never } {
  const path = 'data.test.ref_img_sampler';
  const sampler = getConfigPath(config, path);
  const fail = (problem: string): never => {
    throw new ConfigError(`${path}: ${problem}`, configOrigin(sampler) ?? configOrigin(config.data));
  };
  const named = methods.map((m) => `'${m}'`).join(' or ');
  if (!isConfigDict(sampler)) return fail(`missing; ${who} samples its reference frames with method=${named} (${keys})`);
  if (!methods.includes(sampler.method as string)) fail(`method=${previewValue(sampler.method ?? null)}; ${who} is tested with ${named}`);
  const range = typeof sampler.frame_range === 'number' ? [-sampler.frame_range, sampler.frame_range] : sampler.frame_range;
  if (!Array.isArray(range) || range.length !== 2 || !range.every((v) => typeof v === 'number' && Number.isInteger(v)) || (range[0] as number) > 0 || (range[1] as number) < 0) {
    fail(`frame_range must be an int >= 0 or [-L, R] of ints, got ${previewValue(sampler.frame_range ?? null)}`);
  }
  return { sampler, range: range as [number, number], fail };
}

/** FGFA's window, and SELSA's in its fixed-stride mode: `test_with_fix_stride`. */
function readFixStride(sampler: ConfigDict, range: [number, number], fail: (problem: string) => never): Pick<FgfaSettings, 'frameRange' | 'stride'> {
  const stride = sampler.stride ?? 1;
  if (typeof stride !== 'number' || !Number.isInteger(stride) || stride < 1) fail(`stride must be an int >= 1, got ${previewValue(stride)}`);
  const [left, right] = range;
  if (right - left > 64) fail(`frame_range [${left}, ${right}] reads ${right - left + 1} frames per frame; at most 65 here`);
  return { frameRange: [left, right], stride };
}

/** SELSA's references: `test_with_adaptive_stride`, or the window of `test_with_fix_stride`. */
function readSelsaSampler(config: ConfigDict): SelsaSettings {
  const { sampler, range, fail } = readTestSampler(config, ['test_with_adaptive_stride', 'test_with_fix_stride'], 'SELSA', 'frame_range, and stride for the fixed stride');
  if (sampler.method === 'test_with_fix_stride') return { method: 'SELSA', sampler: 'test_with_fix_stride', ...readFixStride(sampler, range, fail) };
  // MMTracking's test samplers take num_ref_imgs = frame_range[1] - frame_range[0] (with a warning when they differ).
  const n = range[1] - range[0];
  if (n < 2) fail(`frame_range [${range.join(', ')}] samples ${n} reference frame(s); test_with_adaptive_stride needs at least 2`);
  if (n > 64) fail(`frame_range [${range.join(', ')}] samples ${n} reference frames; at most 64 here`);
  return { method: 'SELSA', sampler: 'test_with_adaptive_stride', numRefImgs: n };
}

/** A VID config's settings by method (`model.type`). */
export function vidSettings(config: ConfigDict): VidSettings {
  if (!isConfigDict(config.model)) throw new ConfigError('model: missing', configOrigin(config));
  const s = VID_MODELS.build(config.model, { path: 'model' });
  if (s.method === 'DFF') return s;
  if (s.method === 'SELSA') return readSelsaSampler(config);
  const { sampler, range, fail } = readTestSampler(config, ['test_with_fix_stride'], 'FGFA', 'frame_range, stride');
  return { ...s, ...readFixStride(sampler, range, fail) };
}

/**
 * SELSA's model: the detector's backbone and RPN head graphs, and its SelsaBBoxHead split in two (docs/vid.md):
 * `bbox_head_ref` (reference RoI features → per shared fc, the aggregator's keys and values) and `bbox_head` (the
 * frame's RoI features and those keys and values → cls_score, bbox_pred). Temporal RoI Align is SELSA with a
 * `TemporalRoIAlign` RoI extractor ("Temporal RoI Align for Video Object Recognition", Gong et al. 2021,
 * https://arxiv.org/abs/2109.03495; MMTracking's `configs/vid/temporal_roi_align/`): with attention blocks, its
 * `embed_network` (RoI features → embeddings, the same shape) is a fifth graph.
 */
export interface SelsaModel {
  detector: FasterRcnnSettings;
  selsa: SelsaSettings;
  preprocess: PreprocessOptions;
  graphs: Omit<DffGraphs, 'motion' | 'bboxHead'> & {
    bboxHead: { spec: OnnxModelSpec; input: string; keysValues: string[]; clsScore: string; bboxPred: string };
    bboxHeadRef: { spec: OnnxModelSpec; input: string; keysValues: string[] };
    /** Temporal RoI Align (`bbox_roi_extractor.type='TemporalRoIAlign'` with attention blocks): its embed network. */
    embedNetwork?: { spec: OnnxModelSpec; input: string; output: string };
  };
}

/** The graphs a SELSA config names: Temporal RoI Align's attention adds its embed network. */
export function selsaRoles(detector: FasterRcnnSettings): string[] {
  const temporal = detector.rcnn.roiExtractor.temporal;
  return ['backbone', 'rpn_head', 'bbox_head', 'bbox_head_ref', ...(temporal && temporal.numTemporalAttentionBlocks > 0 ? ['embed_network'] : [])];
}

/** The SELSA model of a merged config. */
export function selsaModel(config: ConfigDict): SelsaModel {
  const selsa = vidSettings(config);
  if (selsa.method !== 'SELSA') throw new ConfigError(`model.type: ${selsa.method}, not SELSA`, configOrigin(config.model));
  const detector = fasterRcnnSettings(config);
  const specs = readOnnxSection(config);
  const origin = configOrigin(config.onnx);
  const roles = selsaRoles(detector);
  const what = roles.length > 4 ? 'a Temporal RoI Align config' : 'a SELSA config';
  const spec = (role: string): OnnxModelSpec =>
    specs.find((m) => m.role === role) ??
    (() => {
      throw new ConfigError(`onnx.${role}: missing; ${what} names ${roles.length} graphs, ${roles.map((r) => `onnx.${r}`).join(', ')} (see docs/vid.md)`, origin);
    })();
  if (roles.length === 4 && specs.some((m) => m.role === 'embed_network')) {
    throw new ConfigError("onnx.embed_network: given, but the RoI extractor has no temporal attention (TemporalRoIAlign with num_temporal_attention_blocks > 0 runs it)", origin);
  }
  const levels = detector.rpn.anchorGenerator.numLevels;
  const [backbone, rpn, head, ref] = roles.map(spec) as [OnnxModelSpec, OnnxModelSpec, OnnxModelSpec, OnnxModelSpec];
  const expect = (s: OnnxModelSpec, ok: boolean, what: string) => {
    if (!ok) throw new ConfigError(`onnx.${s.role}: expected ${what}, got ${s.inputs.length} inputs and ${s.outputs.length} outputs`, origin);
  };
  expect(backbone, backbone.inputs.length === 1 && backbone.outputs.length === levels, `1 input and ${levels} outputs (the image; the neck's feature maps)`);
  expect(rpn, rpn.inputs.length === levels && rpn.outputs.length === 2 * levels, `${levels} inputs and ${2 * levels} outputs (feature maps; objectness, then deltas)`);
  expect(ref, ref.inputs.length === 1 && ref.outputs.length >= 2 && ref.outputs.length % 2 === 0, "1 input and 2 outputs per shared fc (reference RoI features; each fc's keys, then values)");
  expect(head, head.inputs.length === 1 + ref.outputs.length && head.outputs.length === 2, `${1 + ref.outputs.length} inputs and 2 outputs (RoI features, then bbox_head_ref's outputs in order; cls_score, bbox_pred)`);
  const embed = roles.length > 4 ? spec('embed_network') : undefined;
  if (embed) expect(embed, embed.inputs.length === 1 && embed.outputs.length === 1, '1 input and 1 output (RoI features; their embeddings, the same shape)');
  const rpnOuts = rpn.outputs.map((t) => t.name);
  return {
    detector,
    selsa,
    preprocess: readTestPipeline(config),
    graphs: {
      backbone: { spec: backbone, input: backbone.inputs[0]!.name, features: backbone.outputs.map((t) => t.name) },
      rpnHead: { spec: rpn, inputs: rpn.inputs.map((t) => t.name), cls: rpnOuts.slice(0, levels), reg: rpnOuts.slice(levels) },
      bboxHead: { spec: head, input: head.inputs[0]!.name, keysValues: head.inputs.slice(1).map((t) => t.name), clsScore: head.outputs[0]!.name, bboxPred: head.outputs[1]!.name },
      bboxHeadRef: { spec: ref, input: ref.inputs[0]!.name, keysValues: ref.outputs.map((t) => t.name) },
      ...(embed && { embedNetwork: { spec: embed, input: embed.inputs[0]!.name, output: embed.outputs[0]!.name } }),
    },
  };
}

function readGraphs(config: ConfigDict, detector: FasterRcnnSettings, method: string, extra: string[]): { graphs: DffGraphs; spec: (role: string) => OnnxModelSpec } {
  const specs = readOnnxSection(config);
  const origin = configOrigin(config.onnx);
  const roles = ['backbone', 'rpn_head', 'bbox_head', 'motion', ...extra];
  const spec = (role: string): OnnxModelSpec =>
    specs.find((m) => m.role === role) ??
    (() => {
      throw new ConfigError(`onnx.${role}: missing; a ${method} config names ${roles.length} graphs, ${roles.map((r) => `onnx.${r}`).join(', ')} (see docs/vid.md)`, origin);
    })();
  const levels = detector.rpn.anchorGenerator.numLevels;
  const backbone = spec('backbone');
  const rpn = spec('rpn_head');
  const head = spec('bbox_head');
  const motion = spec('motion');
  const expect = (s: OnnxModelSpec, inputs: number, outputs: number, what: string) => {
    if (s.inputs.length !== inputs || s.outputs.length !== outputs) {
      throw new ConfigError(`onnx.${s.role}: expected ${inputs} inputs and ${outputs} outputs (${what}), got ${s.inputs.length} and ${s.outputs.length}`, origin);
    }
  };
  expect(backbone, 1, levels, `the image; the neck's ${levels} feature maps, one per anchor level`);
  expect(rpn, levels, 2 * levels, `the ${levels} feature maps; ${levels} objectness maps, then ${levels} delta maps`);
  expect(head, 1, 2, 'RoI features; cls_score, then bbox_pred');
  expect(motion, 1, 1, 'the prepared image pair; predict_flow');
  for (const role of extra) expect(spec(role), 1, 1, 'feature maps; their embeddings');
  const rpnOuts = rpn.outputs.map((t) => t.name);
  return {
    spec,
    graphs: {
      backbone: { spec: backbone, input: backbone.inputs[0]!.name, features: backbone.outputs.map((t) => t.name) },
      rpnHead: { spec: rpn, inputs: rpn.inputs.map((t) => t.name), cls: rpnOuts.slice(0, levels), reg: rpnOuts.slice(levels) },
      bboxHead: { spec: head, input: head.inputs[0]!.name, clsScore: head.outputs[0]!.name, bboxPred: head.outputs[1]!.name },
      motion: { spec: motion, input: motion.inputs[0]!.name, output: motion.outputs[0]!.name },
    },
  };
}

/** The DFF model of a merged config: settings, pre-processing and the four graphs. */
export function dffModel(config: ConfigDict): DffModel {
  const dff = vidSettings(config);
  if (dff.method !== 'DFF') throw new ConfigError(`model.type: ${dff.method}, not DFF`, configOrigin(config.model));
  const { motion } = dff;
  if (motion.type !== 'FlowNetSimple') {
    throw new ConfigError(`model.motion: DFF on a two-stage detector runs FlowNetSimple (an ONNX graph), not ${motion.type} (which the CenterNet DFF of configs/vid/default.py uses)`, configOrigin(getConfigPath(config, 'model.motion')) ?? configOrigin(config.model));
  }
  const detector = fasterRcnnSettings(config);
  return { detector, dff: { ...dff, motion }, preprocess: readTestPipeline(config), graphs: readGraphs(config, detector, 'DFF', []).graphs };
}

/**
 * DFF on a single-stage CenterNet (the default VID method, `configs/vid/default.py`; MMTracking's own single-stage
 * branch calls a missing `bbox_head`). Two graphs: `backbone`, the image → the feature map DFF warps, and `head`,
 * that map → heat map and sizes (the detector's outputs); the motion is `PyramidalLucasKanade`.
 */
export interface DffCenterNetModel {
  /** The CenterNet settings, whose graph (`onnx`, `inputName`) is the head. */
  detector: CenterNetSettings;
  dff: DffSettings & { motion: LucasKanadeSettings };
  backbone: { spec: OnnxModelSpec; input: string; output: string };
}

/** The CenterNet DFF model of a merged config. */
export function dffCenterNetModel(config: ConfigDict): DffCenterNetModel {
  const dff = vidSettings(config);
  if (dff.method !== 'DFF') throw new ConfigError(`model.type: ${dff.method}, not DFF`, configOrigin(config.model));
  const { motion } = dff;
  if (motion.type !== 'PyramidalLucasKanade') {
    throw new ConfigError(`model.motion: DFF on CenterNet computes its flow with PyramidalLucasKanade, not ${motion.type} (no FlowNet graph is trained for it)`, configOrigin(getConfigPath(config, 'model.motion')) ?? configOrigin(config.model));
  }
  const specs = readOnnxSection(config);
  const backbone = specs.find((m) => m.role === 'backbone');
  if (!backbone) throw new ConfigError('onnx.backbone: missing; a CenterNet DFF config names two graphs, onnx.backbone (image → features) and onnx.head (features → heat map, sizes)', configOrigin(config.onnx));
  if (backbone.inputs.length !== 1 || backbone.outputs.length !== 1) {
    throw new ConfigError(`onnx.backbone: expected 1 input and 1 output (the image; the feature map), got ${backbone.inputs.length} and ${backbone.outputs.length}`, configOrigin(config.onnx));
  }
  const detector = centerNetSettings(config, 'head');
  return { detector, dff: { ...dff, motion }, backbone: { spec: backbone, input: backbone.inputs[0]!.name, output: backbone.outputs[0]!.name } };
}

/** `model.detector.type` of a VID config. */
export function vidDetectorType(config: ConfigDict): string | undefined {
  const type = getConfigPath(config, 'model.detector.type');
  return typeof type === 'string' ? type : undefined;
}

/** The FGFA model of a merged config: settings (reference sampling included), pre-processing and the five graphs. */
export function fgfaModel(config: ConfigDict): FgfaModel {
  const fgfa = vidSettings(config);
  if (fgfa.method !== 'FGFA') throw new ConfigError(`model.type: ${fgfa.method}, not FGFA`, configOrigin(config.model));
  const detector = fasterRcnnSettings(config);
  const { graphs, spec } = readGraphs(config, detector, 'FGFA', ['aggregator']);
  const agg = spec('aggregator');
  return { detector, fgfa, preprocess: readTestPipeline(config), graphs: { ...graphs, aggregator: { spec: agg, input: agg.inputs[0]!.name, output: agg.outputs[0]!.name } } };
}

/** Whether a merged config is a DFF config (`model.type == 'DFF'`). */
export function isDffConfig(config: ConfigDict): boolean {
  return getConfigPath(config, 'model.type') === 'DFF';
}
