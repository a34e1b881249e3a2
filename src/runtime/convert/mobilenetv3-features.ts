/**
 * A feature extractor cut from the default detector's MobileNetV3 backbone (MB3-CenterNet in `@vladmandic/human`,
 * see `centernet-mobilenetv3.ts`): the same TFJS weights converted with the graph's output selected at a backbone
 * tensor instead of the CenterNet head, for the default single object tracker (SiamFC-style correlation of these
 * features, `src/core/models/sot/siamfc-tracker.ts`). The CenterNet conversion itself is unchanged.
 *
 * TF's SAME padding is converted to explicit pads for one input size, so the model is converted for the crop size
 * the tracker feeds (`MOBILENETV3_FEATURES_INPUT.shape`).
 */
import { encodeOnnxModel } from './onnx-proto.ts';
import { parseTfjsGraphModel } from './tfjs-graph-model.ts';
import { convertTfjsGraphModel, type TfjsToOnnxResult } from './tfjs-to-onnx.ts';
import { decodeTfjsWeights } from './tfjs-weights.ts';

export const MOBILENETV3_FEATURES_ONNX_FILE = 'mobilenetv3_features_s8.onnx';

/** `crop`: float32 [1, 3, 255, 255] NCHW, RGB 0-255 (as the detector's input: no mean/std). */
export const MOBILENETV3_FEATURES_INPUT = { name: 'crop', shape: [1, 3, 255, 255] } as const;

/**
 * `features`: the stride-8 block output of MobileNetV3-large 0.75 (after `expanded_conv_5`, the last block at
 * stride 8, the one CenterNet's c3 branch reads from), [1, C, 32, 32] for a 255x255 crop.
 */
export const MOBILENETV3_FEATURES_OUTPUT = { name: 'features', tf: 'tower_0/MobilenetV3/expanded_conv_5/add', stride: 8 } as const;

export interface FeatureConversion extends TfjsToOnnxResult {
  bytes: Uint8Array;
}

/** Converts human's CenterNet up to {@link MOBILENETV3_FEATURES_OUTPUT}. Inputs as `convertCenterNet`. */
export function convertMobileNetV3Features(modelJson: string, weights: Uint8Array, metadata: Readonly<Record<string, string>> = {}): FeatureConversion {
  const model = parseTfjsGraphModel(modelJson, 'centernet.json');
  const decoded = decodeTfjsWeights(model.weightsManifest, [weights], 'centernet.bin');
  const [, , h, w] = MOBILENETV3_FEATURES_INPUT.shape;
  const result = convertTfjsGraphModel(model, decoded, {
    inputNames: { 'tower_0/images': MOBILENETV3_FEATURES_INPUT.name },
    inputShapes: { 'tower_0/images': [1, h, w, 3] },
    outputs: [{ tf: MOBILENETV3_FEATURES_OUTPUT.tf, onnx: MOBILENETV3_FEATURES_OUTPUT.name }],
    imageLayout: 'nchw',
    graphName: 'mobilenetv3_features_s8',
    docString:
      'MobileNetV3-large 0.75 backbone of MB3-CenterNet (github.com/610265158/mobilenetv3_centernet), weights from ' +
      `@vladmandic/human (models/centernet.*), cut at ${MOBILENETV3_FEATURES_OUTPUT.tf} (stride 8) by mmtrack-web. ` +
      `Input crop: float32 [1,3,${h},${w}] NCHW RGB 0-255.`,
    metadata: { ...metadata, stride: String(MOBILENETV3_FEATURES_OUTPUT.stride) },
  });
  return { ...result, bytes: encodeOnnxModel(result.model) };
}
