import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config-loader.ts';
import type { ConfigDict } from '../../config/config-value.ts';
import { nodeConfigFs } from '../../config/node-config-fs.node.ts';
import { maskTrackRcnnModel } from './masktrack-rcnn-config.ts';

const load = async (path: string) => (await loadConfig(new URL(path, import.meta.url).pathname, nodeConfigFs)).config;
const withModel = (config: ConfigDict, patch: (m: Record<string, unknown>) => void): ConfigDict => {
  const copy = structuredClone<ConfigDict>(config);
  patch(copy.model as Record<string, unknown>);
  return copy;
};

describe('MaskTrack R-CNN config', () => {
  it("MMTracking's config: test_cfg RPN 200/200, score_thr 0.01, Resize (640, 360) + Pad 32, the tracker's weights, four graphs", async () => {
    const m = maskTrackRcnnModel(await load('../../../../configs/vis/masktrack_rcnn/masktrack_rcnn_r50_fpn_12e_youtubevis2019.py'));
    expect([m.detector.settings.rpn.nmsPre, m.detector.settings.rpn.maxPerImg, m.detector.settings.rcnn.scoreThr, m.detector.settings.rcnn.numClasses]).toEqual([200, 200, 0.01, 40]);
    expect(m.detector.preprocess).toMatchObject({ scale: [640, 360], keepRatio: true, sizeDivisor: 32 });
    expect(m.mask).toMatchObject({ channels: 40, maskSize: 28, threshold: 0.5 });
    expect(m.mask.roiExtractor.roiLayer.outputSize).toBe(14);
    expect(m.tracker).toEqual({ matchWeights: { detScore: 1, iou: 2, detLabel: 10 }, numFramesRetain: 20, fixDuplicateIds: false });
    expect([m.detector.graphs.backbone.features.length, m.detector.graphs.backbone.rpnCls.length, m.graphs.maskHead.output, m.graphs.trackHead.output]).toEqual([4, 5, 'mask_pred', 'embed']);
    expect(m.detector.settings.classNames).toHaveLength(40);
  });

  it('bad configs name the key and the problem', async () => {
    const config = await load('./fixtures/masktrack_rcnn_tiny.py');
    const { track_head: _, ...onnx } = config.onnx as Record<string, never>;
    expect(() => maskTrackRcnnModel({ ...config, onnx })).toThrow(/onnx\.track_head: missing; a MaskTrack R-CNN config names 4 graphs/);
    expect(() => maskTrackRcnnModel(withModel(config, (m) => ((m.detector as Record<string, Record<string, Record<string, unknown>>>).roi_head!.mask_head!.num_classes = 5)))).toThrow(/mask_head\.num_classes: 5, but bbox_head\.num_classes is 3/);
    expect(() => maskTrackRcnnModel(withModel(config, (m) => ((m.tracker as Record<string, unknown>).match_weights = { det_score: 1, iou: 2, label: 10 })))).toThrow(/model\.tracker\.match_weights: unknown key label/);
    expect(() => maskTrackRcnnModel(withModel(config, (m) => ((m.detector as Record<string, unknown>).type = 'FasterRCNN')))).toThrow(/model\.detector\.type: 'FasterRCNN'; MaskTrack R-CNN's detector is a MaskRCNN/);
    expect(() => maskTrackRcnnModel(withModel(config, (m) => ((m.track_head as Record<string, Record<string, unknown>>).embed_head!.type = 'QuasiDenseEmbedHead')))).toThrow(/model\.track_head\.embed_head\.type/);
    expect(maskTrackRcnnModel(withModel(config, (m) => ((m.tracker as Record<string, unknown>).fix_duplicate_ids = true))).tracker.fixDuplicateIds).toBe(true);
  });
});
