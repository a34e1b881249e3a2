/**
 * `model.reid` of a MOT config: where DeepSORT's appearance embeddings come from.
 * - `BaseReID` (MMTracking's type): a trained ReID network exported to ONNX (`onnx.reid`: crops `[N, 3, h, w]` →
 *   embeddings `[N, D]`). As MMTracking's `SortTracker.crop_imgs`, each box is cut from the frame, resized to the
 *   tracker's `reid.img_scale` (h, w) with bilinear interpolation (align_corners=False) and normalised with
 *   `reid.img_norm_cfg`, or the detector's normalisation when it is None; embeddings are L2-normalised.
 *   MMTracking's `backbone`/`neck`/`head`/`init_cfg` keys describe the exported network and are accepted as they are.
 * - `DetectorFeatureReID` (ours): the detector's own backbone features pooled per box (`detector-feature-reid.ts`).
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigDict, getConfigPath, isConfigDict, previewValue } from '../../config/config-value.ts';
import { type OnnxModelSpec, readOnnxSection } from '../../config/onnx-spec.ts';
import { param } from '../../config/params.ts';
import { Registry } from '../../config/registry.ts';
import { torchLinearTap } from '../../ops/sot-crop.ts';
import type { DetectorFeatureReidSettings } from './detector-feature-reid.ts';

/** Pixel normalisation of ReID crops: `(v - mean) / std`, channels in RGB order when `toRgb`, else BGR. */
export interface CropNorm {
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  toRgb: boolean;
}

export interface OnnxReidSettings {
  type: 'BaseReID';
  /** Crop size (h, w): the tracker's `reid.img_scale`. */
  imgScale: [number, number];
  norm: CropNorm;
  onnx: OnnxModelSpec;
}

export type ReidSettings = DetectorFeatureReidSettings | OnnxReidSettings;

interface ReidContext {
  onnx: OnnxModelSpec | undefined;
  /** The tracker's `reid` dict (img_scale, img_norm_cfg). */
  trackerReid: ConfigDict | null;
  /** The detector's normalisation, used when `img_norm_cfg` is None. */
  detectorNorm: CropNorm;
}

const REID = new Registry<(ctx: ReidContext) => ReidSettings>('reid');

function needOnnx(ctx: ReidContext, path: string, type: string, what: string): OnnxModelSpec {
  if (!ctx.onnx) throw new ConfigError(`${path}: ${type} needs onnx.reid (${what})`, undefined);
  return ctx.onnx;
}

REID.register('DetectorFeatureReID', {
  params: {
    img_scale: param.array(param.integer({ min: 8 }), 2).default([512, 512]),
    size_divisor: param.integer({ min: 1 }).default(8),
    roi_size: param.array(param.integer({ min: 1 }), 2).default([4, 2]),
    stride: param.integer({ min: 1 }).default(8),
  },
  create: (args, context) => (ctx) => ({
    type: 'DetectorFeatureReID',
    imgScale: [args.img_scale[0]!, args.img_scale[1]!],
    sizeDivisor: args.size_divisor,
    roiSize: [args.roi_size[0]!, args.roi_size[1]!],
    stride: args.stride,
    onnx: needOnnx(ctx, context.path, 'DetectorFeatureReID', 'the backbone features graph, e.g. mobilenetv3_features_s8.onnx'),
  }),
});

REID.register('BaseReID', {
  params: { backbone: param.dict().optionalKey(), neck: param.dict().optionalKey(), head: param.dict().optionalKey(), init_cfg: param.any().optionalKey() },
  create: (_args, context) => (ctx) => {
    const onnx = needOnnx(ctx, context.path, 'BaseReID', 'the ReID network exported to ONNX: crops [N, 3, h, w] → embeddings [N, D]');
    const reid = ctx.trackerReid;
    const scale = reid?.img_scale;
    if (!Array.isArray(scale) || scale.length !== 2 || !scale.every((v) => typeof v === 'number' && Number.isInteger(v) && v > 0)) {
      throw new ConfigError(`model.tracker.reid.img_scale: BaseReID crops need (h, w), got ${scale === undefined ? 'nothing' : previewValue(scale)}`, undefined);
    }
    const normCfg = reid?.img_norm_cfg;
    let norm = ctx.detectorNorm;
    if (isConfigDict(normCfg)) {
      const triple = (key: 'mean' | 'std'): [number, number, number] => {
        const v = normCfg[key];
        if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'number')) throw new ConfigError(`model.tracker.reid.img_norm_cfg.${key}: expected 3 numbers, got ${v === undefined ? 'nothing' : previewValue(v)}`, undefined);
        return v as [number, number, number];
      };
      norm = { mean: triple('mean'), std: triple('std'), toRgb: normCfg.to_rgb !== false };
    } else if (normCfg !== undefined && normCfg !== null) throw new ConfigError(`model.tracker.reid.img_norm_cfg: expected dict(mean, std, to_rgb) or None, got ${previewValue(normCfg)}`, undefined);
    return { type: 'BaseReID', imgScale: [scale[0] as number, scale[1] as number], norm, onnx };
  },
});

/**
 * The config's `model.reid` settings, or null when it has none.
 * @param detectorNorm the detector's `Normalize` (mean, std, to_rgb), for `BaseReID` with `img_norm_cfg=None`.
 */
export function reidSettings(config: ConfigDict, detectorNorm: CropNorm = { mean: [0, 0, 0], std: [1, 1, 1], toRgb: true }): ReidSettings | null {
  const model = config.model;
  const reid = isConfigDict(model) ? model.reid : undefined;
  if (reid === undefined || reid === null) return null;
  const trackerReid = getConfigPath(config, 'model.tracker.reid');
  return REID.build(reid, { path: 'model.reid' })({ onnx: readOnnxSection(config).find((m) => m.role === 'reid'), trackerReid: isConfigDict(trackerReid) ? trackerReid : null, detectorNorm });
}

/**
 * MMTracking's `crop_imgs` on an RGBA frame: each box (clamped to the frame, corners truncated to ints, at least one
 * pixel) resized to (h, w) bilinearly (align_corners=False) and normalised. @returns float32 `[n, 3, h, w]`.
 */
export function reidCrops(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, boxes: Float32Array, imgScale: readonly [number, number], norm: CropNorm): Float32Array {
  const [oh, ow] = imgScale;
  const n = boxes.length / 4;
  const out = new Float32Array(n * 3 * oh * ow);
  const f = Math.fround;
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  for (let b = 0; b < n; b++) {
    const x1 = Math.trunc(clamp(boxes[b * 4]!, width));
    const y1 = Math.trunc(clamp(boxes[b * 4 + 1]!, height));
    let x2 = Math.trunc(clamp(boxes[b * 4 + 2]!, width));
    let y2 = Math.trunc(clamp(boxes[b * 4 + 3]!, height));
    if (x2 <= x1) x2 = x1 + 1;
    if (y2 <= y1) y2 = y1 + 1;
    const cw = x2 - x1;
    const ch = y2 - y1;
    const px = (x: number, y: number, c: number) => rgba[(Math.min(y1 + y, height - 1) * width + Math.min(x1 + x, width - 1)) * 4 + c]!;
    const xs = Array.from({ length: ow }, (_, x) => torchLinearTap(x, cw, ow));
    for (let y = 0; y < oh; y++) {
      const ty = torchLinearTap(y, ch, oh);
      for (let x = 0; x < ow; x++) {
        const tx = xs[x]!;
        for (let c = 0; c < 3; c++) {
          const src = norm.toRgb ? c : 2 - c;
          const top = f(f(f(1 - tx.lambda) * px(tx.i0, ty.i0, src)) + f(tx.lambda * px(tx.i1, ty.i0, src)));
          const bottom = f(f(f(1 - tx.lambda) * px(tx.i0, ty.i1, src)) + f(tx.lambda * px(tx.i1, ty.i1, src)));
          const v = f(f(f(1 - ty.lambda) * top) + f(ty.lambda * bottom));
          out[((b * 3 + c) * oh + y) * ow + x] = (v - norm.mean[c]!) / norm.std[c]!;
        }
      }
    }
  }
  return out;
}
