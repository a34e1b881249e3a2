/**
 * The default detector cut in two for the default VID method (`configs/vid/default.py`, DFF on CenterNet): the same
 * TFJS weights as `centernet-mobilenetv3.ts`, converted as
 * - `centernet_mobilenetv3_features.onnx`: the image → the neck's fused stride-4 map (`CenternetHead/Relu_2`, after
 *   the c5→c2 upsampling path: what DFF warps), and
 * - `centernet_mobilenetv3_head.onnx`: that map → `keypoints` and `wh`, the same outputs as the whole detector
 *   (the head's squeeze-excitation, then the two separable-conv heads).
 * Run one after the other they are the whole detector (centernet-split.test.ts checks it against the TFJS original).
 */
import { CENTERNET_INPUT, CENTERNET_OUTPUTS, CENTERNET_STRIDE, COCO_80_LABELS } from './centernet-mobilenetv3.ts';
import { encodeOnnxModel } from './onnx-proto.ts';
import { parseTfjsGraphModel } from './tfjs-graph-model.ts';
import { convertTfjsGraphModel, type TfjsToOnnxResult } from './tfjs-to-onnx.ts';
import { decodeTfjsWeights } from './tfjs-weights.ts';

export const CENTERNET_FEATURES_ONNX_FILE = 'centernet_mobilenetv3_features.onnx';
export const CENTERNET_HEAD_ONNX_FILE = 'centernet_mobilenetv3_head.onnx';

/** Where the graph is cut: the neck's output at stride 4, the input of the head's squeeze-excitation. */
export const CENTERNET_CUT = { tf: 'tower_0/CenternetHead/Relu_2', onnx: 'feat', stride: CENTERNET_STRIDE } as const;

export interface CenterNetSplit {
  features: TfjsToOnnxResult & { bytes: Uint8Array };
  head: TfjsToOnnxResult & { bytes: Uint8Array };
}

/** Converts human's CenterNet as two graphs. Inputs as `convertCenterNet`; errors name `centernet.json` / `.bin`. */
export function convertCenterNetSplit(modelJson: string, weights: Uint8Array, metadata: Readonly<Record<string, string>> = {}): CenterNetSplit {
  const model = parseTfjsGraphModel(modelJson, 'centernet.json');
  const decoded = decodeTfjsWeights(model.weightsManifest, [weights], 'centernet.bin');
  const source = 'MB3-CenterNet (github.com/610265158/mobilenetv3_centernet), COCO 80 classes, weights from @vladmandic/human (models/centernet.*)';
  const features = convertTfjsGraphModel(model, decoded, {
    inputNames: { 'tower_0/images': CENTERNET_INPUT.name },
    outputs: [{ tf: CENTERNET_CUT.tf, onnx: CENTERNET_CUT.onnx }],
    imageLayout: 'nchw',
    graphName: 'centernet_mobilenetv3_features',
    docString: `${source}, cut at ${CENTERNET_CUT.tf} (stride ${CENTERNET_CUT.stride}) by mmtrack-web: the features DFF warps. Input images: float32 [1,3,512,512] NCHW RGB 0-255.`,
    metadata: { ...metadata, stride: String(CENTERNET_CUT.stride) },
  });
  const [n, c, h, w] = features.outputs[0]!.shape.map(Number) as [number, number, number, number];
  const head = convertTfjsGraphModel(model, decoded, {
    cutInputs: [{ tf: CENTERNET_CUT.tf, onnx: CENTERNET_CUT.onnx, shape: [n, h, w, c] }],
    outputs: CENTERNET_OUTPUTS.map((o) => ({ tf: o.tf, onnx: o.name })),
    imageLayout: 'nchw',
    graphName: 'centernet_mobilenetv3_head',
    docString: `${source}, from ${CENTERNET_CUT.tf} to the heat map and box sizes, by mmtrack-web. Input feat: float32 [1,${c},${h},${w}]; outputs as centernet_mobilenetv3_coco.onnx.`,
    metadata: { ...metadata, labels: COCO_80_LABELS.join(','), stride: String(CENTERNET_STRIDE) },
  });
  return { features: { ...features, bytes: encodeOnnxModel(features.model) }, head: { ...head, bytes: encodeOnnxModel(head.model) } };
}
