import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeConfigFs } from '../../config/node-config-fs.node.ts';
import { ConfigError } from '../../config/config-error.ts';
import { cloneConfig, type ConfigDict } from '../../config/config-value.ts';
import { loadConfig } from '../../config/config-loader.ts';
import { fasterRcnnModel, fasterRcnnSettings } from './faster-rcnn-config.ts';
import { readTestPipeline } from './test-pipeline.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const load = async (path: string) => (await loadConfig(`${repoRoot}${path}`, nodeConfigFs)).config;

/** A copy of `config` with `edit` applied to its `model.detector` (or `model`). */
function edited(config: ConfigDict, edit: (detector: ConfigDict, config: ConfigDict) => void): ConfigDict {
  const copy = cloneConfig(config);
  const model = copy.model as ConfigDict;
  edit((model.detector ?? model) as ConfigDict, copy);
  return copy;
}

describe('Faster R-CNN settings from MMTracking/MMDetection configs', () => {
  it("configs/det/faster_rcnn_r50_fpn_1x_coco.py: MMDetection's R50-FPN with its two graphs", async () => {
    const m = fasterRcnnModel(await load('configs/det/faster_rcnn_r50_fpn_1x_coco.py'));
    const { rpn, rcnn, classNames } = m.settings;
    expect(rpn.anchorGenerator.strides).toEqual([[4, 4], [8, 8], [16, 16], [32, 32], [64, 64]]);
    expect(rpn.anchorGenerator.numBaseAnchors).toEqual([3, 3, 3, 3, 3]);
    expect(rpn.useSigmoid).toBe(true);
    // test_cfg.rpn in the legacy spelling: nms_thr → nms.iou_threshold, max_num → max_per_img.
    expect({ nmsPre: rpn.nmsPre, maxPerImg: rpn.maxPerImg, nms: rpn.nms, minBboxSize: rpn.minBboxSize }).toEqual({ nmsPre: 1000, maxPerImg: 1000, nms: { iouThreshold: 0.7, classAgnostic: false }, minBboxSize: 0 });
    expect(rcnn.roiExtractor).toEqual({ roiLayer: { outputSize: 7, samplingRatio: 0, aligned: true }, featmapStrides: [4, 8, 16, 32], finestScale: 56 });
    expect(rcnn.bboxCoder.stds).toEqual([0.1, 0.1, 0.2, 0.2].map(Math.fround));
    expect({ numClasses: rcnn.numClasses, scoreThr: rcnn.scoreThr, nms: rcnn.nms, maxPerImg: rcnn.maxPerImg, regClassAgnostic: rcnn.regClassAgnostic }).toEqual({ numClasses: 80, scoreThr: 0.05, nms: { iouThreshold: 0.5, classAgnostic: false }, maxPerImg: 100, regClassAgnostic: false });
    expect(classNames[0]).toBe('person');
    expect(m.preprocess).toEqual({ scale: [1333, 800], keepRatio: true, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], toRgb: true, sizeDivisor: 32 });
    expect(m.graphs.backbone.features).toEqual(['feat_0', 'feat_1', 'feat_2', 'feat_3']);
    expect(m.graphs.backbone.rpnCls).toEqual(['rpn_cls_0', 'rpn_cls_1', 'rpn_cls_2', 'rpn_cls_3', 'rpn_cls_4']);
    expect(m.graphs.backbone.rpnReg).toHaveLength(5);
    expect(m.graphs.bboxHead).toMatchObject({ input: 'roi_feats', clsScore: 'cls_score', bboxPred: 'bbox_pred' });
  });

  it("Tracktor (seeds/001): model.detector, one class, clip_border=False, MOT17's test pipeline", async () => {
    const config = await load('configs/mot/tracktor/tracktor_faster-rcnn_r50_fpn_4e_mot17-private-half.py');
    const s = fasterRcnnSettings(config);
    expect(s.rcnn.numClasses).toBe(1);
    expect(s.rpn.bboxCoder.clipBorder).toBe(false);
    expect(s.rcnn.bboxCoder.clipBorder).toBe(false);
    expect(readTestPipeline(config)).toMatchObject({ scale: [1088, 1088], keepRatio: true, sizeDivisor: 32 });
    // Its onnx section names the one-class graphs; without it settings are readable, the runner is not.
    const model = fasterRcnnModel(config);
    expect([model.graphs.backbone.features.length, model.graphs.backbone.rpnCls.length, model.graphs.bboxHead.clsScore]).toEqual([4, 5, 'cls_score']);
    expect(model.graphs.bboxHead.spec.outputs.map((t) => t.shape)).toEqual([['num_rois', 2], ['num_rois', 4]]);
    expect(() => fasterRcnnModel({ ...config, onnx: null })).toThrow(/onnx\.backbone: missing; a Faster R-CNN config names two graphs/);
  });

  it("DFF (seeds/000): a single stride-16 level, 12 anchors per cell, sampling_ratio 2, stds 0.2", async () => {
    const s = fasterRcnnSettings(await load('configs/vid/dff/dff_faster_rcnn_r50_dc5_1x_imagenetvid.py'));
    expect(s.rpn.anchorGenerator.numBaseAnchors).toEqual([12]);
    expect([s.rpn.nmsPre, s.rpn.maxPerImg]).toEqual([6000, 300]);
    expect(s.rcnn.roiExtractor).toEqual({ roiLayer: { outputSize: 7, samplingRatio: 2, aligned: true }, featmapStrides: [16], finestScale: 56 });
    expect(s.rcnn.bboxCoder.stds).toEqual([0.2, 0.2, 0.2, 0.2].map(Math.fround));
    expect([s.rcnn.numClasses, s.rcnn.scoreThr]).toEqual([30, 0.0001]);
  });

  it('names the key and the file for what it cannot run', async () => {
    const base = await load('configs/det/faster_rcnn_r50_fpn_1x_coco.py');
    const fails = (edit: (d: ConfigDict, c: ConfigDict) => void) => {
      try {
        fasterRcnnModel(edited(base, edit));
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(fails((d) => ((d.rpn_head as ConfigDict).anchor_generater = (d.rpn_head as ConfigDict).anchor_generator!))).toMatch(/^model\.detector\.rpn_head: RPNHead does not accept key 'anchor_generater' \(did you mean 'anchor_generator'\?\)/);
    expect(fails((d) => (((d.test_cfg as ConfigDict).rpn as ConfigDict).max_per_img = 500))).toMatch(/model\.detector\.test_cfg\.rpn: max_num=1000 disagrees with max_per_img=500/);
    expect(fails((d) => (((d.test_cfg as ConfigDict).rcnn as ConfigDict).nms = { type: 'soft_nms', iou_threshold: 0.5 }))).toMatch(/test_cfg\.rcnn\.nms: type 'soft_nms' is not supported/);
    expect(fails((d) => (((d.test_cfg as ConfigDict).rcnn as ConfigDict).score_threshold = 0.3))).toMatch(/test_cfg\.rcnn: unknown key 'score_threshold'; accepted keys: score_thr/);
    expect(fails((d) => (((d.roi_head as ConfigDict).bbox_head as ConfigDict).loss_cls = { type: 'CrossEntropyLoss', use_sigmoid: true }))).toMatch(/bbox_head: loss_cls\.use_sigmoid=True .* not supported/);
    expect(fails((d) => ((((d.roi_head as ConfigDict).bbox_roi_extractor as ConfigDict).roi_layer as ConfigDict).output_size = 14))).toMatch(/output_size \(14x14\) differs from bbox_head\.roi_feat_size \(7\)/);
    expect(fails((_, c) => delete ((c.onnx as ConfigDict).backbone as ConfigDict).outputs!['rpn_reg_4' as never])).toMatch(/onnx\.backbone: expected 1 input \(the image\) and 14 outputs \(4 RoI feature maps, then 5 RPN score maps, then 5 RPN delta maps\), got 1 inputs and 13 outputs/);
    expect(fails((_, c) => ((c.model as ConfigDict).detector = { type: 'RetinaNet' }))).toMatch(/model\.detector: unknown type 'RetinaNet' in registry 'two-stage detectors'/);
  });
});

describe('readTestPipeline', () => {
  const pipeline = (steps: unknown[]) => readTestPipeline({ test_pipeline: steps } as ConfigDict);

  it('reads Resize/Normalize/Pad at the top level too; without Normalize the pixels stay 0-255 BGR', () => {
    expect(pipeline([{ type: 'LoadImageFromFile' }, { type: 'Resize', img_scale: [640, 480], keep_ratio: false }, { type: 'Pad', size_divisor: 16 }])).toEqual({ scale: [640, 480], keepRatio: false, mean: [0, 0, 0], std: [1, 1, 1], toRgb: false, sizeDivisor: 16 });
    expect(pipeline([{ type: 'MultiScaleFlipAug', img_scale: [[800, 600]], flip: false, transforms: [{ type: 'Resize', keep_ratio: true }, { type: 'Normalize', mean: [1, 2, 3], std: [4, 5, 6], to_rgb: false }] }])).toEqual({ scale: [800, 600], keepRatio: true, mean: [1, 2, 3], std: [4, 5, 6], toRgb: false, sizeDivisor: 1 });
  });

  it('refuses what it would silently get wrong', () => {
    expect(() => pipeline([{ type: 'MultiScaleFlipAug', img_scale: [1333, 800], flip: true, transforms: [] }])).toThrow(/test_pipeline: MultiScaleFlipAug: flip=True .* not supported/);
    expect(() => pipeline([{ type: 'Resize', img_scale: [[1333, 800], [1333, 640]] }])).toThrow(/img_scale: expected one \(w, h\) pair \(multi-scale testing is not supported\)/);
    expect(() => pipeline([{ type: 'Resize', img_scale: [64, 64] }, { type: 'PhotoMetricDistortion' }])).toThrow(/PhotoMetricDistortion: a test-time transform the detector runners do not implement/);
    expect(() => pipeline([{ type: 'Resize', keep_ratio: true }])).toThrow(/no img_scale/);
    expect(() => readTestPipeline({})).toThrow(/test_pipeline: expected a list of transforms/);
  });
});
