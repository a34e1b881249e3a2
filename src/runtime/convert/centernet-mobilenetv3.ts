/**
 * The default detector: MB3-CenterNet (MobileNetV3-large 0.75 backbone, COCO 80 classes) as shipped in
 * `@vladmandic/human` (`models/centernet.json` + `centernet.bin`, a TFJS graph model with float16
 * weights), converted to `centernet_mobilenetv3_coco.onnx`.
 *
 * The ONNX graph keeps the network up to the heat map and box sizes; the in-graph decode that builds
 * `tower_0/detections` (max-pool peak suppression, TopK, gathers) is left out: our peak-extraction
 * kernel and its CPU twin decode `keypoints` + `wh` (docs/models.md gives the formula, verified
 * against the TFJS graph's own decode).
 * Model: https://github.com/610265158/mobilenetv3_centernet · weights: https://github.com/vladmandic/human
 */
import { parseTfjsGraphModel } from './tfjs-graph-model.ts';
import { decodeTfjsWeights } from './tfjs-weights.ts';
import { convertTfjsGraphModel } from './tfjs-to-onnx.ts';
import type { TfjsToOnnxResult } from './tfjs-to-onnx.ts';
import { encodeOnnxModel } from './onnx-proto.ts';

export const CENTERNET_ONNX_FILE = 'centernet_mobilenetv3_coco.onnx';
export const CENTERNET_SIDECAR_FILE = 'centernet_mobilenetv3_coco.json';

/** Model input: `images`, float32 [1, 3, 512, 512], NCHW, RGB in 0..255, no mean/std, frame stretched to the square. */
export const CENTERNET_INPUT = { name: 'images', shape: [1, 3, 512, 512] } as const;
/** Outputs (NCHW): `keypoints` sigmoid heat map [1, 80, 128, 128]; `wh` [1, 4, 128, 128] = left, top, right, bottom in input pixels. */
export const CENTERNET_OUTPUTS = [
  { name: 'keypoints', tf: 'tower_0/keypoints', shape: [1, 80, 128, 128] },
  { name: 'wh', tf: 'tower_0/wh', shape: [1, 4, 128, 128] },
] as const;
/** Heat-map cell → input pixels. */
export const CENTERNET_STRIDE = 4;

/** COCO's 80 detection classes in the order of the heat map's channels (label index = channel). */
export const COCO_80_LABELS = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
] as const;

export interface CenterNetConversion extends TfjsToOnnxResult {
  /** The encoded ONNX model. */
  bytes: Uint8Array;
}

/**
 * Converts human's CenterNet. `modelJson` is `centernet.json`'s text, `weights` the bytes of
 * `centernet.bin`. Errors name `centernet.json` / `centernet.bin` and the problem.
 */
export function convertCenterNet(modelJson: string, weights: Uint8Array, metadata: Readonly<Record<string, string>> = {}): CenterNetConversion {
  const model = parseTfjsGraphModel(modelJson, 'centernet.json');
  const decoded = decodeTfjsWeights(model.weightsManifest, [weights], 'centernet.bin');
  const result = convertTfjsGraphModel(model, decoded, {
    inputNames: { 'tower_0/images': CENTERNET_INPUT.name },
    outputs: CENTERNET_OUTPUTS.map((o) => ({ tf: o.tf, onnx: o.name })),
    imageLayout: 'nchw',
    graphName: 'centernet_mobilenetv3_coco',
    docString:
      'MB3-CenterNet (github.com/610265158/mobilenetv3_centernet), COCO 80 classes, weights from @vladmandic/human ' +
      '(models/centernet.*), converted by mmtrack-web. Input images: float32 [1,3,512,512] NCHW RGB 0-255. ' +
      'Outputs keypoints: sigmoid heat map [1,80,128,128]; wh: [1,4,128,128] left/top/right/bottom distances in input pixels (stride 4).',
    metadata: { ...metadata, labels: COCO_80_LABELS.join(','), stride: String(CENTERNET_STRIDE) },
  });
  return { ...result, bytes: encodeOnnxModel(result.model) };
}
