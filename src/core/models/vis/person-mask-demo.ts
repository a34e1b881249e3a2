/**
 * The default VIS config (`configs/vis/default.py`, `model.type='PersonMaskDemo'`): a person-only demo of video
 * instance segmentation made from models that ship on npm — not MaskTrack R-CNN, and not trained for it. Per frame:
 * 1. The wrapped MOT config (`model.mot`: its detector and tracker, e.g. the default CenterNet + ByteTrack on
 *    `classes=('person', )`) gives person boxes with track ids.
 * 2. Each box, grown by `crop_scale` around its centre and clipped to the frame, is cut out and stretched to the
 *    segmentor's 256x256 input (MediaPipe Selfie Segmentation: a person probability per pixel).
 * 3. The probability map is sampled back at every frame pixel inside the box (bilinear, half-pixel centres); pixels
 *    with probability >= `mask_thr_binary` make the instance's mask. The mask never leaves its box. A person whose
 *    mask is empty is no instance on that frame (the runner gives it id -1; the tracker keeps its track).
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigDict, getConfigPath, isConfigDict, previewValue } from '../../config/config-value.ts';
import { type OnnxModelSpec, readOnnxSection } from '../../config/onnx-spec.ts';
import { param } from '../../config/params.ts';
import { configOrigin } from '../../config/python-evaluator.ts';
import { Registry } from '../../config/registry.ts';
import { type BitMasks, emptyBitMasks } from '../../structures/bit-masks.ts';

export interface PersonMaskDemoSettings {
  /** The MOT config that gives the boxes and ids: this config with `model.type` = `model.mot`. */
  mot: ConfigDict;
  /** `segmentor.crop_scale`: each box is grown by this factor around its centre before the crop. */
  cropScale: number;
  /** `segmentor.mask_thr_binary`. */
  threshold: number;
  /** The segmentor's square input side (256). */
  size: number;
  segmentor: OnnxModelSpec;
}

const SEGMENTORS = new Registry<{ cropScale: number; threshold: number }>('segmentors');
SEGMENTORS.register('SelfieSegmentation', {
  params: { crop_scale: param.number({ min: 1 }).default(1.2), mask_thr_binary: param.number({ min: 0, max: 1 }).default(0.5) },
  create: (args) => ({ cropScale: args.crop_scale, threshold: args.mask_thr_binary }),
});

export function personMaskDemoSettings(config: ConfigDict): PersonMaskDemoSettings {
  const model = config.model;
  if (!isConfigDict(model) || model.type !== 'PersonMaskDemo') throw new ConfigError(`model.type: ${previewValue((isConfigDict(model) ? model.type : undefined) ?? null)}, not PersonMaskDemo`, configOrigin(model));
  const motType = model.mot;
  if (typeof motType !== 'string') throw new ConfigError(`model.mot: expected the MOT method's model.type (e.g. 'ByteTrack'), got ${motType === undefined ? 'nothing' : previewValue(motType)}`, configOrigin(model));
  if (!isConfigDict(model.segmentor)) throw new ConfigError(`model.segmentor: expected a dict, got ${model.segmentor === undefined ? 'nothing' : previewValue(model.segmentor)}`, configOrigin(model));
  const seg = SEGMENTORS.build(model.segmentor, { path: 'model.segmentor' });
  const { mot: _mot, segmentor: _segmentor, ...rest } = model;
  const spec = readOnnxSection(config).find((s) => s.role === 'segmentor');
  if (!spec) throw new ConfigError('onnx.segmentor: missing; the PersonMaskDemo config names the segmentation graph there (see docs/vis.md)', configOrigin(config.onnx));
  const input = spec.inputs[0]?.shape;
  const size = input && input.length === 4 && typeof input[2] === 'number' && input[2] === input[3] ? input[2] : undefined;
  if (spec.inputs.length !== 1 || spec.outputs.length !== 1 || size === undefined) {
    throw new ConfigError(`onnx.segmentor: expected 1 input [1, 3, S, S] and 1 output [1, 1, S, S], got ${spec.inputs.length} inputs and ${spec.outputs.length} outputs`, configOrigin(config.onnx));
  }
  return { mot: { ...config, model: { ...rest, type: motType } }, ...seg, size, segmentor: spec };
}

/** Step 2's crop of each box (`[n*4]`, frame pixels): whole pixels `[x1, y1, x2, y2)` inside the frame, never empty. */
export function cropWindows(boxes: Float32Array, width: number, height: number, scale: number): Float32Array {
  const out = new Float32Array(boxes.length);
  for (let i = 0; i < boxes.length; i += 4) {
    const [x1, y1, x2, y2] = [boxes[i]!, boxes[i + 1]!, boxes[i + 2]!, boxes[i + 3]!];
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    const hw = ((x2 - x1) * scale) / 2;
    const hh = ((y2 - y1) * scale) / 2;
    const a = Math.min(Math.max(Math.floor(cx - hw), 0), width - 1);
    const b = Math.min(Math.max(Math.floor(cy - hh), 0), height - 1);
    out.set([a, b, Math.max(Math.min(Math.ceil(cx + hw), width), a + 1), Math.max(Math.min(Math.ceil(cy + hh), height), b + 1)], i);
  }
  return out;
}

/** Step 3: the masks from each crop's `size`x`size` probability map (`probs[i]`), cut by the boxes. */
export function cropMasks(probs: readonly Float32Array[], crops: Float32Array, boxes: Float32Array, width: number, height: number, size: number, threshold: number): BitMasks {
  const n = boxes.length / 4;
  const out = emptyBitMasks(n, width, height);
  for (let i = 0; i < n; i++) {
    const p = probs[i]!;
    const [cx1, cy1, cx2, cy2] = [crops[i * 4]!, crops[i * 4 + 1]!, crops[i * 4 + 2]!, crops[i * 4 + 3]!];
    const sx = size / (cx2 - cx1);
    const sy = size / (cy2 - cy1);
    const x0 = Math.max(Math.floor(boxes[i * 4]!), 0);
    const y0 = Math.max(Math.floor(boxes[i * 4 + 1]!), 0);
    const x1 = Math.min(Math.ceil(boxes[i * 4 + 2]!), width);
    const y1 = Math.min(Math.ceil(boxes[i * 4 + 3]!), height);
    const tap = (v: number) => {
      const c = Math.min(Math.max(v, 0), size - 1);
      const lo = Math.min(Math.floor(c), size - 2);
      return { lo, t: c - lo };
    };
    for (let y = y0; y < y1; y++) {
      const ty = tap((y + 0.5 - cy1) * sy - 0.5);
      for (let x = x0; x < x1; x++) {
        const tx = tap((x + 0.5 - cx1) * sx - 0.5);
        const at = (yy: number, xx: number) => p[yy * size + xx]!;
        const top = at(ty.lo, tx.lo) * (1 - tx.t) + at(ty.lo, tx.lo + 1) * tx.t;
        const bottom = at(ty.lo + 1, tx.lo) * (1 - tx.t) + at(ty.lo + 1, tx.lo + 1) * tx.t;
        if (top * (1 - ty.t) + bottom * ty.t >= threshold) out.data[(i * height + y) * out.wordsPerRow + (x >>> 5)]! |= 1 << (x & 31);
      }
    }
  }
  return out;
}

/** Whether a merged config is the person-mask demo. */
export function isPersonMaskDemoConfig(config: ConfigDict): boolean {
  return getConfigPath(config, 'model.type') === 'PersonMaskDemo';
}
