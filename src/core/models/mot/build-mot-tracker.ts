/**
 * Builds the tracker of a MOT config's `model` dict, as MMTracking's MOT models (`DeepSORT`, `ByteTrack`, `OCSORT`,
 * `Tracktor`, https://github.com/open-mmlab/mmtracking/tree/master/mmtrack/models/mot) do: `model.motion` (one dict
 * or a list) gives the Kalman filter / camera motion compensation, `model.tracker` the tracker, which receives the
 * motion modules. The detector and ReID parts of `model` are built by their runners, not here.
 *
 * ```ts
 * const { config } = await loadConfig('configs/mot/bytetrack/bytetrack_centernet_mobilenetv3_coco-person.py', fs);
 * const tracker = buildMotTracker(config.model);
 * for (const [frameId, dets] of detectionsPerFrame.entries()) {
 *   const tracked = await tracker.update(dets, { frameId }); // tracked.ids: Int32Array
 * }
 * ```
 */
import { ConfigError } from '../../config/config-error.ts';
import { type ConfigValue, isConfigDict, previewValue } from '../../config/config-value.ts';
import { configOrigin } from '../../config/python-evaluator.ts';
import { CameraMotionCompensation } from '../../trackers/camera-motion-compensation.ts';
import type { IdCounter } from '../../trackers/id-counter.ts';
import { KalmanFilter } from '../../trackers/kalman-filter.ts';
import type { MotTracker } from '../../trackers/tracker.ts';
import { MOTION, type MotionModule, TRACKERS } from './mot-registry.ts';

/** MMTracking's MOT model types and the tracker types each works with. */
export const MOT_MODEL_TRACKERS: Readonly<Record<string, readonly string[]>> = {
  DeepSORT: ['SortTracker', 'SORTTracker'],
  ByteTrack: ['ByteTracker'],
  OCSORT: ['OCSORTTracker'],
  Tracktor: ['TracktorTracker'],
};

export interface BuildMotTrackerOptions {
  /** Dotted path of `model` in the whole config, for messages (default `'model'`). */
  path?: string;
  /** Where ids come from (default: a counter starting at 0, as MMTracking). */
  idCounter?: IdCounter;
}

/** Builds `model.tracker` with its `model.motion` modules. Throws {@link ConfigError} naming the key on any problem. */
export function buildMotTracker(model: ConfigValue | undefined, options: BuildMotTrackerOptions = {}): MotTracker {
  const path = options.path ?? 'model';
  const fail = (problem: string, at: ConfigValue | undefined = model): never => {
    throw new ConfigError(problem, configOrigin(at) ?? configOrigin(model));
  };
  if (!isConfigDict(model)) return fail(`${path}: expected the model dict, got ${model === undefined ? 'nothing' : previewValue(model)}`);
  const modelType = model.type;
  if (typeof modelType !== 'string' || !Object.hasOwn(MOT_MODEL_TRACKERS, modelType)) {
    return fail(`${path}.type: expected one of ${Object.keys(MOT_MODEL_TRACKERS).join(', ')} (a multiple object tracking model), got ${modelType === undefined ? 'nothing' : previewValue(modelType)}`);
  }
  if (model.tracker === undefined) return fail(`${path}.tracker: missing; ${modelType} needs a tracker dict (type ${MOT_MODEL_TRACKERS[modelType]!.join(' or ')})`);

  // model.motion: one module or a list of them.
  const motionCfg = model.motion;
  const modules: MotionModule[] = [];
  if (Array.isArray(motionCfg)) {
    motionCfg.forEach((m, i) => modules.push(MOTION.build(m, { path: `${path}.motion.${i}` })));
  } else if (motionCfg !== undefined && motionCfg !== null) {
    modules.push(MOTION.build(motionCfg, { path: `${path}.motion` }));
  }
  const kalmanFilter = modules.find((m): m is KalmanFilter => m instanceof KalmanFilter);
  const cmc = modules.find((m): m is CameraMotionCompensation => m instanceof CameraMotionCompensation);

  const factory = TRACKERS.build(model.tracker, { path: `${path}.tracker` });
  const allowed = MOT_MODEL_TRACKERS[modelType]!;
  if (!allowed.includes(factory.type)) {
    return fail(`${path}.tracker.type: ${modelType} works with ${allowed.join(' or ')}, got '${factory.type}'`, model.tracker);
  }
  if (factory.needsMotion === 'KalmanFilter' && !kalmanFilter) {
    return fail(`${path}.motion: ${factory.type} needs a Kalman filter: motion=dict(type='KalmanFilter')`, motionCfg ?? model);
  }
  if (factory.type === 'TracktorTracker' && kalmanFilter) {
    return fail(`${path}.motion: Tracktor uses CameraMotionCompensation, not a Kalman filter`, motionCfg);
  }
  if (factory.needsMotion === 'KalmanFilter' && cmc) {
    return fail(`${path}.motion: ${factory.type} does not use CameraMotionCompensation`, motionCfg);
  }
  return factory.create({
    ...(kalmanFilter ? { kalmanFilter } : {}),
    ...(cmc ? { cmc } : {}),
    ...(options.idCounter ? { idCounter: options.idCounter } : {}),
  });
}
