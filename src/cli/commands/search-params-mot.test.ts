// `mmtrack search-params` for MOT configs, on the shared MOTChallenge-style ground truth with detections made from
// it (jittered, some missed, seeded), written as `mmtrack detect` writes them.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMotGt } from '../../core/datasets/mot-challenge.ts';
import { main } from '../main.ts';
import { detsFolder } from '../mot-dets.fixture.ts';

const repo = resolve(import.meta.dirname, '../../..');
const shared = resolve(repo, '../shared/eval/mot/gt/mot_challenge');
const SEQS = ['MOT17-02-SYN', 'MOT17-03-SYN', 'MOT17-04-SYN'];
const CONFIG = 'configs/mot/default.py';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await main(['search-params', ...args], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { status, stdout, stderr };
}

/** The gt boxes TrackEval scores: pedestrians (class 1) that are not zero-marked. */
function pedestrianGtBoxes(): number {
  let n = 0;
  for (const seq of SEQS) {
    const path = join(shared, 'MOT17-train', seq, 'gt', 'gt.txt');
    const gt = parseMotGt(readFileSync(path, 'utf8'), path).value;
    for (let i = 0; i < gt.count; i++) if (gt.cls[i] === 1 && gt.conf[i] !== 0) n++;
  }
  return n;
}

describe('mmtrack search-params (MOT)', () => {
  it('tracks the cached detections with every combination of the list values and scores each with TrackEval metrics', async () => {
    const dets = detsFolder();
    const r = await run([CONFIG, '--dets', dets, '--gt', shared, '--json', '--cfg-options', 'model.tracker.init_track_thr=[0.25,1.01]', 'model.tracker.num_frames_retain=[1,30]']);
    expect(r.stderr).toMatch(/4\/4 combinations/);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { sequences: string[]; axes: { key: string; values: number[] }[]; metrics: string[]; results: { params: Record<string, number>; metrics: Record<string, number> }[]; best: Record<string, number> };
    expect(out.sequences).toEqual(SEQS);
    expect(out.axes).toEqual([{ key: 'init_track_thr', values: [0.25, 1.01] }, { key: 'num_frames_retain', values: [1, 30] }]);
    expect(out.metrics).toEqual(['MOTA', 'IDF1', 'FN', 'FP', 'IDs', 'MT', 'ML', 'HOTA']);
    expect(out.results.map((x) => x.params)).toEqual([
      { init_track_thr: 0.25, num_frames_retain: 1 },
      { init_track_thr: 0.25, num_frames_retain: 30 },
      { init_track_thr: 1.01, num_frames_retain: 1 },
      { init_track_thr: 1.01, num_frames_retain: 30 },
    ]);
    const [short, long, none] = out.results.map((x) => x.metrics);
    // No track can start: nothing output, every gt box missed.
    expect([none!.FP, none!.MOTA, none!.IDF1, none!.MT, none!.IDs]).toEqual([0, 0, 0, 0, 0]);
    expect(none!.FN).toBe(pedestrianGtBoxes());
    // 90 % of the boxes are detected: the tracker finds most of them; a longer memory keeps more identities.
    expect(long!.MOTA).toBeGreaterThan(0.6);
    expect(long!.FN).toBeLessThan(none!.FN!);
    expect(long!.IDs).toBeLessThan(short!.IDs!);
    expect(long!.IDF1).toBeGreaterThan(short!.IDF1!);
    // Best row per metric, ties to the earlier row: no FP anywhere (detections come from gt boxes), no switch
    // without tracks, every object tracked in both rows that track.
    expect(out.best).toEqual({ MOTA: 1, IDF1: 1, FN: 0, FP: 0, IDs: 2, MT: 0, ML: 0, HOTA: 1 });
  }, 60_000);

  it('takes one sequence folder with one detections file and prints a table with the best row per metric', async () => {
    const dets = detsFolder();
    const seqDir = join(mkdtempSync(join(tmpdir(), 'mmtrack-mot-seq-')), 'MOT17-03-SYN');
    cpSync(join(shared, 'MOT17-train', 'MOT17-03-SYN'), seqDir, { recursive: true });
    const r = await run([CONFIG, '--dets', join(dets, 'MOT17-03-SYN.json'), '--gt', seqDir, '--cfg-options', 'model.tracker.obj_score_thrs.high=[0.3,0.5]', 'search_metrics=[MOTA,IDs]']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]!.trim().split(/\s+/)).toEqual(['obj_score_thrs.high', 'MOTA', 'IDs']);
    expect(lines[1]!.trim().split(/\s+/)[0]).toBe('0.3');
    expect(lines[2]!.trim().split(/\s+/)[0]).toBe('0.5');
    expect(lines.slice(3)).toEqual([expect.stringMatching(/^best MOTA: \S+ {2}obj_score_thrs\.high=0\.[35]$/), expect.stringMatching(/^best IDs: \d+ {2}obj_score_thrs\.high=0\.[35]$/)]);
  }, 60_000);

  it('names the problem: missing detections, one file for many sequences, a foreign class, trackers that need the frames', async () => {
    const dets = detsFolder();
    let r = await run([CONFIG, '--dets', join(dets, 'MOT17-02-SYN.json'), '--gt', shared]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is one file but --gt has 3 sequences/);
    const partial = mkdtempSync(join(tmpdir(), 'mmtrack-mot-partial-'));
    cpSync(join(dets, 'MOT17-02-SYN.json'), join(partial, 'MOT17-02-SYN.json'));
    r = await run([CONFIG, '--dets', partial, '--gt', shared]);
    expect(r.stderr).toMatch(/MOT17-03-SYN\.json: detections of sequence MOT17-03-SYN not found/);
    const bad = mkdtempSync(join(tmpdir(), 'mmtrack-mot-bad-'));
    for (const s of SEQS) writeFileSync(join(bad, `${s}.json`), JSON.stringify([{ image_id: 1, bbox: [1, 2, 3, 4], category_id: 12, score: 0.5 }]));
    r = await run([CONFIG, '--dets', bad, '--gt', shared]);
    expect(r.stderr).toMatch(/MOT17-02-SYN\.json: \[0\]\.category_id: category_id 12 is not a class of the config's detector/);
    for (const s of SEQS) writeFileSync(join(bad, `${s}.json`), JSON.stringify([{ image_id: 900, bbox: [1, 2, 3, 4], category_id: 1, score: 0.5 }]));
    r = await run([CONFIG, '--dets', bad, '--gt', shared]);
    expect(r.stderr).toMatch(/frame 900 is outside the sequence's 235 frames/);
    // DeepSORT's reid.img_scale=(256, 128) is a tuple (not a search axis); its embeddings need the frames.
    r = await run(['configs/mot/deepsort/deepsort_centernet_mobilenetv3_coco-person_reid.py', '--dets', dets, '--gt', shared]);
    expect(r.stderr).toMatch(/SortTracker cannot track alone \(it needs appearance embeddings\)/);
    r = await run([CONFIG, '--gt', shared]);
    expect(r.stderr).toMatch(/missing --dets DETS/);
    // A config on a user's one-class Faster R-CNN: its class names come from the config, no ONNX file is read.
    r = await run(['configs/mot/bytetrack/bytetrack_faster-rcnn_r50_fpn_4e_mot17-private-half.py', '--dets', dets, '--gt', shared, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { results: unknown[] }).results).toHaveLength(1);
    mkdirSync(join(partial, 'empty'));
    r = await run([CONFIG, '--dets', dets, '--gt', join(partial, 'empty')]);
    expect(r.stderr).toMatch(/expected SEQ\/gt\/gt\.txt, or a TrackEval folder/);
  }, 60_000);
});
