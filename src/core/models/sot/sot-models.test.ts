import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryConfigFs } from '../../config/config-fs.ts';
import { loadConfig } from '../../config/config-loader.ts';
import { parseCfgOptions } from '../../config/cfg-options.ts';
import { isSotModelType, sotModelSettings } from './sot-models.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (p: string) => readFileSync(`${repoRoot}${p}`, 'utf8');
const SIAMRPN = 'configs/sot/siamese_rpn/siamese_rpn_r50_1x_lasot.py';
const NANO = 'configs/sot/nanotrack/nanotrack_v2.py';

async function settingsOf(path: string, options: string[] = [], files: Record<string, string> = {}) {
  const fs = memoryConfigFs({ [SIAMRPN]: read(SIAMRPN), [NANO]: read(NANO), ...files });
  const { config } = await loadConfig(path, fs, { cfgOptions: parseCfgOptions(options) });
  return sotModelSettings(config);
}

describe('SOT model settings from configs', () => {
  it("reads MMTracking's SiamRPN++ LaSOT config (test_cfg, anchors, coder, ONNX roles)", async () => {
    const s = await settingsOf(SIAMRPN);
    if (s.type !== 'SiamRPN') throw new Error(s.type);
    expect(s.test).toEqual({ exemplarSize: 127, searchSize: 255, contextAmount: 0.5, centerSize: 7, rpn: { penaltyK: 0.05, windowInfluence: 0.42, lr: 0.38 } });
    expect(s.anchors).toEqual({ stride: 8, ratios: [0.33, 0.5, 1, 2, 3], scales: [8] });
    expect(s.bboxCoder).toEqual({ targetMeans: [0, 0, 0, 0], targetStds: [1, 1, 1, 1] });
    expect(s.onnx.search.inputs.map((i) => i.name)).toEqual(['search', 'z_feat0', 'z_feat1', 'z_feat2']);
  });

  it('reads NanoTrack v2 and takes --cfg-options (UAV123 parameters)', async () => {
    const s = await settingsOf(NANO, ['model.test_cfg.rpn.penalty_k=0.1', 'model.test_cfg.rpn.lr=0.5']);
    if (s.type !== 'NanoTrack') throw new Error(s.type);
    expect(s.test).toMatchObject({ stride: 16, scoreSize: 16, contextAmount: 0.5, rpn: { penaltyK: 0.1, windowInfluence: 0.49, lr: 0.5 } });
    expect(s.onnx.backbone.file).toBe('nanotrack-v2/backbone.onnx');
    expect(isSotModelType('NanoTrack')).toBe(true);
    expect(isSotModelType('ByteTrack')).toBe(false);
  });

  it('names the key on a typo, a bad value, a missing ONNX role and a mismatched search graph', async () => {
    await expect(settingsOf(NANO, ['model.test_cfg.rpn.penalty=0.1'])).rejects.toThrow(/unknown key 'penalty'; accepted keys: penalty_k, window_influence, lr/);
    await expect(settingsOf(NANO, ['model.test_cfg.rpn.lr=2'])).rejects.toThrow(/lr: expected float >= 0 <= 1/);
    await expect(settingsOf(NANO, ['model.test_cfg.strides=16'])).rejects.toThrow(/unknown key 'strides'/);
    const noHead = "model = dict(type='NanoTrack', test_cfg=dict(rpn=dict(penalty_k=0.1, window_influence=0.4, lr=0.3)))\nonnx = dict(backbone=dict(file='b.onnx', inputs=dict(i=dict(dtype='float32', rank=4)), outputs=dict(o=dict(dtype='float32', rank=4))))";
    await expect(settingsOf('configs/sot/n.py', [], { 'configs/sot/n.py': noHead })).rejects.toThrow(/NanoTrack needs onnx.head .*has backbone/);
    await expect(settingsOf(SIAMRPN, ['model.head.anchor_generator.type=AnchorGenerator'])).rejects.toThrow(/'SiameseRPNAnchorGenerator'/);
    const bad = read(SIAMRPN).replace("z_feat2=dict(dtype='float32', shape=[1, 256, 7, 7])),\n        outputs", "zf2=dict(dtype='float32', shape=[1, 256, 7, 7])),\n        outputs");
    await expect(settingsOf('configs/sot/x.py', [], { 'configs/sot/x.py': bad })).rejects.toThrow(/must be the template outputs/);
    await expect(settingsOf('configs/sot/y.py', [], { 'configs/sot/y.py': "model = dict(type='SiamMask')" })).rejects.toThrow(/unknown type 'SiamMask'.*known types: NanoTrack, SiamFC, SiamRPN/);
  });
});
