/**
 * The JSON sidecar written next to a converted model (`public/models/<name>.json`): what the runtime
 * checks a loaded model against (names, dtypes, shapes, layout), the sha256 it caches by, and where the
 * weights came from.
 */
import { CENTERNET_ONNX_FILE, CENTERNET_STRIDE, COCO_80_LABELS } from './centernet-mobilenetv3.ts';
import type { CenterNetConversion } from './centernet-mobilenetv3.ts';
import { ONNX_IR_VERSION, ONNX_OPSET } from './tfjs-to-onnx.ts';

export interface SidecarTensor {
  name: string;
  dtype: 'float32';
  shape: number[];
  layout: 'NCHW';
  description: string;
}

export interface ConvertedModelSidecar {
  name: string;
  /** ONNX file name, next to this sidecar. */
  file: string;
  /** sha256 of the ONNX file, hex. */
  sha256: string;
  bytes: number;
  opset: number;
  irVersion: number;
  input: SidecarTensor & { colorOrder: 'RGB'; range: [number, number]; normalization: string; resize: string };
  outputs: SidecarTensor[];
  /** Heat-map cell → input pixels. */
  stride: number;
  /** Class names by heat-map channel. */
  labels: string[];
  /** How to turn the outputs into boxes (verified against the TFJS graph's own decode). */
  decode: string;
  source: {
    package: string;
    packageVersion: string;
    /** sha256 (hex) of each source file, by path inside the package. */
    files: Record<string, string>;
    model: string;
    licence: string;
  };
  /** Changes when the sources or the converter change; the install step reconverts then. */
  fingerprint: string;
}

/** The sidecar of a CenterNet conversion. */
export function centerNetSidecar(
  conversion: CenterNetConversion,
  sha256: string,
  source: { packageVersion: string; files: Record<string, string> },
  fingerprint: string,
): ConvertedModelSidecar {
  const [input] = conversion.inputs;
  const [keypoints, wh] = conversion.outputs;
  if (!input || !keypoints || !wh) throw new Error('CenterNet conversion: expected 1 input and 2 outputs');
  const tensor = (info: typeof input, description: string): SidecarTensor => ({
    name: info.name,
    dtype: 'float32',
    shape: info.shape.map(Number),
    layout: 'NCHW',
    description,
  });
  return {
    name: 'centernet_mobilenetv3_coco',
    file: CENTERNET_ONNX_FILE,
    sha256,
    bytes: conversion.bytes.length,
    opset: ONNX_OPSET,
    irVersion: ONNX_IR_VERSION,
    input: {
      ...tensor(input, 'video frame, RGB, values 0..255 as float32'),
      colorOrder: 'RGB',
      range: [0, 255],
      normalization: 'none (no mean/std)',
      resize: 'stretch the frame to 512x512 (no letterbox), bilinear',
    },
    outputs: [
      tensor(keypoints, 'centre heat map after sigmoid, one channel per COCO class (labels), 128x128 cells of 4x4 input pixels'),
      tensor(wh, 'box edges as distances in input pixels from the cell point (4x, 4y): channel 0 left, 1 top, 2 right, 3 bottom'),
    ],
    stride: CENTERNET_STRIDE,
    labels: [...COCO_80_LABELS],
    decode:
      'peak = keypoints where keypoints == maxpool3x3(keypoints) (stride 1, SAME), else 0; top-100 peaks (score desc, ties by lower ' +
      'HWC index y*128*80 + x*80 + class); box = (4x - l, 4y - t, 4x + r, 4y + b) in 512x512 input pixels with (l, t, r, b) = wh[:, y, x]; ' +
      'score = peak value, label = labels[class]. Scale x by frameWidth/512 and y by frameHeight/512.',
    source: {
      package: '@vladmandic/human',
      packageVersion: source.packageVersion,
      files: source.files,
      model: 'https://github.com/610265158/mobilenetv3_centernet (MB3-CenterNet, COCO)',
      licence: 'MIT (@vladmandic/human, which redistributes the weights); see docs/models.md',
    },
    fingerprint,
  };
}
