import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/config-error.ts';
import { memoryConfigFs } from '../../config/config-fs.ts';
import { loadConfig } from '../../config/config-loader.ts';
import { ByteTracker } from '../../trackers/byte-tracker.ts';
import { IdCounter } from '../../trackers/id-counter.ts';
import { SortTracker } from '../../trackers/sort-tracker.ts';
import { TracktorTracker } from '../../trackers/tracktor-tracker.ts';
import { makeDetections } from '../../structures/detections.ts';
import { nodeConfigFs } from '../../config/node-config-fs.node.ts';
import { getConfigPath } from '../../config/config-value.ts';
import { fasterRcnnModel } from '../det/faster-rcnn-config.ts';
import { yoloxModel } from '../det/yolox-config.ts';
import { buildMotTracker } from './build-mot-tracker.ts';
import { MOTION, TRACKERS } from './mot-registry.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const repoFile = (path: string) => readFileSync(`${repoRoot}${path}`, 'utf8');

async function modelOf(files: Record<string, string>, path: string) {
  return (await loadConfig(path, memoryConfigFs(files))).config.model;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

// MMTracking 0.8's SORT and DeepSORT configs (configs/mot/deepsort/*), model part.
const SORT = `model = dict(
    type='DeepSORT',
    detector=dict(type='FasterRCNN'),
    motion=dict(type='KalmanFilter', center_only=False),
    tracker=dict(
        type='SortTracker', obj_score_thr=0.5, match_iou_thr=0.5, reid=None))
`;
const DEEPSORT = `model = dict(
    type='DeepSORT',
    motion=dict(type='KalmanFilter', center_only=False),
    tracker=dict(
        type='SortTracker',
        obj_score_thr=0.5,
        reid=dict(
            num_samples=10,
            img_scale=(256, 128),
            img_norm_cfg=None,
            match_score_thr=2.0),
        match_iou_thr=0.5,
        momentums=None,
        num_tentatives=2,
        num_frames_retain=100))
`;

describe('buildMotTracker', () => {
  it("builds the repo's ByteTrack config (configs/mot/bytetrack) with its values", async () => {
    const path = 'configs/mot/bytetrack/bytetrack_centernet_mobilenetv3_coco-person.py';
    const files = { [path]: repoFile(path), 'configs/_base_/models/centernet_mobilenetv3.py': repoFile('configs/_base_/models/centernet_mobilenetv3.py') };
    const tracker = buildMotTracker(await modelOf(files, path));
    expect(tracker).toBeInstanceOf(ByteTracker);
    const t = tracker as ByteTracker;
    expect(t.objScoreThrs).toEqual({ high: 0.25, low: 0.1 });
    expect([t.initTrackThr, t.weightIouWithDetScores, t.numTentatives, t.store.numFramesRetain]).toEqual([0.25, true, 3, 30]);
    expect(t.matchIouThrs).toEqual({ high: 0.1, low: 0.5, tentative: 0.3 });
    expect(t.kf.centerOnly).toBe(false);
    const out = await tracker.update(makeDetections({ boxes: [0, 0, 10, 20], scores: [0.9], labels: [0] }));
    expect(Array.from(out.ids!)).toEqual([0]);
  });

  it("builds the repo's Tracktor config (configs/mot/tracktor) with camera motion compensation", async () => {
    const path = 'configs/mot/tracktor/tracktor_faster-rcnn_r50_fpn_4e_mot17-private-half.py';
    const bases = ['configs/_base_/models/faster_rcnn_r50_fpn.py', 'configs/_base_/datasets/mot_challenge.py', 'configs/_base_/default_runtime.py'];
    const files = Object.fromEntries([path, ...bases].map((p) => [p, repoFile(p)]));
    const tracker = buildMotTracker(await modelOf(files, path)) as TracktorTracker;
    expect(tracker).toBeInstanceOf(TracktorTracker);
    expect(tracker.objScoreThr).toBe(0.5);
    expect(tracker.regression).toEqual({ obj_score_thr: 0.5, nms: { type: 'nms', iou_threshold: 0.6 }, match_iou_thr: 0.3 });
    expect(tracker.reid).toEqual({ num_samples: 10, img_scale: [256, 128], img_norm_cfg: null, match_score_thr: 2.0, match_iou_thr: 0.2 });
    expect(tracker.store.numFramesRetain).toBe(10);
    expect([tracker.cmc?.warpMode, tracker.cmc?.numIters, tracker.cmc?.stopEps]).toEqual(['cv2.MOTION_EUCLIDEAN', 100, 0.00001]);
    expect(tracker.requires).toMatchObject({ regressor: true, embedder: true, image: true, reidCrop: { imgScale: [256, 128], imgNormCfg: null } });
  });

  it("builds MMTracking's SORT and DeepSORT configs, and passes the id counter in", async () => {
    const sort = buildMotTracker(await modelOf({ 'sort.py': SORT }, 'sort.py'), { idCounter: new IdCounter(1) }) as SortTracker;
    expect(sort).toBeInstanceOf(SortTracker);
    expect([sort.objScoreThr, sort.matchIouThr, sort.reid, sort.requires.embeddings]).toEqual([0.5, 0.5, null, false]);
    expect(Array.from(sort.update(makeDetections({ boxes: [0, 0, 10, 20], scores: [0.9], labels: [0] })).ids!)).toEqual([1]);
    const deep = buildMotTracker(await modelOf({ 'deepsort.py': DEEPSORT }, 'deepsort.py')) as SortTracker;
    expect(deep.reid).toEqual({ num_samples: 10, img_scale: [256, 128], img_norm_cfg: null, match_score_thr: 2.0 });
    expect([deep.numTentatives, deep.store.numFramesRetain, deep.store.embedHistory]).toEqual([2, 100, 10]);
    // MMTracking 1.x spells it SORTTracker.
    expect(buildMotTracker({ type: 'DeepSORT', motion: { type: 'KalmanFilter' }, tracker: { type: 'SORTTracker', reid: null } })).toBeInstanceOf(SortTracker);
  });

  it("the repo's SORT/DeepSORT/ByteTrack configs on a user's detector: MMTracking's tracker values, its detectors' classes", async () => {
    const load = async (path: string) => (await loadConfig(path, nodeConfigFs)).config;
    const sort = await load('configs/mot/deepsort/sort_faster-rcnn_fpn_4e_mot17-private-half.py');
    const mmtSort = await modelOf({ 'sort.py': SORT }, 'sort.py');
    expect(getConfigPath(sort, 'model.tracker')).toEqual(getConfigPath(mmtSort!, 'tracker'));
    expect(getConfigPath(sort, 'model.motion')).toEqual({ type: 'KalmanFilter', center_only: false });
    const deep = await load('configs/mot/deepsort/deepsort_faster-rcnn_fpn_4e_mot17-private-half.py');
    const mmtDeep = await modelOf({ 'deepsort.py': DEEPSORT }, 'deepsort.py');
    expect(getConfigPath(deep, 'model.tracker')).toEqual(getConfigPath(mmtDeep!, 'tracker'));
    expect((buildMotTracker(deep.model) as SortTracker).requires.embeddings).toBe(true);
    for (const c of [sort, deep]) {
      expect(getConfigPath(c, 'model.detector.type')).toBe('FasterRCNN');
      const frcnn = fasterRcnnModel(c);
      expect(frcnn.settings.classNames).toEqual(['pedestrian']);
      expect([frcnn.graphs.backbone.spec.file, frcnn.graphs.bboxHead.spec.file]).toEqual(['tracktor_mot17/backbone.onnx', 'tracktor_mot17/bbox_head.onnx']);
    }
    const yolox = await load('configs/mot/bytetrack/bytetrack_yolox_x_crowdhuman_mot17-private-half.py');
    expect(buildMotTracker(yolox.model)).toBeInstanceOf(ByteTracker);
    expect(yoloxModel(yolox).classNames).toEqual(['pedestrian']);
  });

  it('fails loudly on a misspelt key, naming the file, line and the accepted keys', async () => {
    const text = SORT.replace('match_iou_thr=0.5', 'match_iou_thrs=0.5');
    const err = configError(() => buildMotTracker(undefined));
    expect(err.message).toMatch(/model: expected the model dict/);
    const model = await modelOf({ 'sort.py': text }, 'sort.py');
    const e = configError(() => buildMotTracker(model));
    expect(e.message).toMatch(/^sort\.py:\d+:\d+: model\.tracker: SortTracker does not accept key 'match_iou_thrs' \(did you mean 'match_iou_thr'\?\)/);
  });

  it('checks nested dicts key by key', () => {
    const byte = (tracker: Record<string, unknown>) => () => buildMotTracker({ type: 'ByteTrack', motion: { type: 'KalmanFilter' }, tracker: { type: 'ByteTracker', ...tracker } as never });
    expect(configError(byte({ obj_score_thrs: { high: 0.6, lo: 0.1 } })).message).toMatch(/obj_score_thrs: unknown key 'lo'; accepted keys: high, low/);
    expect(configError(byte({ match_iou_thrs: { high: 0.1, low: 0.5 } })).message).toMatch(/match_iou_thrs: tentative: missing required key/);
    expect(configError(byte({ momentums: { labels: 0.5 } })).message).toMatch(/momentums: unknown key 'labels'/);
    const tracktor = (tracker: Record<string, unknown>) => () => buildMotTracker({ type: 'Tracktor', tracker: { type: 'TracktorTracker', ...tracker } as never });
    expect(configError(tracktor({ regression: { obj_score_thr: 0.5, nms: { type: 'soft_nms', iou_threshold: 0.6 }, match_iou_thr: 0.3 } })).message).toMatch(/regression: nms: type: expected 'nms'/);
    expect(configError(tracktor({ reid: { num_samples: 10, match_iou_thr: 0.2 } })).message).toMatch(/reid: match_score_thr: missing required key/);
    // Optional nested keys take MMTracking's `.get` fallbacks.
    const t = buildMotTracker({ type: 'Tracktor', tracker: { type: 'TracktorTracker', reid: { match_score_thr: 1.5, match_iou_thr: 0.2 } } }) as TracktorTracker;
    expect(t.reid).toEqual({ num_samples: null, img_scale: null, img_norm_cfg: null, match_score_thr: 1.5, match_iou_thr: 0.2 });
  });

  it('checks the model around the tracker: type, motion modules, pairing', () => {
    expect(configError(() => buildMotTracker({ type: 'QDTrack', tracker: { type: 'ByteTracker' } })).message).toMatch(/model\.type: expected one of DeepSORT, ByteTrack, OCSORT, Tracktor/);
    expect(configError(() => buildMotTracker({ type: 'ByteTrack', tracker: { type: 'ByteTracker' } })).message).toMatch(/needs a Kalman filter: motion=dict\(type='KalmanFilter'\)/);
    expect(configError(() => buildMotTracker({ type: 'ByteTrack', motion: { type: 'KalmanFilter' } })).message).toMatch(/model\.tracker: missing/);
    expect(configError(() => buildMotTracker({ type: 'ByteTrack', motion: { type: 'KalmanFilter' }, tracker: { type: 'SortTracker' } })).message).toMatch(/ByteTrack works with ByteTracker, got 'SortTracker'/);
    expect(configError(() => buildMotTracker({ type: 'Tracktor', motion: { type: 'KalmanFilter' }, tracker: { type: 'TracktorTracker' } })).message).toMatch(/Tracktor uses CameraMotionCompensation/);
    expect(configError(() => buildMotTracker({ type: 'Tracktor', motion: [{ type: 'CameraMotionCompensation', warp_mode: 'cv2.MOTION_HOMOGRAPHY' }], tracker: { type: 'TracktorTracker' } })).message).toMatch(
      /model\.motion\.0: CameraMotionCompensation: warp_mode: expected 'cv2.MOTION_TRANSLATION' \| 'cv2.MOTION_EUCLIDEAN' \| 'cv2.MOTION_AFFINE'/,
    );
    expect(configError(() => buildMotTracker({ type: 'Tracktor', motion: { type: 'LinearMotion' }, tracker: { type: 'TracktorTracker' } })).message).toMatch(/unknown type 'LinearMotion' in registry 'motion'/);
    expect(buildMotTracker({ type: 'ByteTrack', motion: { type: 'KalmanFilter', center_only: true }, tracker: { type: 'ByteTracker' } })).toBeInstanceOf(ByteTracker);
  });

  it('registers the MMTracking types', () => {
    expect(TRACKERS.types).toEqual(['ByteTracker', 'OCSORTTracker', 'SORTTracker', 'SortTracker', 'TracktorTracker']);
    expect(MOTION.types).toEqual(['CameraMotionCompensation', 'KalmanFilter']);
  });
});
