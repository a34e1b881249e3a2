import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/config-error.ts';
import { applyCfgOptions, parseCfgOptions } from '../../config/cfg-options.ts';
import type { ConfigDict } from '../../config/config-value.ts';
import { loadConfig } from '../../config/config-loader.ts';
import { nodeConfigFs } from '../../config/node-config-fs.node.ts';
import { dffModel, fgfaModel, vidSettings } from './vid-config.ts';

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
    expect(m.dff).toEqual({ method: 'DFF', keyFrameInterval: 10, motion: { imgScaleFactor: 0.5, flowScaleFactor: 5, flowImgNormMean: [0.411, 0.432, 0.45], flowImgNormStd: [255, 255, 255] } });
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
});
