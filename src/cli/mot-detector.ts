// The detector of a MOT config for the CLI: any detector type of `detector-runner.ts` (CenterNet by default, a
// user's Faster R-CNN, which also regresses last frame's track boxes for Tracktor, or YOLOX), its ONNX files read
// from the model directory.
import { nodeOrt } from '../runtime/node-ort.node.ts';
import type { ConfigDict } from '../core/config/config-value.ts';
import { detectorClassNames, type DetectorRunner, loadDetectorRunner } from '../runtime/detectors/detector-runner.ts';
import { loadCliModel } from './model-dir.ts';

/** The class names of a MOT config's detector, without loading its ONNX files (`search-params` on cached detections). */
export function motDetectorClassNames(config: ConfigDict): readonly string[] {
  return detectorClassNames(config);
}

export async function loadCliMotDetector(config: ConfigDict, modelDir: string): Promise<DetectorRunner> {
  const { ort } = await nodeOrt();
  return loadDetectorRunner(ort, config, (spec) => loadCliModel(spec, modelDir));
}
