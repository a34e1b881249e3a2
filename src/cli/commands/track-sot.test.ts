// `mmtrack track` with single object tracking configs, through the real CLI (bin/mmtrack, ffmpeg decode, ONNX on
// the wasm EP). Acceptance: NanoTrack v2 on ../shared/sot/street-car from the first ground-truth box reaches OPE
// success >= 60 (MMTracking's percent scale, scored by our eval_sot_ope port).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSotBoxes } from '../../core/datasets/sot.ts';
import { evalOpeSequence, Ope } from '../../core/eval/sot-ope.ts';
import { runCli } from '../run-cli.node.ts';

const repo = resolve(import.meta.dirname, '../../..');
const shared = resolve(repo, '../shared');
const seq = join(shared, 'sot/street-car');
const NANO = 'configs/sot/nanotrack/nanotrack_v2.py';
const models = join(shared, 'models');

function mmtrack(args: string[]) {
  return spawnSync(join(repo, 'bin/mmtrack'), args, { cwd: repo, encoding: 'utf8' });
}

const readBoxes = (path: string) => parseSotBoxes(readFileSync(path, 'utf8'), path).value;

describe('mmtrack track (SOT)', () => {
  it('NanoTrack v2 follows the white car through street-car/video.mp4: OPE success >= 60', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mmtrack-sot-')), 'result.txt');
    const r = mmtrack(['track', NANO, '--input', join(seq, 'video.mp4'), '--gt-bbox-file', join(seq, 'groundtruth.txt'), '--out', out, '--model-dir', models]);
    expect(r.stderr).toMatch(/result\.txt: 150 boxes for video\.mp4/);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { model: string; frames: number; mean_score: number };
    expect(summary).toMatchObject({ model: 'NanoTrack', frames: 150 });
    const gt = readBoxes(join(seq, 'groundtruth.txt'));
    const pred = readBoxes(out);
    expect(pred.count).toBe(150);
    // The first row is the init box (as MMTracking's frame 0 result).
    expect(Array.from(pred.xywh.subarray(0, 4))).toEqual(Array.from(gt.xywh.subarray(0, 4)));
    const ope = new Ope().summary(evalOpeSequence({ gt: gt.xywh, pred: pred.xywh }));
    expect(ope.success).toBeGreaterThanOrEqual(60);
    expect(ope.precision).toBeGreaterThanOrEqual(60);
  }, 90_000);

  it('reads an image folder with --init, overrides test_cfg with --cfg-options and writes the annotated video', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtrack-sot-'));
    const gt = readBoxes(join(seq, 'groundtruth.txt'));
    const init = Array.from(gt.xywh.subarray(0, 4)).join(',');
    const r = mmtrack(['track', NANO, '--input', join(seq, 'img'), '--init', init, '--out', join(dir, 'r.txt'), '--model-dir', models, '--output-video', join(dir, 'vis.mp4'), '--cfg-options', 'model.test_cfg.rpn.lr=0.5']);
    expect(r.stderr).toMatch(/r\.txt: 30 boxes for img; video .*vis\.mp4/);
    expect(r.status).toBe(0);
    const pred = readBoxes(join(dir, 'r.txt'));
    // Over the 30 frames the box stays on the car (IoU with the ground truth of the last frame).
    const [px, py, pw, ph] = Array.from(pred.xywh.subarray(29 * 4, 30 * 4)) as [number, number, number, number];
    const [gx, gy, gw, gh] = Array.from(gt.xywh.subarray(29 * 4, 30 * 4)) as [number, number, number, number];
    const iw = Math.max(0, Math.min(px + pw, gx + gw) - Math.max(px, gx));
    const ih = Math.max(0, Math.min(py + ph, gy + gh) - Math.max(py, gy));
    expect((iw * ih) / (pw * ph + gw * gh - iw * ih)).toBeGreaterThan(0.5);
    const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'csv=p=0', join(dir, 'vis.mp4')], { encoding: 'utf8' });
    expect(probe.stdout.trim()).toBe('640,360,30');
  }, 60_000);

  it('the default config (SiamFC on the default detector\'s MobileNetV3 features, converted at install) stays on the car', () => {
    // The first 15 frames (image links): the default tracker runs three backbone passes per frame.
    const dir = mkdtempSync(join(tmpdir(), 'mmtrack-sot-'));
    mkdirSync(join(dir, 'img'));
    for (const f of readdirSync(join(seq, 'img')).sort().slice(0, 15)) symlinkSync(join(seq, 'img', f), join(dir, 'img', f));
    const gt = readBoxes(join(seq, 'groundtruth.txt'));
    const r = mmtrack(['track', 'configs/sot/default.py', '--input', join(dir, 'img'), '--gt-bbox-file', join(seq, 'groundtruth.txt'), '--out', join(dir, 'r.txt')]);
    expect(r.stderr).toMatch(/r\.txt: 15 boxes for img/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: 'SiamFC', frames: 15 });
    const pred = readBoxes(join(dir, 'r.txt'));
    const ope = new Ope().summary(evalOpeSequence({ gt: gt.xywh.subarray(0, 15 * 4), pred: pred.xywh }));
    expect(ope.success).toBeGreaterThanOrEqual(50);
    expect(ope.precision).toBeGreaterThanOrEqual(80);
  }, 60_000);

  it('fails clearly: unsupported model type, missing box, bad box, a box outside the frame, missing model files', async () => {
    const run = async (args: string[]) => {
      const r = await runCli(['track', ...args]);
      return { status: r.code, stderr: r.stderr };
    };
    const base = ['--input', join(seq, 'img'), '--out', '/tmp/never.txt', '--model-dir', models];
    let r = await run(['configs/det/centernet_mobilenetv3_coco.py', ...base, '--init', '1,2,3,4']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/model.type 'CenterNet': mmtrack track runs .*single object tracking \(SiamRPN, NanoTrack, SiamFC\)/);
    r = await run([NANO, ...base]);
    expect(r.stderr).toMatch(/--init x,y,w,h or --gt-bbox-file FILE/);
    r = await run([NANO, ...base, '--init', '1,2,3']);
    expect(r.stderr).toMatch(/--init: expected x,y,w,h \(4 numbers\), got '1,2,3'/);
    r = await run([NANO, ...base, '--init', '900,20,30,30']);
    expect(r.stderr).toMatch(/lies outside the 640x360 frame/);
    r = await run([NANO, '--input', join(seq, 'img'), '--out', '/tmp/never.txt', '--model-dir', '/nonexistent', '--init', '1,2,3,4']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/onnx\.backbone: model file not found: \/nonexistent\/nanotrack-v2\/backbone\.onnx/);
    r = await run([NANO, ...base, '--init', '1,2,3,4', '--cfg-options', 'model.test_cfg.rpn.lr=7']);
    expect(r.stderr).toMatch(/lr: expected float >= 0 <= 1, got int 7/);
  }, 60_000);
});
