// The detector of a MOT config for the CLI: any detector type of `detector-runner.ts` (CenterNet by default, a
// user's Faster R-CNN, which also regresses last frame's track boxes for Tracktor, or YOLOX), its ONNX files read
// from the model directory.
import * as ort from 'onnxruntime-web';
import { ConfigError } from '../core/config/config-error.ts';
import type { ConfigDict } from '../core/config/config-value.ts';
import { detectorClassNames, type DetectorRunner, loadDetectorRunner } from '../runtime/detectors/detector-runner.ts';
import { UserError } from './command.ts';
import { loadCliModel } from './model-dir.ts';

function asUserError(err: unknown): unknown {
  return err instanceof ConfigError ? new UserError(err.message) : err;
}

/** The class names of a MOT config's detector, without loading its ONNX files (`search-params` on cached detections). */
export function motDetectorClassNames(config: ConfigDict): readonly string[] {
  try {
    return detectorClassNames(config);
  } catch (err) {
    throw asUserError(err);
  }
}

export async function loadCliMotDetector(config: ConfigDict, modelDir: string): Promise<DetectorRunner> {
  try {
    return await loadDetectorRunner(ort, config, (spec) => loadCliModel(spec, modelDir));
  } catch (err) {
    throw asUserError(err);
  }
}
