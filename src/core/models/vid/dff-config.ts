/**
 * DFF ("Deep Feature Flow for Video Recognition", Zhu et al. 2017, https://arxiv.org/abs/1611.07715) as MMTracking
 * configures it (`model.type='DFF'`): a two-stage detector, a motion model and `test_cfg.key_frame_interval`.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/vid/dff.py
 *
 * The `onnx` section names four graphs (docs/models.md, "VID"; `scripts/export/export_vid_onnx.py` writes them):
 * - `backbone`: the image `[1, 3, H, W]` → the neck's feature maps, one per RPN anchor level (the first
 *   `len(featmap_strides)` are also the RoI extractor's); DFF warps every one of them;
 * - `rpn_head`: those feature maps (as many inputs) → RPN objectness per level, then RPN deltas per level;
 * - `bbox_head`: RoI features `[N, C, 7, 7]` → `cls_score`, `bbox_pred` (as for Faster R-CNN);
 * - `motion`: FlowNetSimple's network, the prepared pair `[1, 6, H*s, W*s]` → `predict_flow` `[1, 2, H*s/4, W*s/4]`.
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
import { type FlowNetSettings, MOTIONS } from './motion-config.ts';

export interface DffSettings {
  motion: FlowNetSettings;
  /** `test_cfg.key_frame_interval` (MMTracking's default 10): frame_id % interval == 0 is a key frame. */
  keyFrameInterval: number;
}

export interface DffGraphs {
  backbone: { spec: OnnxModelSpec; input: string; features: string[] };
  rpnHead: { spec: OnnxModelSpec; inputs: string[]; cls: string[]; reg: string[] };
  bboxHead: { spec: OnnxModelSpec; input: string; clsScore: string; bboxPred: string };
  motion: { spec: OnnxModelSpec; input: string; output: string };
}

export interface DffModel {
  detector: FasterRcnnSettings;
  dff: DffSettings;
  preprocess: PreprocessOptions;
  graphs: DffGraphs;
}

/** VID methods by `model.type`. */
export const VID_MODELS = new Registry<DffSettings>('vid models');

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
    return { motion: MOTIONS.build(args.motion, { path: `${context.path}.motion` }), keyFrameInterval: interval };
  },
});

/** The DFF model of a merged config: settings, pre-processing and the four graphs. */
export function dffModel(config: ConfigDict): DffModel {
  if (!isConfigDict(config.model)) throw new ConfigError('model: missing', configOrigin(config));
  const dff = VID_MODELS.build(config.model, { path: 'model' });
  const detector = fasterRcnnSettings(config);
  const specs = readOnnxSection(config);
  const origin = configOrigin(config.onnx);
  const spec = (role: string): OnnxModelSpec =>
    specs.find((m) => m.role === role) ??
    (() => {
      throw new ConfigError(`onnx.${role}: missing; a DFF config names four graphs, onnx.backbone, onnx.rpn_head, onnx.bbox_head and onnx.motion (see docs/vid.md)`, origin);
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
  const rpnOuts = rpn.outputs.map((t) => t.name);
  return {
    detector,
    dff,
    preprocess: readTestPipeline(config),
    graphs: {
      backbone: { spec: backbone, input: backbone.inputs[0]!.name, features: backbone.outputs.map((t) => t.name) },
      rpnHead: { spec: rpn, inputs: rpn.inputs.map((t) => t.name), cls: rpnOuts.slice(0, levels), reg: rpnOuts.slice(levels) },
      bboxHead: { spec: head, input: head.inputs[0]!.name, clsScore: head.outputs[0]!.name, bboxPred: head.outputs[1]!.name },
      motion: { spec: motion, input: motion.inputs[0]!.name, output: motion.outputs[0]!.name },
    },
  };
}

/** Whether a merged config is a DFF config (`model.type == 'DFF'`). */
export function isDffConfig(config: ConfigDict): boolean {
  return getConfigPath(config, 'model.type') === 'DFF';
}
