/**
 * What the detector configs (Faster R-CNN, YOLOX, ...) read alike: plain `test_cfg` dicts checked key by key, MMCV's
 * `nms` dicts, and the class names a detector reports.
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigDict, type ConfigValue, getConfigPath, isConfigDict, previewValue } from '../../config/config-value.ts';
import { configOrigin } from '../../config/python-evaluator.ts';
import { COCO_CLASSES } from './coco-classes.ts';

/** NMS settings of a `dict(type='nms', iou_threshold=..., class_agnostic=...)`. */
export interface NmsSettings {
  iouThreshold: number;
  classAgnostic: boolean;
}

/** Rejects keys outside `accepted` (a `test_cfg` part is a plain dict, not a registered type). */
export function checkKeys(dict: ConfigDict, accepted: readonly string[], path: string): void {
  const unknown = Object.keys(dict).filter((k) => !accepted.includes(k));
  if (unknown.length) throw new ConfigError(`${path}: unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.map((k) => `'${k}'`).join(', ')}; accepted keys: ${accepted.join(', ')}`, configOrigin(dict));
}

export function readNms(value: ConfigValue | undefined, path: string, where: ConfigValue): NmsSettings {
  if (!isConfigDict(value)) throw new ConfigError(`${path}: expected dict(type='nms', iou_threshold=...), got ${value === undefined ? 'nothing' : previewValue(value)}`, configOrigin(where));
  checkKeys(value, ['type', 'iou_threshold', 'class_agnostic', 'split_thr'], path);
  if (value.type !== undefined && value.type !== 'nms') throw new ConfigError(`${path}: type ${previewValue(value.type)} is not supported (only 'nms')`, configOrigin(value));
  const iou = value.iou_threshold;
  if (typeof iou !== 'number' || !(iou >= 0 && iou <= 1)) throw new ConfigError(`${path}.iou_threshold: expected a float in [0, 1], got ${previewValue(iou ?? null)}`, configOrigin(value));
  return { iouThreshold: iou, classAgnostic: value.class_agnostic === true };
}

/** Class names of MMTracking's datasets (`CLASSES`), for configs that name no `classes` of their own. */
const DATASET_CLASSES: Readonly<Record<string, readonly string[]>> = {
  MOTChallengeDataset: ['pedestrian'],
  // MMTracking's ImagenetVIDDataset.CLASSES (the 30 VID classes).
  ImagenetVIDDataset: [
    'airplane', 'antelope', 'bear', 'bicycle', 'bird', 'bus', 'car', 'cattle', 'dog', 'domestic_cat', 'elephant', 'fox', 'giant_panda', 'hamster', 'horse',
    'lion', 'lizard', 'monkey', 'motorcycle', 'rabbit', 'red_panda', 'sheep', 'snake', 'squirrel', 'tiger', 'train', 'turtle', 'watercraft', 'whale', 'zebra',
  ],
};

/**
 * Class names: the config's `classes` (or `data.test.classes`) when they fit, then the test dataset's own classes
 * (MMTracking's `MOTChallengeDataset`: pedestrian; `ImagenetVIDDataset`: the 30 VID classes), COCO's for 80 classes, else numbered.
 */
export function classNamesOf(config: ConfigDict, numClasses: number): string[] {
  for (const path of ['classes', 'data.test.classes']) {
    const v = getConfigPath(config, path);
    if (Array.isArray(v) && v.length === numClasses && v.every((c) => typeof c === 'string')) return v;
  }
  const type = getConfigPath(config, 'data.test.type');
  const dataset = typeof type === 'string' ? DATASET_CLASSES[type] : undefined;
  if (dataset && dataset.length === numClasses) return [...dataset];
  return numClasses === COCO_CLASSES.length ? [...COCO_CLASSES] : Array.from({ length: numClasses }, (_, i) => `class ${i}`);
}

