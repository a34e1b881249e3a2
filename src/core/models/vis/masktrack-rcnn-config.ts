/**
 * MaskTrack R-CNN ("Video Instance Segmentation", Yang et al. 2019, https://arxiv.org/abs/1905.04804) as MMTracking
 * configures it: `model.type='MaskTrackRCNN'` with a Mask R-CNN `model.detector`, a `RoITrackHead` and a
 * `MaskTrackRCNNTracker`. Types and keys are MMDetection's and MMTracking's; a key they do not take is an error.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/vis/masktrack_rcnn.py
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/track_heads/roi_track_head.py
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/models/roi_heads/mask_heads/fcn_mask_head.py
 *
 * The `onnx` section names four graphs (docs/vis.md; `scripts/export/export_vis_onnx.py` writes them):
 * - `backbone` and `bbox_head`: a Faster R-CNN config's two (src/core/models/det/faster-rcnn-config.ts);
 * - `mask_head`: mask RoI features `[N, C, 14, 14]` → `mask_pred` `[N, num_classes, 28, 28]` (logits; `[N, 1, 28, 28]`
 *   when class-agnostic);
 * - `track_head`: track RoI features `[N, C, 7, 7]` → embeddings `[N, D]` (RoIEmbedHead's convs and fcs).
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigDict, getConfigPath, isConfigDict, previewValue } from '../../config/config-value.ts';
import { type OnnxModelSpec, readOnnxSection } from '../../config/onnx-spec.ts';
import { param } from '../../config/params.ts';
import { configOrigin } from '../../config/python-evaluator.ts';
import { Registry } from '../../config/registry.ts';
import type { SingleRoiExtractorOptions } from '../../ops/roi-align.ts';
import type { MaskTrackRcnnTrackerSettings } from '../../trackers/masktrack-rcnn-tracker.ts';
import { type FasterRcnnModel, fasterRcnnModel, ROI_EXTRACTORS } from '../det/faster-rcnn-config.ts';

/** The mask branch: `roi_head.mask_roi_extractor`, `roi_head.mask_head` and `test_cfg.rcnn.mask_thr_binary`. */
export interface MaskSettings {
  roiExtractor: SingleRoiExtractorOptions;
  /** Channels of `mask_pred`: num_classes, or 1 when class-agnostic. */
  channels: number;
  /** `mask_pred`'s side: roi_feat_size x the upsample's scale (28). */
  maskSize: number;
  /** `mask_thr_binary` (0.5). */
  threshold: number;
}

/** The track head: its RoI extractor (the embed head's layers are in the graph). */
export interface TrackHeadSettings {
  roiExtractor: SingleRoiExtractorOptions;
}

export interface MaskTrackRcnnModel {
  /** Mask R-CNN's detections: Faster R-CNN's settings, pre-processing and `backbone` / `bbox_head` graphs. */
  detector: FasterRcnnModel;
  mask: MaskSettings;
  trackHead: TrackHeadSettings;
  tracker: MaskTrackRcnnTrackerSettings;
  graphs: {
    maskHead: { spec: OnnxModelSpec; input: string; output: string };
    trackHead: { spec: OnnxModelSpec; input: string; output: string };
  };
}

const unused = () => param.any().optionalKey();

/** Mask heads (`roi_head.mask_head`): the convs are in the ONNX graph; these keys shape the paste. */
export const MASK_HEADS = new Registry<{ numClasses: number; classAgnostic: boolean; roiFeatSize: number; scale: number }>('mask heads');

MASK_HEADS.register('FCNMaskHead', {
  params: {
    num_classes: param.integer({ min: 1 }).default(80),
    roi_feat_size: param.integer({ min: 1 }).default(14),
    class_agnostic: param.boolean().default(false),
    upsample_cfg: param.dict().default({ type: 'deconv', scale_factor: 2 }),
    predictor_cfg: param.dict().default({ type: 'Conv' }),
    num_convs: unused(),
    in_channels: unused(),
    conv_kernel_size: unused(),
    conv_out_channels: unused(),
    conv_cfg: unused(),
    norm_cfg: unused(),
    loss_mask: unused(),
    init_cfg: unused(),
  },
  create: (args, context) => {
    const up = args.upsample_cfg;
    const type = up.type ?? null;
    if (type !== null && !(typeof type === 'string' && ['deconv', 'nearest', 'bilinear', 'carafe'].includes(type))) {
      throw new ConfigError(`${context.path}.upsample_cfg.type: ${previewValue(type)}; FCNMaskHead takes deconv, nearest, bilinear, carafe or None`, configOrigin(up) ?? context.origin);
    }
    const scale = type === null ? 1 : up.scale_factor ?? 2;
    if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 1) throw new ConfigError(`${context.path}.upsample_cfg.scale_factor: expected an int >= 1, got ${previewValue(scale)}`, configOrigin(up) ?? context.origin);
    return { numClasses: args.num_classes, classAgnostic: args.class_agnostic, roiFeatSize: args.roi_feat_size, scale };
  },
});

/** Track heads (`model.track_head`). */
export const TRACK_HEADS = new Registry<TrackHeadSettings>('track heads');

TRACK_HEADS.register('RoITrackHead', {
  params: { roi_extractor: param.dict(), embed_head: param.dict(), train_cfg: unused(), test_cfg: unused(), init_cfg: unused() },
  create: (args, context) => {
    const embed = args.embed_head;
    if (embed.type !== 'RoIEmbedHead') throw new ConfigError(`${context.path}.embed_head.type: ${previewValue(embed.type ?? null)}; RoITrackHead's embed head here is RoIEmbedHead`, configOrigin(embed) ?? context.origin);
    const extractor = ROI_EXTRACTORS.build(args.roi_extractor, { path: `${context.path}.roi_extractor` });
    if (extractor.temporal) throw new ConfigError(`${context.path}.roi_extractor: a TemporalRoIAlign has no meaning here (SingleRoIExtractor)`, configOrigin(args.roi_extractor) ?? context.origin);
    return { roiExtractor: extractor };
  },
});

/** MOT/VIS trackers of MaskTrack R-CNN configs (`model.tracker`). */
export const VIS_TRACKERS = new Registry<MaskTrackRcnnTrackerSettings>('vis trackers');

VIS_TRACKERS.register('MaskTrackRCNNTracker', {
  params: {
    match_weights: param.dict().default({ det_score: 1.0, iou: 2.0, det_label: 10.0 }),
    // BaseTracker's default; MMTracking's configs set 20.
    num_frames_retain: param.integer({ min: 1 }).default(10),
    // Not MMTracking's: see src/core/trackers/masktrack-rcnn-tracker.ts, step 4.
    fix_duplicate_ids: param.boolean().default(false),
    momentums: unused(),
    init_cfg: unused(),
  },
  create: (args, context) => {
    const w = args.match_weights;
    const keys = ['det_score', 'iou', 'det_label'];
    const extra = Object.keys(w).filter((k) => !keys.includes(k));
    if (extra.length > 0) throw new ConfigError(`${context.path}.match_weights: unknown key ${extra.join(', ')} (MMTracking reads ${keys.join(', ')})`, configOrigin(w) ?? context.origin);
    const weight = (k: string): number => {
      const v = w[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(`${context.path}.match_weights.${k}: expected a number, got ${v === undefined ? 'nothing' : previewValue(v)}`, configOrigin(w) ?? context.origin);
      return v;
    };
    if (args.momentums !== undefined && args.momentums !== null) throw new ConfigError(`${context.path}.momentums: MaskTrackRCNNTracker keeps each track's last values (momentums=None)`, context.origin);
    return { matchWeights: { detScore: weight('det_score'), iou: weight('iou'), detLabel: weight('det_label') }, numFramesRetain: args.num_frames_retain, fixDuplicateIds: args.fix_duplicate_ids };
  },
});

function dictAt(config: ConfigDict, path: string): ConfigDict {
  const v = getConfigPath(config, path);
  if (!isConfigDict(v)) throw new ConfigError(`${path}: expected a dict, got ${v === undefined ? 'nothing' : previewValue(v)}`, configOrigin(config.model));
  return v;
}

/** Whether a merged config is a MaskTrack R-CNN one (`model.type='MaskTrackRCNN'`). */
export function isMaskTrackRcnnConfig(config: ConfigDict): boolean {
  return getConfigPath(config, 'model.type') === 'MaskTrackRCNN';
}

/** The MaskTrack R-CNN model of a merged config: the detector, the mask and track branches, the tracker, the graphs. */
export function maskTrackRcnnModel(config: ConfigDict): MaskTrackRcnnModel {
  const type = getConfigPath(config, 'model.type');
  if (type !== 'MaskTrackRCNN') throw new ConfigError(`model.type: ${previewValue(type ?? null)}, not MaskTrackRCNN`, configOrigin(config.model));
  const detType = getConfigPath(config, 'model.detector.type');
  if (detType !== 'MaskRCNN') throw new ConfigError(`model.detector.type: ${previewValue(detType ?? null)}; MaskTrack R-CNN's detector is a MaskRCNN (it needs the mask branch)`, configOrigin(config.model));
  const specs = readOnnxSection(config);
  const origin = configOrigin(config.onnx);
  const roles = ['backbone', 'bbox_head', 'mask_head', 'track_head'];
  const spec = (role: string): OnnxModelSpec =>
    specs.find((m) => m.role === role) ??
    (() => {
      throw new ConfigError(`onnx.${role}: missing; a MaskTrack R-CNN config names ${roles.length} graphs, ${roles.map((r) => `onnx.${r}`).join(', ')} (see docs/vis.md)`, origin);
    })();
  const [maskSpec, trackSpec] = [spec('mask_head'), spec('track_head')];
  for (const s of [maskSpec, trackSpec]) {
    if (s.inputs.length !== 1 || s.outputs.length !== 1) throw new ConfigError(`onnx.${s.role}: expected 1 input (RoI features) and 1 output (${s.role === 'mask_head' ? 'mask logits' : 'embeddings'}), got ${s.inputs.length} inputs and ${s.outputs.length} outputs`, origin);
  }
  const detector = fasterRcnnModel(config);
  const roi = dictAt(config, 'model.detector.roi_head');
  if (!isConfigDict(roi.mask_head) || !isConfigDict(roi.mask_roi_extractor)) {
    throw new ConfigError('model.detector.roi_head: a MaskRCNN needs mask_roi_extractor and mask_head', configOrigin(roi));
  }
  const maskExtractor = ROI_EXTRACTORS.build(roi.mask_roi_extractor, { path: 'model.detector.roi_head.mask_roi_extractor' });
  const head = MASK_HEADS.build(roi.mask_head, { path: 'model.detector.roi_head.mask_head' });
  const [oh, ow] = typeof maskExtractor.roiLayer.outputSize === 'number' ? [maskExtractor.roiLayer.outputSize, maskExtractor.roiLayer.outputSize] : maskExtractor.roiLayer.outputSize;
  if (oh !== head.roiFeatSize || ow !== head.roiFeatSize) throw new ConfigError(`model.detector.roi_head: mask_roi_extractor output_size (${oh}x${ow}) differs from mask_head.roi_feat_size (${head.roiFeatSize})`, configOrigin(roi));
  if (!head.classAgnostic && head.numClasses !== detector.settings.rcnn.numClasses) {
    throw new ConfigError(`model.detector.roi_head.mask_head.num_classes: ${head.numClasses}, but bbox_head.num_classes is ${detector.settings.rcnn.numClasses}`, configOrigin(roi.mask_head));
  }
  const rcnnCfg = dictAt(config, 'model.detector.test_cfg.rcnn');
  const thr = rcnnCfg.mask_thr_binary;
  if (typeof thr !== 'number') throw new ConfigError(`model.detector.test_cfg.rcnn.mask_thr_binary: expected a number, got ${thr === undefined ? 'nothing' : previewValue(thr)}`, configOrigin(rcnnCfg));
  if (thr < 0) throw new ConfigError(`model.detector.test_cfg.rcnn.mask_thr_binary: ${thr}; a negative threshold (MMDetection's soft masks) is not supported`, configOrigin(rcnnCfg));
  const trackHead = TRACK_HEADS.build(dictAt(config, 'model.track_head'), { path: 'model.track_head' });
  const tracker = VIS_TRACKERS.build(dictAt(config, 'model.tracker'), { path: 'model.tracker' });
  return {
    detector,
    mask: { roiExtractor: maskExtractor, channels: head.classAgnostic ? 1 : head.numClasses, maskSize: head.roiFeatSize * head.scale, threshold: thr },
    trackHead,
    tracker,
    graphs: {
      maskHead: { spec: maskSpec, input: maskSpec.inputs[0]!.name, output: maskSpec.outputs[0]!.name },
      trackHead: { spec: trackSpec, input: trackSpec.inputs[0]!.name, output: trackSpec.outputs[0]!.name },
    },
  };
}
