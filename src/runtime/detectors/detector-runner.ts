// The detector of a config, whichever type it is, behind one interface: the CLI and the app's inference worker
// load it the same way and only differ in where the ONNX bytes come from (a model directory, files the user
// dropped) and which execution providers they try.
import { ConfigError } from '../../core/config/config-error.ts';
import { type ConfigDict, getConfigPath, isConfigDict, previewValue } from '../../core/config/config-value.ts';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import { centerNetSettings } from '../../core/models/det/centernet.ts';
import { fasterRcnnModel, fasterRcnnSettings, TWO_STAGE_DETECTORS } from '../../core/models/det/faster-rcnn-config.ts';
import { YOLOX_DETECTORS, yoloxModel } from '../../core/models/det/yolox-config.ts';
import type { PreprocessOptions } from '../../core/ops/preprocess.ts';
import type { Detections } from '../../core/structures/detections.ts';
import type { BoxRegressor } from '../../core/trackers/tracker.ts';
import type { LoadedModel, OrtTensorModule } from '../model-session.ts';
import { isMaskTrackRcnnConfig, maskTrackRcnnModel } from '../../core/models/vis/masktrack-rcnn-config.ts';
import { isPersonMaskDemoConfig, personMaskDemoSettings } from '../../core/models/vis/person-mask-demo.ts';
import { CenterNetCpuRunner } from './centernet-cpu.ts';
import { FasterRcnnCpuRunner } from './faster-rcnn-cpu.ts';
import type { StageTimings } from './stage-timings.ts';
import { isVidConfig, vidGraphSpecs } from '../vid/vid-runner.ts';
import { YoloxCpuRunner } from './yolox-cpu.ts';

export const DETECTOR_TYPES: readonly string[] = ['CenterNet', ...TWO_STAGE_DETECTORS.types, ...YOLOX_DETECTORS];

/** A config's detector, loaded: pre-processing and post-processing by the CPU twins, graphs on its sessions. */
export interface DetectorRunner {
  /** `model.detector.type` (or `model.type` for a plain detector config). */
  readonly type: string;
  readonly classNames: readonly string[];
  /** The detector's pre-processing (its normalisation is ReID crops' default). */
  readonly preprocess: PreprocessOptions;
  /** The loaded graphs, in the order of {@link detectorGraphSpecs}. */
  readonly models: readonly LoadedModel[];
  detect(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<{ detections: Detections; timings: StageTimings }>;
  /** Two-stage detectors: the bbox head on given boxes of the last detected frame (Tracktor's regression). */
  readonly regressor: BoxRegressor | null;
  release(): Promise<void>;
}

/** `model.detector.type`, or `model.type` when the config's model is the detector itself. */
export function detectorType(config: ConfigDict): string {
  const type = getConfigPath(config, 'model.detector.type') ?? getConfigPath(config, 'model.type');
  if (typeof type === 'string' && DETECTOR_TYPES.includes(type)) return type;
  throw new ConfigError(`model.detector.type: ${type === undefined ? 'missing' : previewValue(type)}; the detectors that run here are ${DETECTOR_TYPES.join(', ')}`, undefined);
}

/** The `onnx` entries the config's detector runs (one for CenterNet and YOLOX; backbone and bbox_head for Faster R-CNN; DFF's four). */
export function detectorGraphSpecs(config: ConfigDict): OnnxModelSpec[] {
  // A VID config runs its method's graphs (DFF: backbone, rpn_head, bbox_head, motion), not a still-image detector's.
  if (isVidConfig(config)) return vidGraphSpecs(config);
  // A VIS config: MaskTrack R-CNN's four graphs, or the person-mask demo's detector and segmentor.
  if (isMaskTrackRcnnConfig(config)) {
    const m = maskTrackRcnnModel(config);
    return [m.detector.graphs.backbone.spec, m.detector.graphs.bboxHead.spec, m.graphs.maskHead.spec, m.graphs.trackHead.spec];
  }
  if (isPersonMaskDemoConfig(config)) {
    const s = personMaskDemoSettings(config);
    return [...detectorGraphSpecs(s.mot), s.segmentor];
  }
  const type = detectorType(config);
  if (type === 'CenterNet') return [centerNetSettings(config).onnx];
  if (TWO_STAGE_DETECTORS.has(type)) {
    const { graphs } = fasterRcnnModel(config);
    return [graphs.backbone.spec, graphs.bboxHead.spec];
  }
  return [yoloxModel(config).graph.spec];
}

/** The class names of the config's detector, without loading its ONNX files. */
export function detectorClassNames(config: ConfigDict): readonly string[] {
  const type = detectorType(config);
  if (type === 'CenterNet') return centerNetSettings(config).classNames;
  if (TWO_STAGE_DETECTORS.has(type)) return fasterRcnnSettings(config).classNames;
  return yoloxModel(config).classNames;
}

/**
 * Loads the detector's graphs in order with `load`; when one fails, the sessions already created are released and
 * the error goes on.
 */
export async function loadDetectorGraphs(config: ConfigDict, load: (spec: OnnxModelSpec) => Promise<LoadedModel>): Promise<LoadedModel[]> {
  const models: LoadedModel[] = [];
  try {
    for (const spec of detectorGraphSpecs(config)) models.push(await load(spec));
  } catch (err) {
    for (const m of models) await m.session.release();
    throw err;
  }
  return models;
}

/**
 * Loads the config's detector; `load` turns each of its `onnx` entries into a checked session (from a model
 * directory, or bytes the user dropped). Sessions already loaded are released when a later one fails.
 */
export async function loadDetectorRunner(ort: OrtTensorModule, config: ConfigDict, load: (spec: OnnxModelSpec) => Promise<LoadedModel>): Promise<DetectorRunner> {
  const type = detectorType(config);
  const models = await loadDetectorGraphs(config, load);
  const release = async () => {
    for (const m of models) await m.session.release();
  };
  if (type === 'CenterNet') {
    const settings = centerNetSettings(config);
    const runner = new CenterNetCpuRunner(ort, models[0]!.session, settings);
    return { type, classNames: settings.classNames, preprocess: settings.preprocess, models, detect: (rgba, w, h) => runner.detect(rgba, w, h), regressor: null, release };
  }
  if (TWO_STAGE_DETECTORS.has(type)) {
    const model = fasterRcnnModel(config);
    const runner = new FasterRcnnCpuRunner(ort, { backbone: models[0]!.session, bbox_head: models[1]!.session }, model);
    return {
      type,
      classNames: model.settings.classNames,
      preprocess: model.preprocess,
      models,
      detect: (rgba, w, h) => runner.detect(rgba, w, h),
      regressor: { regressBoxes: (boxes) => runner.regress(boxes) },
      release,
    };
  }
  const model = yoloxModel(config);
  const runner = new YoloxCpuRunner(ort, models[0]!.session, model);
  return { type, classNames: model.classNames, preprocess: model.preprocess, models, detect: (rgba, w, h) => runner.detect(rgba, w, h), regressor: null, release };
}

/**
 * The config with the detector's final score threshold set to `thr` (`test_cfg.score_thr`, `test_cfg.rcnn.score_thr`
 * for two-stage detectors): `detect --score-thr` as a `--cfg-options` would set it.
 */
export function withDetectorScoreThr(config: ConfigDict, thr: number): ConfigDict {
  const type = detectorType(config);
  const model = config.model as ConfigDict;
  const inDetector = isConfigDict(model.detector);
  const detector = (inDetector ? model.detector : model) as ConfigDict;
  const testCfg = isConfigDict(detector.test_cfg) ? detector.test_cfg : {};
  const next: ConfigDict = TWO_STAGE_DETECTORS.has(type)
    ? { ...detector, test_cfg: { ...testCfg, rcnn: { ...(isConfigDict(testCfg.rcnn) ? testCfg.rcnn : {}), score_thr: thr } } }
    : { ...detector, test_cfg: { ...testCfg, score_thr: thr } };
  return { ...config, model: inDetector ? { ...model, detector: next } : next };
}
