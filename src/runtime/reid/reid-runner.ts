import type { BoxEmbeddings } from '../../core/models/mot/detector-feature-reid.ts';
import type { ReidSettings } from '../../core/models/mot/reid-settings.ts';
import type { LoadOptions, OrtModule, OrtTensorModule } from '../model-session.ts';
import { DetectorFeatureReidRunner } from './detector-feature-reid-runner.ts';
import { OnnxReidRunner } from './onnx-reid-runner.ts';

/** DeepSORT's appearance embeddings of a frame's boxes, one L2-normalised row per box. */
export interface ReidRunner {
  /** @param boxes `[n*4]` x1, y1, x2, y2 in frame pixels of the RGBA frame. */
  embed(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, boxes: Float32Array): Promise<BoxEmbeddings>;
  release(): Promise<void>;
}

/** The runner of a config's `model.reid` (see `reid-settings.ts`) on the bytes of its `onnx.reid` file. */
export function loadReidRunner(ort: OrtModule & OrtTensorModule, settings: ReidSettings, bytes: Uint8Array, fileName: string, options: LoadOptions): Promise<ReidRunner> {
  return settings.type === 'BaseReID' ? OnnxReidRunner.load(ort, bytes, fileName, settings, options) : DetectorFeatureReidRunner.load(ort, bytes, fileName, settings, options);
}
