// The detector of a MOT config for the CLI: CenterNet (the default) or a user's two-stage Faster R-CNN (Tracktor's,
// which also regresses last frame's track boxes), its ONNX files read from the model directory.
import * as ort from 'onnxruntime-web';
import { ConfigError } from '../core/config/config-error.ts';
import { type ConfigDict, type ConfigValue, getConfigPath, previewValue } from '../core/config/config-value.ts';
import { centerNetSettings } from '../core/models/det/centernet.ts';
import { fasterRcnnModel, fasterRcnnSettings, TWO_STAGE_DETECTORS } from '../core/models/det/faster-rcnn-config.ts';
import type { PreprocessOptions } from '../core/ops/preprocess.ts';
import type { Detections } from '../core/structures/detections.ts';
import type { BoxRegressor } from '../core/trackers/tracker.ts';
import { CenterNetCpuRunner } from '../runtime/detectors/centernet-cpu.ts';
import { FasterRcnnCpuRunner } from '../runtime/detectors/faster-rcnn-cpu.ts';
import { UserError } from './command.ts';
import { loadCliModel } from './model-dir.ts';

export interface CliMotDetector {
  classNames: readonly string[];
  /** The detector's pre-processing (its normalisation is ReID crops' default). */
  preprocess: PreprocessOptions;
  detect(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<Detections>;
  /** Two-stage detectors: the bbox head on given boxes of the last detected frame (Tracktor). */
  regressor: BoxRegressor | null;
  release(): Promise<void>;
}

const DETECTOR_TYPES = ['CenterNet', ...TWO_STAGE_DETECTORS.types];

function unknownDetector(type: unknown): UserError {
  return new UserError(`model.detector.type: ${type === undefined ? 'missing' : previewValue(type as ConfigValue)}; MOT configs run the detectors ${DETECTOR_TYPES.join(', ')}`);
}

/** The class names of a MOT config's detector, without loading its ONNX files (`search-params` on cached detections). */
export function motDetectorClassNames(config: ConfigDict): readonly string[] {
  const type = getConfigPath(config, 'model.detector.type');
  try {
    if (type === 'CenterNet') return centerNetSettings(config).classNames;
    if (typeof type === 'string' && TWO_STAGE_DETECTORS.has(type)) return fasterRcnnSettings(config).classNames;
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(err.message);
    throw err;
  }
  throw unknownDetector(type);
}

export async function loadCliMotDetector(config: ConfigDict, modelDir: string): Promise<CliMotDetector> {
  const type = getConfigPath(config, 'model.detector.type');
  try {
    if (type === 'CenterNet') {
      const settings = centerNetSettings(config);
      const model = await loadCliModel(settings.onnx, modelDir);
      const runner = new CenterNetCpuRunner(ort, model.session, settings);
      return { classNames: settings.classNames, preprocess: settings.preprocess, detect: async (rgba, w, h) => (await runner.detect(rgba, w, h)).detections, regressor: null, release: () => model.session.release() };
    }
    if (typeof type === 'string' && TWO_STAGE_DETECTORS.has(type)) {
      const model = fasterRcnnModel(config);
      const backbone = await loadCliModel(model.graphs.backbone.spec, modelDir);
      const head = await loadCliModel(model.graphs.bboxHead.spec, modelDir);
      const runner = new FasterRcnnCpuRunner(ort, { backbone: backbone.session, bbox_head: head.session }, model);
      return {
        classNames: model.settings.classNames,
        preprocess: model.preprocess,
        detect: async (rgba, w, h) => (await runner.detect(rgba, w, h)).detections,
        regressor: { regressBoxes: (boxes) => runner.regress(boxes) },
        release: async () => {
          await backbone.session.release();
          await head.session.release();
        },
      };
    }
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(err.message);
    throw err;
  }
  throw unknownDetector(type);
}
