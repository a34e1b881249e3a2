/**
 * Appearance embeddings for DeepSORT without a trained ReID network: the frame goes through the default detector's
 * MobileNetV3 backbone cut at stride 8 (the ONNX file `npm install` converts for the default SOT tracker), and each
 * box's features are pooled with RoIAlign (MMCV semantics, `src/core/ops/roi-align.ts`) into a `roi_size` grid, then
 * L2-normalised, as MMTracking's ReID heads normalise their output. The features were trained for detection, not
 * re-identification: they separate people by colour and texture, far less reliably than a ReID model
 * (docs/mot.md).
 *
 * Config (`model.reid`, our type; a trained ReID model is `type='BaseReID'` as in MMTracking, `reid-settings.ts`):
 * ```python
 * model = dict(reid=dict(type='DetectorFeatureReID', img_scale=(512, 512), size_divisor=8, roi_size=(4, 2), stride=8))
 * onnx = dict(reid=dict(file='mobilenetv3_features_s8.onnx', inputs=..., outputs=...))
 * ```
 */
import type { OnnxModelSpec } from '../../config/onnx-spec.ts';
import { type PreprocessGeometry } from '../../ops/preprocess.ts';
import { preprocessImageFast } from '../../ops/preprocess-fast.ts';
import { type FeatureMap, roiAlign } from '../../ops/roi-align.ts';

export interface DetectorFeatureReidSettings {
  type: 'DetectorFeatureReID';
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

/** The backbone's input for an RGBA frame: keep-ratio resize, RGB 0-255 (no normalisation), padded. */
export function reidInput(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, s: DetectorFeatureReidSettings): { data: Float32Array; geometry: PreprocessGeometry } {
  return preprocessImageFast(rgba, width, height, { scale: s.imgScale, keepRatio: true, mean: [0, 0, 0], std: [1, 1, 1], toRgb: true, sizeDivisor: s.sizeDivisor });
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
  return l2NormalizeRows(data, dim);
}

/** Divides each row of `dim` values by its L2 norm (rows of zeros stay zero), in place. */
export function l2NormalizeRows(data: Float32Array, dim: number): BoxEmbeddings {
  for (let i = 0; i * dim < data.length; i++) {
    const row = data.subarray(i * dim, (i + 1) * dim);
    let sq = 0;
    for (const v of row) sq += v * v;
    const norm = Math.sqrt(sq);
    if (norm > 0) for (let k = 0; k < dim; k++) row[k] = row[k]! / norm;
  }
  return { data, dim };
}
