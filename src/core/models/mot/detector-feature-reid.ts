/**
 * Appearance embeddings for DeepSORT without a trained ReID network: the frame goes through the default detector's
 * MobileNetV3 backbone cut at stride 8 (the ONNX file `npm install` converts for the default SOT tracker), and each
 * box's features are pooled with RoIAlign (MMCV semantics, `src/core/ops/roi-align.ts`) into a `roi_size` grid, then
 * L2-normalised, as MMTracking's ReID heads normalise their output. The features were trained for detection, not
 * re-identification: they separate people by colour and texture, far less reliably than a ReID model
 * (docs/mot.md).
 *
 * Config (`model.reid`, our type; MMTracking's DeepSORT has `model.reid=dict(type='BaseReID', ...)` instead):
 * ```python
 * model = dict(reid=dict(type='DetectorFeatureReID', img_scale=(512, 512), size_divisor=8, roi_size=(4, 2), stride=8))
 * onnx = dict(reid=dict(file='mobilenetv3_features_s8.onnx', inputs=..., outputs=...))
 * ```
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigDict, isConfigDict } from '../../config/config-value.ts';
import { type OnnxModelSpec, readOnnxSection } from '../../config/onnx-spec.ts';
import { param } from '../../config/params.ts';
import { Registry } from '../../config/registry.ts';
import { type PreprocessGeometry, preprocessImage } from '../../ops/preprocess.ts';
import { type FeatureMap, roiAlign } from '../../ops/roi-align.ts';

export interface DetectorFeatureReidSettings {
  /** `Resize` (keep ratio) of the frame before the backbone, MMDetection's `img_scale` (w, h). */
  imgScale: [number, number];
  /** The input is padded to a multiple of it (the backbone's stride). */
  sizeDivisor: number;
  /** RoIAlign output grid per box, (h, w): embeddings have `C · h · w` values. */
  roiSize: [number, number];
  /** Input pixels per feature cell. */
  stride: number;
  onnx: OnnxModelSpec;
}

/** Embeddings, one row per box (the tracker's `Embeddings`). */
export interface BoxEmbeddings {
  data: Float32Array;
  dim: number;
}

const REID = new Registry<(onnx: OnnxModelSpec | undefined) => DetectorFeatureReidSettings>('reid');

REID.register('DetectorFeatureReID', {
  params: {
    img_scale: param.array(param.integer({ min: 8 }), 2).default([512, 512]),
    size_divisor: param.integer({ min: 1 }).default(8),
    roi_size: param.array(param.integer({ min: 1 }), 2).default([4, 2]),
    stride: param.integer({ min: 1 }).default(8),
  },
  create: (args, context) => (onnx) => {
    if (!onnx) throw new ConfigError(`${context.path}: DetectorFeatureReID needs onnx.reid (the backbone features graph, e.g. mobilenetv3_features_s8.onnx)`, context.origin);
    return { imgScale: [args.img_scale[0]!, args.img_scale[1]!], sizeDivisor: args.size_divisor, roiSize: [args.roi_size[0]!, args.roi_size[1]!], stride: args.stride, onnx };
  },
});

/** The config's `model.reid` settings, or null when it has none (SORT, or DeepSORT fed embeddings another way). */
export function detectorFeatureReidSettings(config: ConfigDict): DetectorFeatureReidSettings | null {
  const model = config.model;
  const reid = isConfigDict(model) ? model.reid : undefined;
  if (reid === undefined || reid === null) return null;
  return REID.build(reid, { path: 'model.reid' })(readOnnxSection(config).find((m) => m.role === 'reid'));
}

/** The backbone's input for an RGBA frame: keep-ratio resize, RGB 0-255 (no normalisation), padded. */
export function reidInput(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, s: DetectorFeatureReidSettings): { data: Float32Array; geometry: PreprocessGeometry } {
  return preprocessImage(rgba, width, height, { scale: s.imgScale, keepRatio: true, mean: [0, 0, 0], std: [1, 1, 1], toRgb: true, sizeDivisor: s.sizeDivisor });
}

/**
 * Pools each box's features into an L2-normalised embedding.
 * @param boxes `[n*4]` x1, y1, x2, y2 in frame pixels; @param geometry of {@link reidInput}.
 */
export function pooledEmbeddings(features: FeatureMap, boxes: Float32Array, geometry: PreprocessGeometry, s: DetectorFeatureReidSettings): BoxEmbeddings {
  const n = boxes.length / 4;
  const [, c] = features.shape;
  const dim = c * s.roiSize[0] * s.roiSize[1];
  if (n === 0) return { data: new Float32Array(0), dim };
  const [sx, sy] = geometry.scaleFactor;
  const rois = new Float32Array(n * 5);
  for (let i = 0; i < n; i++) rois.set([0, boxes[i * 4]! * sx, boxes[i * 4 + 1]! * sy, boxes[i * 4 + 2]! * sx, boxes[i * 4 + 3]! * sy], i * 5);
  const data = roiAlign(features, rois, { outputSize: s.roiSize, spatialScale: 1 / s.stride, samplingRatio: 0, aligned: true });
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * dim, (i + 1) * dim);
    let sq = 0;
    for (const v of row) sq += v * v;
    const norm = Math.sqrt(sq);
    if (norm > 0) for (let k = 0; k < dim; k++) row[k] = row[k]! / norm;
  }
  return { data, dim };
}
