import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/config-error.ts';
import { applyCfgOptions, parseCfgOptions } from '../../config/cfg-options.ts';
import type { ConfigDict } from '../../config/config-value.ts';
import { loadConfig } from '../../config/config-loader.ts';
import { nodeConfigFs } from '../../config/node-config-fs.node.ts';
import { dffCenterNetModel, dffModel, fgfaModel, selsaModel, vidDetectorType, vidSettings } from './vid-config.ts';
import { fixStrideWindowIds } from './fgfa.ts';
import { selsaFixStrideWindow } from './selsa.ts';

const repo = new URL('../../../../', import.meta.url).pathname;
const load = async (path: string) => (await loadConfig(`${repo}${path}`, nodeConfigFs)).config;
const DFF = 'configs/vid/dff/dff_faster_rcnn_r50_dc5_1x_imagenetvid.py';
const FGFA = 'configs/vid/fgfa/fgfa_faster_rcnn_r50_dc5_1x_imagenetvid.py';

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problem;
    throw err;
  }
  throw new Error('no error');
}

describe("MMTracking's VID configs", () => {
  it("DFF: key frame every 10, FlowNetSimple's defaults, the single-level R50-DC5 detector, ImageNet VID's classes, four graphs", async () => {
    const m = dffModel(await load(DFF));
    expect(m.dff).toEqual({ method: 'DFF', keyFrameInterval: 10, motion: { type: 'FlowNetSimple', imgScaleFactor: 0.5, flowScaleFactor: 5, flowImgNormMean: [0.411, 0.432, 0.45], flowImgNormStd: [255, 255, 255] } });
    expect(m.detector.rpn.anchorGenerator.numLevels).toBe(1);
    expect(m.detector.classNames.slice(0, 3)).toEqual(['airplane', 'antelope', 'bear']);
    expect(m.preprocess).toMatchObject({ scale: [1000, 600], sizeDivisor: 16 });
    const g = m.graphs;
    expect([g.backbone, g.rpnHead, g.bboxHead, g.motion].map((x) => x.spec.file.split('/')[1])).toEqual(['backbone.onnx', 'rpn_head.onnx', 'bbox_head.onnx', 'motion.onnx']);
  });

  it("FGFA: test_with_fix_stride over [-15, 15] and its Seq* test pipeline read as the still-image transforms", async () => {
    const m = fgfaModel(await load(FGFA));
    expect(m.fgfa).toMatchObject({ method: 'FGFA', frameRange: [-15, 15], stride: 1 });
    expect(m.preprocess).toEqual({ scale: [1000, 600], keepRatio: true, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], toRgb: true, sizeDivisor: 16 });
    expect(m.graphs.aggregator).toMatchObject({ input: 'feats', output: 'embed' });
  });

  it('bad VID settings are clear errors naming the key', async () => {
    const dff = await load(DFF);
    const fgfa = await load(FGFA);
    const set = (c: ConfigDict, opts: string[]) => applyCfgOptions(c, parseCfgOptions(opts));
    expect(problem(() => vidSettings(set(dff, ['model.test_cfg.key_frame_interval=0'])))).toBe('model.test_cfg.key_frame_interval: expected an int >= 1, got 0');
    expect(problem(() => vidSettings(set(fgfa, ['data.test.ref_img_sampler.method=test_with_adaptive_stride'])))).toMatch(/^data\.test\.ref_img_sampler: method='test_with_adaptive_stride'; FGFA is tested with 'test_with_fix_stride'/);
    expect(problem(() => vidSettings(set(fgfa, ['data.test.ref_img_sampler.frame_range=[-40,40]'])))).toBe('data.test.ref_img_sampler: frame_range [-40, 40] reads 81 frames per frame; at most 65 here');
    expect(problem(() => vidSettings(set(fgfa, ['model.aggregator.type=SelsaAggregator'])))).toMatch(/^model\.aggregator: type 'SelsaAggregator'; FGFA's aggregator here is EmbedAggregator/);
    const { onnx, ...noOnnx } = dff;
    expect(onnx).toBeDefined();
    expect(problem(() => dffModel(noOnnx))).toBe('onnx.backbone: missing; a DFF config names 4 graphs, onnx.backbone, onnx.rpn_head, onnx.bbox_head, onnx.motion (see docs/vid.md)');
    expect(problem(() => fgfaModel(dff))).toBe('model.type: DFF, not FGFA');
  });

  it('the default (DFF on CenterNet): Lucas–Kanade motion, the two graphs of the cut detector, COCO classes', async () => {
    const cfg = await load('configs/vid/default.py');
    expect(vidDetectorType(cfg)).toBe('CenterNet');
    const m = dffCenterNetModel(cfg);
    expect(m.dff).toEqual({ method: 'DFF', keyFrameInterval: 10, motion: { type: 'PyramidalLucasKanade', levels: 4, windowSize: 15, iterations: 3, regularization: 1e-4 } });
    expect(m.backbone).toMatchObject({ input: 'images', output: 'feat', spec: { file: 'centernet_mobilenetv3_features.onnx' } });
    expect(m.detector).toMatchObject({ inputName: 'feat', heatmapName: 'keypoints', sizeName: 'wh', onnx: { role: 'head', file: 'centernet_mobilenetv3_head.onnx' } });
    expect(m.detector.classNames[2]).toBe('car');
    const bad = (opts: string[]) => problem(() => dffCenterNetModel(applyCfgOptions(cfg, parseCfgOptions(opts))));
    expect(bad(['model.motion.window_size=8'])).toBe('model.motion.window_size: must be odd (a window centred on the pixel), got 8');
    expect(bad(['model.motion.num_iters=0'])).toBe('model.motion: PyramidalLucasKanade: num_iters: expected int >= 1 <= 20, got int 0');
    const withMotion = (c: ConfigDict, motion: ConfigDict): ConfigDict => ({ ...c, model: { ...(c.model as ConfigDict), motion } });
    expect(problem(() => dffCenterNetModel(withMotion(cfg, { type: 'FlowNetSimple', img_scale_factor: 0.5 })))).toBe('model.motion: DFF on CenterNet computes its flow with PyramidalLucasKanade, not FlowNetSimple (no FlowNet graph is trained for it)');
    const noBackbone = applyCfgOptions(cfg, parseCfgOptions(['onnx.backbone=None']));
    expect(problem(() => dffCenterNetModel(noBackbone))).toMatch(/^onnx\.backbone: /);
    // And MMTracking's two-stage DFF keeps its FlowNet.
    const dff = await load(DFF);
    expect(problem(() => dffModel(withMotion(dff, { type: 'PyramidalLucasKanade' })))).toMatch(/^model\.motion: DFF on a two-stage detector runs FlowNetSimple/);
  });

  it("SELSA: 14 references by test_with_adaptive_stride, SelsaRoIHead's plain post-processing, the split bbox head", async () => {
    const cfg = await load('configs/vid/selsa/selsa_faster_rcnn_r50_dc5_1x_imagenetvid.py');
    const m = selsaModel(cfg);
    expect(m.selsa).toEqual({ method: 'SELSA', sampler: 'test_with_adaptive_stride', numRefImgs: 14 });
    expect(m.detector.rcnn).toMatchObject({ numClasses: 30, scoreThr: 1e-4 });
    expect(m.graphs.bboxHead.keysValues).toEqual(['ref_key_0', 'ref_value_0', 'ref_key_1', 'ref_value_1']);
    expect(m.graphs.bboxHeadRef.keysValues).toEqual(m.graphs.bboxHead.keysValues);
    const bad = (opts: string[]) => problem(() => selsaModel(applyCfgOptions(cfg, parseCfgOptions(opts))));
    expect(bad(['data.test.ref_img_sampler.method=uniform'])).toBe("data.test.ref_img_sampler: method='uniform'; SELSA is tested with 'test_with_adaptive_stride' or 'test_with_fix_stride'");
    expect(bad(['data.test.ref_img_sampler.frame_range=[0,1]'])).toMatch(/samples 1 reference frame\(s\); test_with_adaptive_stride needs at least 2/);
    expect(bad(['model.detector.roi_head.bbox_head.aggregator.type=EmbedAggregator'])).toMatch(/aggregator\.type: 'EmbedAggregator'; SelsaBBoxHead aggregates with SelsaAggregator/);
    expect(bad(['onnx.bbox_head_ref=None'])).toBe('onnx.bbox_head_ref: expected dict(file=..., inputs=..., outputs=...), got None');
  });

  it('Temporal RoI Align: SELSA with a TemporalRoIAlign extractor, three shared fcs and the embed network as a fifth graph', async () => {
    const cfg = await load('configs/vid/temporal_roi_align/selsa_troialign_faster_rcnn_r50_dc5_7e_imagenetvid.py');
    const m = selsaModel(cfg);
    expect(m.selsa).toEqual({ method: 'SELSA', sampler: 'test_with_adaptive_stride', numRefImgs: 14 });
    expect(m.detector.rcnn.roiExtractor).toMatchObject({ featmapStrides: [16], temporal: { numMostSimilarPoints: 2, numTemporalAttentionBlocks: 4 } });
    expect(m.graphs.bboxHead.keysValues).toHaveLength(6);
    expect(m.graphs.embedNetwork).toMatchObject({ input: 'roi_feats', output: 'roi_embed' });
    const bad = (opts: string[]) => problem(() => selsaModel(applyCfgOptions(cfg, parseCfgOptions(opts))));
    expect(bad(['onnx.embed_network=None'])).toBe('onnx.embed_network: expected dict(file=..., inputs=..., outputs=...), got None');
    const noEmbed = { ...cfg, onnx: Object.fromEntries(Object.entries(cfg.onnx as ConfigDict).filter(([k]) => k !== 'embed_network')) };
    expect(problem(() => selsaModel(noEmbed))).toBe('onnx.embed_network: missing; a Temporal RoI Align config names 5 graphs, onnx.backbone, onnx.rpn_head, onnx.bbox_head, onnx.bbox_head_ref, onnx.embed_network (see docs/vid.md)');
    // Without attention blocks the frames are averaged: no embed network to give.
    expect(bad(['model.detector.roi_head.bbox_roi_extractor.num_temporal_attention_blocks=0'])).toMatch(/^onnx\.embed_network: given, but the RoI extractor has no temporal attention/);
    expect(selsaModel(applyCfgOptions(noEmbed, parseCfgOptions(['model.detector.roi_head.bbox_roi_extractor.num_temporal_attention_blocks=0']))).graphs.embedNetwork).toBeUndefined();
    expect(bad(['model.detector.roi_head.bbox_roi_extractor.num_temporal_attention_blocks=3'])).toMatch(/out_channels \(512\) must be a multiple of num_temporal_attention_blocks \(3\)/);
    expect(bad(['model.detector.roi_head.bbox_roi_extractor.num_most_similar_points=0'])).toMatch(/num_most_similar_points: expected int >= 1/);
  });
});

describe('FGFA causal mode (configs/vid/fgfa/*_causal.py)', () => {
  it('the same model and graphs as the offline config; each window is the frame and the 15 before it, never a later frame', async () => {
    const offline = fgfaModel(await load(FGFA));
    const causal = fgfaModel(await load('configs/vid/fgfa/fgfa_faster_rcnn_r50_dc5_1x_imagenetvid_causal.py'));
    expect(causal.fgfa).toEqual({ ...offline.fgfa, frameRange: [-15, 0] });
    expect(causal.graphs).toEqual(offline.graphs);
    for (const t of [0, 7, 40]) {
      const ids = fixStrideWindowIds(t, causal.fgfa, null);
      expect(ids).toHaveLength(16);
      expect(Math.max(...ids)).toBe(t);
      expect(ids[15]).toBe(t);
      expect(ids[0]).toBe(Math.max(0, t - 15));
    }
  });
});


describe('SELSA and Temporal RoI Align causal mode (configs/vid/{selsa,temporal_roi_align}/*_causal.py)', () => {
  for (const offlinePath of ['configs/vid/selsa/selsa_faster_rcnn_r50_dc5_1x_imagenetvid.py', 'configs/vid/temporal_roi_align/selsa_troialign_faster_rcnn_r50_dc5_7e_imagenetvid.py']) {
    it(`${offlinePath.split('/')[2]}: the same model and graphs; each window is the frame and the 14 frames before it, never a later frame`, async () => {
      const offline = selsaModel(await load(offlinePath));
      const causal = selsaModel(await load(offlinePath.replace('.py', '_causal.py')));
      expect(offline.selsa).toEqual({ method: 'SELSA', sampler: 'test_with_adaptive_stride', numRefImgs: 14 });
      expect(causal.selsa).toEqual({ method: 'SELSA', sampler: 'test_with_fix_stride', frameRange: [-14, 0], stride: 1 });
      expect(causal.graphs).toEqual(offline.graphs);
      expect(causal.detector).toEqual(offline.detector);
      for (const t of [0, 7, 40]) {
        const { ids } = await selsaFixStrideWindow(t, causal.selsa as Extract<typeof causal.selsa, { sampler: 'test_with_fix_stride' }>, null, () => Promise.reject(new Error('no frame is probed')));
        expect(ids).toHaveLength(15);
        expect(Math.max(...ids)).toBe(t);
        expect(ids[14]).toBe(t);
        expect(ids[0]).toBe(Math.max(0, t - 14));
      }
    });
  }
});
