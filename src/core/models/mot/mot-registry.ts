/**
 * The MOT trackers and motion models under their MMTracking config `type`s, built with the project's
 * {@link Registry}: `TRACKERS` (`model.tracker`) and `MOTION` (`model.motion`). Every key is MMTracking's, with
 * MMTracking's defaults; nested dicts (`reid`, `regression`, `obj_score_thrs`, ...) are checked key by key, so a
 * typo anywhere is an error naming the key and the accepted ones. Nested keys MMTracking reads with `d['key']` are
 * required, those it reads with `d.get('key')` are optional.
 */
import { type ConfigValue, cloneConfig, isConfigDict, previewValue, pythonTypeName } from '../../config/config-value.ts';
import { type Param, type ParamResult, type ParamShape, type ParamValues, type RequiredParam, param } from '../../config/params.ts';
import { Registry } from '../../config/registry.ts';
import { ByteTracker } from '../../trackers/byte-tracker.ts';
import { CameraMotionCompensation, WARP_MODES } from '../../trackers/camera-motion-compensation.ts';
import type { IdCounter } from '../../trackers/id-counter.ts';
import { KalmanFilter } from '../../trackers/kalman-filter.ts';
import { OcSortTracker } from '../../trackers/ocsort-tracker.ts';
import { SortTracker } from '../../trackers/sort-tracker.ts';
import type { MotTracker } from '../../trackers/tracker.ts';
import { TracktorTracker } from '../../trackers/tracktor-tracker.ts';

/** `model.motion` modules. */
export type MotionModule = KalmanFilter | CameraMotionCompensation;

/** What a tracker is given besides its config: MMTracking's `model.motion` / `model.cmc`, and the id source. */
export interface TrackerModules {
  kalmanFilter?: KalmanFilter;
  cmc?: CameraMotionCompensation;
  idCounter?: IdCounter;
}

/** A tracker config, checked, waiting for its modules. */
export interface TrackerFactory {
  readonly type: string;
  /** The motion module the tracker cannot work without (`'KalmanFilter'`), if any. */
  readonly needsMotion: 'KalmanFilter' | null;
  create(modules: TrackerModules): MotTracker;
}

/** A config-dict parameter with exactly the keys of `shape` (each read by its own {@link Param}). */
export function dictOf<P extends ParamShape>(shape: P): RequiredParam<ParamValues<P>> {
  const keys = Object.keys(shape);
  const description = `dict(${keys.join(', ')})`;
  const check = (v: ConfigValue): ParamResult<ParamValues<P>> => {
    if (!isConfigDict(v)) return { ok: false, problem: `expected ${description}, got ${pythonTypeName(v)} ${previewValue(v)}` };
    const unknown = Object.keys(v).filter((k) => !Object.hasOwn(shape, k));
    if (unknown.length > 0) {
      return { ok: false, problem: `unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.map((k) => `'${k}'`).join(', ')}; accepted keys: ${keys.join(', ')}` };
    }
    const out: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const [k, p] of Object.entries(shape)) {
      const r = p.read(v[k]);
      if (r.ok) {
        if (r.value !== undefined) out[k] = r.value;
      } else problems.push(`${k}: ${r.problem}`);
    }
    return problems.length > 0 ? { ok: false, problem: problems.join('; ') } : { ok: true, value: out as ParamValues<P> };
  };
  return requiredParam(description, check);
}

function requiredParam<T>(description: string, check: (v: ConfigValue) => ParamResult<T>): RequiredParam<T> {
  const read = (v: ConfigValue | undefined): ParamResult<T> => (v === undefined ? { ok: false, problem: `missing required key (${description})` } : check(v));
  return {
    description,
    optional: false,
    read,
    default: (fallback: T): Param<T> => ({
      description: `${description}, default ${previewValue(fallback as ConfigValue)}`,
      optional: true,
      read: (v) => (v === undefined ? { ok: true, value: cloneConfig(fallback as ConfigValue) as T } : read(v)),
    }),
    nullable: () => requiredParam<T | null>(`${description} or None`, (v) => (v === null ? { ok: true, value: null } : check(v))),
    optionalKey: () => ({ description: `${description} (optional)`, optional: true, read: (v) => (v === undefined ? { ok: true, value: undefined } : read(v)) }),
  };
}

const probability = () => param.number({ min: 0, max: 1 });

const momentums = dictOf({
  bboxes: probability().optionalKey(),
  scores: probability().optionalKey(),
  embeds: probability().optionalKey(),
})
  .nullable()
  .default(null);

/** `reid` keys shared by SORT and Tracktor (MMTracking reads these with `.get`, except `match_score_thr`). */
const reidShape = {
  num_samples: param.integer({ min: 1 }).nullable().default(null),
  img_scale: param.array(param.integer({ min: 1 }), 2).nullable().default(null),
  img_norm_cfg: param.dict().nullable().default(null),
  match_score_thr: param.number({ min: 0 }),
};

/** `type='KalmanFilter'`, `type='CameraMotionCompensation'`. */
export const MOTION = new Registry<MotionModule>('motion')
  .register('KalmanFilter', {
    params: { center_only: param.boolean().default(false) },
    create: (a) => new KalmanFilter(a.center_only),
  })
  .register('CameraMotionCompensation', {
    params: {
      warp_mode: param.oneOf(...(Object.keys(WARP_MODES) as [string, ...string[]])).default('cv2.MOTION_EUCLIDEAN'),
      num_iters: param.integer({ min: 1 }).default(50),
      stop_eps: param.number({ min: 0 }).default(0.001),
    },
    create: (a) => new CameraMotionCompensation(a),
  });

const sortParams = {
  obj_score_thr: param.number().default(0.3),
  reid: dictOf(reidShape).nullable().default({ num_samples: 10, img_scale: [256, 128], img_norm_cfg: null, match_score_thr: 2.0 }),
  match_iou_thr: probability().default(0.7),
  num_tentatives: param.integer({ min: 1 }).default(3),
  num_frames_retain: param.integer({ min: 1 }).default(10),
  momentums,
};

const sortSpec = {
  params: sortParams,
  create: (a: ParamValues<typeof sortParams>): TrackerFactory => ({
    type: 'SortTracker',
    needsMotion: 'KalmanFilter',
    create: (m) => new SortTracker(a, m),
  }),
};

/** `type='SortTracker'` (0.x name; `'SORTTracker'` in 1.x), `'ByteTracker'`, `'OCSORTTracker'`, `'TracktorTracker'`. */
export const TRACKERS = new Registry<TrackerFactory>('trackers')
  .register('SortTracker', sortSpec)
  .register('SORTTracker', sortSpec)
  .register('ByteTracker', {
    params: {
      obj_score_thrs: dictOf({ high: param.number(), low: param.number() }).default({ high: 0.6, low: 0.1 }),
      init_track_thr: param.number().default(0.7),
      weight_iou_with_det_scores: param.boolean().default(true),
      match_iou_thrs: dictOf({ high: probability(), low: probability(), tentative: probability() }).default({ high: 0.1, low: 0.5, tentative: 0.3 }),
      num_tentatives: param.integer({ min: 1 }).default(3),
      num_frames_retain: param.integer({ min: 1 }).default(10),
      momentums,
    },
    create: (a) => ({ type: 'ByteTracker', needsMotion: 'KalmanFilter', create: (m) => new ByteTracker(a, m) }),
  })
  .register('OCSORTTracker', {
    params: {
      obj_score_thr: param.number().default(0.3),
      init_track_thr: param.number().default(0.7),
      weight_iou_with_det_scores: param.boolean().default(true),
      match_iou_thr: probability().default(0.3),
      num_tentatives: param.integer({ min: 1 }).default(3),
      vel_consist_weight: param.number().default(0.2),
      vel_delta_t: param.integer({ min: 1 }).default(3),
      num_frames_retain: param.integer({ min: 1 }).default(10),
      momentums,
    },
    create: (a) => ({ type: 'OCSORTTracker', needsMotion: 'KalmanFilter', create: (m) => new OcSortTracker(a, m) }),
  })
  .register('TracktorTracker', {
    params: {
      obj_score_thr: param.number().default(0.5),
      regression: dictOf({
        obj_score_thr: param.number(),
        nms: dictOf({ type: param.oneOf('nms'), iou_threshold: probability() }),
        match_iou_thr: probability(),
      }).default({ obj_score_thr: 0.5, nms: { type: 'nms', iou_threshold: 0.6 }, match_iou_thr: 0.3 }),
      reid: dictOf({ ...reidShape, match_iou_thr: probability() })
        .nullable()
        .default({ num_samples: 10, img_scale: [256, 128], img_norm_cfg: null, match_score_thr: 2.0, match_iou_thr: 0.2 }),
      num_frames_retain: param.integer({ min: 1 }).default(10),
      momentums,
    },
    create: (a) => ({ type: 'TracktorTracker', needsMotion: null, create: (m) => new TracktorTracker(a, m) }),
  });

/** The tracker each registered type builds. */
interface TrackerTypes {
  SortTracker: SortTracker;
  ByteTracker: ByteTracker;
  OCSORTTracker: OcSortTracker;
  TracktorTracker: TracktorTracker;
}

/**
 * A tracker of `type` with `params` over the registry's defaults (MMTracking's), as a config would build it: for
 * code and tests that make a tracker without a whole config.
 */
export function buildTracker<K extends keyof TrackerTypes>(type: K, params: Record<string, ConfigValue> = {}, modules: TrackerModules = {}): TrackerTypes[K] {
  return TRACKERS.build({ type, ...params }, { path: 'tracker' }).create(modules) as TrackerTypes[K];
}

/** The declared keys of a tracker type, for UIs (e.g. the parameter-search grid). */
export function trackerParamNames(type: string): string[] {
  return Object.keys(TRACKERS.paramsOf(type) ?? {});
}

