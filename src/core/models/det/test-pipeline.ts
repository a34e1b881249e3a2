/**
 * The pre-processing an MMDetection/MMTracking `test_pipeline` asks for, as {@link PreprocessOptions}: `Resize`
 * (`img_scale`, `keep_ratio`), `Normalize` (`mean`, `std`, `to_rgb`) and `Pad` (`size_divisor` or `pad_to_square`,
 * `pad_val`), also when they sit
 * inside `MultiScaleFlipAug` (which then gives `img_scale`). Loading, flipping off, formatting and collecting steps
 * carry no numbers and are skipped. Without `Normalize` the pixels stay 0-255 in MMCV's BGR order.
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/datasets/pipelines/test_time_aug.py
 * https://github.com/open-mmlab/mmdetection/blob/v2.28.2/mmdet/datasets/pipelines/transforms.py
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigDict, type ConfigValue, isConfigDict, previewValue } from '../../config/config-value.ts';
import { configOrigin } from '../../config/python-evaluator.ts';
import type { ImgScale, PreprocessOptions } from '../../ops/preprocess.ts';

/** Steps that do not change the pixels the model sees at test time. */
const PASSIVE_STEPS = new Set(['LoadImageFromFile', 'LoadMultiImagesFromFile', 'LoadImageFromWebcam', 'LoadMultiChannelImageFromFiles', 'LoadAnnotations', 'RandomFlip', 'ImageToTensor', 'DefaultFormatBundle', 'SeqDefaultFormatBundle', 'Collect', 'VideoCollect', 'ToTensor', 'Transpose', 'ConcatVideoReferences', 'MultiImagesToTensor', 'ToList']);

/** Reads `test_pipeline` (or the dotted `key`) of a merged config. Problems are {@link ConfigError}s naming the step. */
export function readTestPipeline(config: ConfigDict, key = 'test_pipeline'): PreprocessOptions {
  const pipeline = config[key];
  const fail = (value: ConfigValue | undefined, problem: string): never => {
    throw new ConfigError(`${key}: ${problem}`, configOrigin(value) ?? configOrigin(pipeline));
  };
  if (!Array.isArray(pipeline)) return fail(pipeline, `expected a list of transforms (Resize, Normalize, Pad...), got ${pipeline === undefined ? 'nothing' : previewValue(pipeline)}`);
  let scale: ImgScale | undefined;
  let keepRatio = true;
  let normalize: Pick<PreprocessOptions, 'mean' | 'std' | 'toRgb'> | undefined;
  let sizeDivisor = 1;
  let padToSquare = false;
  let padValue: [number, number, number] | undefined;
  // `pad_val`: a number, or dict(img=number or 3 numbers) (MMDetection >= 2.18; masks/segs values do not apply here).
  const readPadVal = (v: ConfigValue, where: ConfigValue): [number, number, number] => {
    const img = isConfigDict(v) ? v.img : v;
    if (typeof img === 'number') return [img, img, img];
    if (Array.isArray(img) && img.length === 3 && img.every((x) => typeof x === 'number')) return img as [number, number, number];
    return fail(where, `Pad: pad_val must be a number, 3 numbers or dict(img=...), got ${previewValue(v)}`);
  };
  const readScale = (value: ConfigValue | undefined, where: ConfigValue): ImgScale => {
    // One (w, h) tuple, or a list holding exactly one.
    const pair = Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) ? value[0] : value;
    if (Array.isArray(pair) && pair.length === 2 && pair.every((v) => typeof v === 'number' && v > 0)) return [pair[0] as number, pair[1] as number];
    return fail(where, `img_scale: expected one (w, h) pair (multi-scale testing is not supported), got ${previewValue(value ?? null)}`);
  };
  const visit = (steps: ConfigValue[]) => {
    for (const step of steps) {
      if (!isConfigDict(step) || typeof step.type !== 'string') fail(step, `expected dict(type=...), got ${previewValue(step)}`);
      const given = step as ConfigDict;
      // MMTracking's Seq* transforms (VID pipelines) apply the still-image transform to every frame of a sequence.
      const seq = typeof given.type === 'string' && /^Seq(Resize|Normalize|Pad|RandomFlip)$/.test(given.type);
      if (seq && given.type === 'SeqRandomFlip' && typeof given.flip_ratio === 'number' && given.flip_ratio > 0) fail(given, 'SeqRandomFlip: flip_ratio > 0 (test-time flips) is not supported');
      const s: ConfigDict = seq ? Object.fromEntries(Object.entries(given).filter(([k]) => k !== 'share_params').map(([k, v]) => [k, k === 'type' ? (v as string).slice(3) : v])) : given;
      switch (s.type) {
        case 'MultiScaleFlipAug':
          if (s.flip === true) fail(s, 'MultiScaleFlipAug: flip=True (test-time flip augmentation) is not supported');
          if (s.img_scale !== undefined && s.img_scale !== null) scale = readScale(s.img_scale, s);
          else if (s.scale_factor !== undefined && s.scale_factor !== null) fail(s, 'MultiScaleFlipAug: scale_factor is not supported, give img_scale');
          if (!Array.isArray(s.transforms)) fail(s, 'MultiScaleFlipAug: transforms must be a list');
          visit(s.transforms as ConfigValue[]);
          break;
        case 'Resize':
          if (s.img_scale !== undefined && s.img_scale !== null) scale = readScale(s.img_scale, s);
          if (s.keep_ratio !== undefined && typeof s.keep_ratio !== 'boolean') fail(s, `Resize: keep_ratio must be True or False, got ${previewValue(s.keep_ratio)}`);
          keepRatio = s.keep_ratio !== false;
          break;
        case 'Normalize': {
          const triple = (name: 'mean' | 'std'): [number, number, number] => {
            const v = s[name];
            if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number')) return v as [number, number, number];
            return fail(s, `Normalize: ${name} must be 3 numbers, got ${previewValue(v ?? null)}`);
          };
          normalize = { mean: triple('mean'), std: triple('std'), toRgb: s.to_rgb !== false };
          break;
        }
        case 'Pad': {
          const unknown = Object.keys(s).filter((k) => !['type', 'size', 'size_divisor', 'pad_to_square', 'pad_val'].includes(k));
          if (unknown.length) fail(s, `Pad: unknown keys ${unknown.join(', ')}`);
          if (s.size !== undefined && s.size !== null) fail(s, 'Pad: a fixed size is not supported (give size_divisor or pad_to_square)');
          const divisor = s.size_divisor ?? null;
          if (s.pad_to_square === true) {
            if (divisor !== null) fail(s, 'Pad: size_divisor and pad_to_square cannot be both given (MMDetection asserts the same)');
            padToSquare = true;
          } else if (typeof divisor === 'number' && Number.isInteger(divisor) && divisor >= 1) sizeDivisor = divisor;
          else fail(s, `Pad: expected size_divisor=N or pad_to_square=True, got ${previewValue(s)}`);
          if (s.pad_val !== undefined) padValue = readPadVal(s.pad_val, s);
          break;
        }
        default:
          if (!PASSIVE_STEPS.has(s.type as string)) fail(s, `${s.type as string}: a test-time transform the detector runners do not implement`);
      }
    }
  };
  visit(pipeline);
  if (!scale) return fail(pipeline, 'no img_scale (in Resize or MultiScaleFlipAug): the input size is unknown');
  return { scale, keepRatio, ...(normalize ?? { mean: [0, 0, 0], std: [1, 1, 1], toRgb: false }), sizeDivisor, ...(padToSquare ? { padToSquare } : {}), ...(padValue && padValue.some((x) => x !== 0) ? { padValue } : {}) };
}
