import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMotTracker } from '../../core/datasets/mot-challenge.ts';
import { meanColourReidOnnx } from '../../runtime/reid/mean-colour-reid.fixture.ts';

const repo = resolve(__dirname, '../../..');
const mmtrack = (args: string[]) => spawnSync(join(repo, 'bin/mmtrack'), args, { cwd: repo, encoding: 'utf8' });
const fixtures = resolve(repo, 'src/core/models/det/fixtures');
const street = resolve(repo, '../shared/media/street-540p-h264.mp4');

/** A model folder with the named fixture graphs linked in. */
function fixtureModelDir(prefix: string, files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of files) symlinkSync(join(fixtures, f), join(dir, f));
  return dir;
}

/** Tracks street-540p with `config` and reads the MOTChallenge rows back. */
function trackStreet(config: string, modelDir: string) {
  const out = mkdtempSync(join(tmpdir(), 'mmtrack-track-'));
  const r = mmtrack(['track', config, '--input', street, '--out', out, '--model-dir', modelDir]);
  expect(r.status, r.stderr).toBe(0);
  return parseMotTracker(readFileSync(join(out, 'street-540p-h264.txt'), 'utf8'), 'street-540p-h264.txt').value;
}

describe('mmtrack track (MOT configs)', () => {
  it('tracks people through street-540p with the default config and writes MOTChallenge txt and an annotated video', () => {
    const out = mkdtempSync(join(tmpdir(), 'mmtrack-track-'));
    const r = mmtrack(['track', 'configs/mot/default.py', '--input', resolve(repo, '../shared/media/street-540p-h264.mp4'), '--out', out, '--output-video', join(out, 'vis.mp4')]);
    expect(r.stderr).toMatch(/street-540p-h264\.txt: \d+ tracks over 8 frames/);
    expect(r.status).toBe(0);
    const parsed = parseMotTracker(readFileSync(join(out, 'street-540p-h264.txt'), 'utf8'), 'street-540p-h264.txt');
    expect(parsed.warnings).toEqual([]);
    const rows = parsed.value;
    const frame1 = Array.from(rows.frame).filter((f) => f === 1).length;
    expect(frame1).toBeGreaterThanOrEqual(15);
    // Ids are 1-based and each id appears at most once per frame.
    const seen = new Set<string>();
    for (let i = 0; i < rows.count; i++) {
      expect(rows.id[i]).toBeGreaterThanOrEqual(1);
      const key = `${rows.frame[i]}:${rows.id[i]}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'csv=p=0', join(out, 'vis.mp4')], { encoding: 'utf8' });
    expect(probe.stdout.trim()).toBe('960,540,8');
  }, 120_000);

  it('SORT and DeepSORT (appearance from the detector\'s features) track street-540p; a config needing a ReID model it lacks says so', () => {
    for (const config of ['configs/mot/sort/sort_centernet_mobilenetv3_coco-person.py', 'configs/mot/deepsort/deepsort_centernet_mobilenetv3_coco-person_detector-features.py']) {
      const out = mkdtempSync(join(tmpdir(), 'mmtrack-track-'));
      const r = mmtrack(['track', config, '--input', resolve(repo, '../shared/media/street-540p-h264.mp4'), '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      const rows = parseMotTracker(readFileSync(join(out, 'street-540p-h264.txt'), 'utf8'), 'street-540p-h264.txt').value;
      expect(Array.from(rows.frame).filter((f) => f === 1).length).toBeGreaterThanOrEqual(15);
      expect(new Set(Array.from(rows.frame, (f, i) => `${f}:${rows.id[i]}`)).size).toBe(rows.count);
    }
    // A trained ReID model (BaseReID) the user has to supply: without it, the missing file is named.
    const reidConfig = 'configs/mot/deepsort/deepsort_centernet_mobilenetv3_coco-person_reid.py';
    const video = resolve(repo, '../shared/media/street-540p-h264.mp4');
    let r = mmtrack(['track', reidConfig, '--input', video, '--out', mkdtempSync(join(tmpdir(), 'mmtrack-track-'))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/onnx\.reid: model file not found: .*reid_r50_mot17\.onnx/);
    // With one in the model directory (a stand-in graph: crops → channel means), DeepSORT runs on its embeddings.
    const modelDir = mkdtempSync(join(tmpdir(), 'mmtrack-models-'));
    symlinkSync(resolve(repo, 'public/models/centernet_mobilenetv3_coco.onnx'), join(modelDir, 'centernet_mobilenetv3_coco.onnx'));
    writeFileSync(join(modelDir, 'reid_r50_mot17.onnx'), meanColourReidOnnx('N'));
    const out = mkdtempSync(join(tmpdir(), 'mmtrack-track-'));
    r = mmtrack(['track', reidConfig, '--input', video, '--out', out, '--model-dir', modelDir]);
    expect(r.status, r.stderr).toBe(0);
    const rows = parseMotTracker(readFileSync(join(out, 'street-540p-h264.txt'), 'utf8'), 'street-540p-h264.txt').value;
    expect(Array.from(rows.frame).filter((f) => f === 1).length).toBeGreaterThanOrEqual(15);
  }, 120_000);

  it('OC-SORT on the default detector tracks street-540p with lasting ids; the YOLOX-X config names the ONNX file it needs', () => {
    const rows = trackStreet('configs/mot/ocsort/ocsort_centernet_mobilenetv3_coco-person.py', resolve(repo, 'public/models'));
    expect(Array.from(rows.frame).filter((f) => f === 1).length).toBeGreaterThanOrEqual(10);
    expect(new Set(Array.from(rows.frame, (f, i) => `${f}:${rows.id[i]}`)).size).toBe(rows.count);
    const framesPerId = new Map<number, number>();
    for (const id of rows.id) framesPerId.set(id, (framesPerId.get(id) ?? 0) + 1);
    // Most people keep their id over the 8 frames (a tracker that re-ids every frame would have ~100 ids).
    expect([...framesPerId.values()].filter((n) => n >= 6).length).toBeGreaterThanOrEqual(8);
    expect(framesPerId.size).toBeLessThan(40);
    const r = mmtrack(['track', 'configs/mot/ocsort/ocsort_yolox_x_crowdhuman_mot17-private-half.py', '--input', street, '--out', mkdtempSync(join(tmpdir(), 'mmtrack-track-'))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/onnx\.detector: model file not found: .*bytetrack_mot17\/yolox_x\.onnx/);
  });

  it('Tracktor: the detector names its missing ONNX file; with the files (the torchvision-checked tiny Faster R-CNN, a stand-in ReID) it regresses, re-identifies and compensates camera motion', () => {
    const r = mmtrack(['track', 'configs/mot/tracktor/tracktor_faster-rcnn_r50_fpn_4e_mot17-private-half.py', '--input', 'x.mp4', '--out', '/tmp/x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/onnx\.backbone: model file not found: .*tracktor_mot17\/backbone\.onnx/);
    // fixtures/tracktor_tiny.py: Tracktor over the tiny fixture detector (3 classes of shapes, fixed random weights);
    // what runs is the whole path (two-stage detection, regression of last frame's boxes through the bbox head, ECC,
    // ReID), not accuracy.
    const dir = fixtureModelDir('mmtrack-tracktor-', ['faster_rcnn_tiny_backbone.onnx', 'faster_rcnn_tiny_bbox_head.onnx']);
    writeFileSync(join(dir, 'reid.onnx'), meanColourReidOnnx('N'));
    const rows = trackStreet(join(fixtures, 'tracktor_tiny.py'), dir);
    expect(rows.count).toBeGreaterThan(0);
    expect(new Set(Array.from(rows.frame, (f, i) => `${f}:${rows.id[i]}`)).size).toBe(rows.count);
    // Tracks carried by regression: some id is seen on more than one frame.
    const frames = new Map<number, Set<number>>();
    for (let i = 0; i < rows.count; i++) frames.set(rows.id[i]!, (frames.get(rows.id[i]!) ?? new Set()).add(rows.frame[i]!));
    expect([...frames.values()].some((f) => f.size > 1)).toBe(true);
  }, 120_000);

  it("ByteTrack on a user's YOLOX: the repo config names its missing file; over the MMDetection-checked tiny YOLOX it tracks", () => {
    const r = mmtrack(['track', 'configs/mot/bytetrack/bytetrack_yolox_x_crowdhuman_mot17-private-half.py', '--input', 'x.mp4', '--out', '/tmp/x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/onnx\.detector: model file not found: .*bytetrack_mot17\/yolox_x\.onnx/);
    const dir = fixtureModelDir('mmtrack-yolox-', ['yolox_tiny.onnx']);
    writeFileSync(
      join(dir, 'bytetrack_tiny.py'),
      [
        `_base_ = ['${relative(dir, join(fixtures, 'yolox_tiny.py'))}']`,
        "model = dict(_delete_=True, type='ByteTrack', detector={{ _base_.model }}, motion=dict(type='KalmanFilter'),",
        "    tracker=dict(type='ByteTracker', obj_score_thrs=dict(high=0.3, low=0.1), init_track_thr=0.3, weight_iou_with_det_scores=True,",
        '        match_iou_thrs=dict(high=0.1, low=0.5, tentative=0.3), num_frames_retain=30))',
        '',
      ].join('\n'),
    );
    const rows = trackStreet(join(dir, 'bytetrack_tiny.py'), dir);
    expect(rows.count).toBeGreaterThan(0);
    // Boxes in frame pixels of the 960x540 video (the graph saw it resized to 128x72 and padded to 128x128).
    expect(Math.max(...Array.from(rows.boxes).filter((_, i) => i % 4 === 0))).toBeGreaterThan(128);
  }, 120_000);
});
