import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeMotDataset, makeSotDataset, makeVidDataset, makeVisDataset } from '../test-datasets.fixture.ts';

const repo = resolve(__dirname, '../../..');
const mmtrack = (args: string[]) => spawnSync(join(repo, 'bin/mmtrack'), args, { cwd: repo, encoding: 'utf8' });
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

describe('mmtrack test', () => {
  it('MOT: the default config over a MOTChallenge folder prints what track on each video + eval mot on the folder print; --resume, --format-only, --metrics', () => {
    const root = tmp('mmtrack-motds-');
    const prefix = makeMotDataset(root, [{ first: 0, count: 5 }]);
    const data = [`data.test.img_prefix=${prefix}`, 'data.test.ann_file=None'];
    const out = tmp('mmtrack-test-');
    const r = mmtrack(['test', 'configs/mot/default.py', '--out', out, '--cfg-options', ...data]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[1\/2\] car1: 5 frames in/);
    expect(r.stderr).toMatch(/\[2\/2\] street: 8 frames in/);
    const metrics = JSON.parse(r.stdout) as Record<string, Record<string, number>>;
    expect(Object.keys(metrics)).toEqual(['COMBINED_SEQ', 'car1', 'street']);

    // The same by hand: track each video, evaluate the folder.
    const byHand = tmp('mmtrack-track-');
    for (const seq of ['car1', 'street']) {
      const t = mmtrack(['track', 'configs/mot/default.py', '--input', join(prefix, seq, 'img1'), '--out', byHand]);
      expect(t.status, t.stderr).toBe(0);
      // track names the result after the input (img1): rename to the sequence.
      writeFileSync(join(byHand, `${seq}.txt`), readFileSync(join(byHand, 'img1.txt')));
      rmSync(join(byHand, 'img1.txt'));
      expect(readFileSync(join(out, `${seq}.txt`), 'utf8')).toBe(readFileSync(join(byHand, `${seq}.txt`), 'utf8'));
    }
    const e = mmtrack(['eval', 'mot', '--gt', root, '--results', byHand]);
    expect(e.status, e.stderr).toBe(0);
    expect(r.stdout).toBe(e.stdout);
    expect(metrics.COMBINED_SEQ!.HOTA).toBeGreaterThan(0);

    // --resume runs nothing when every result is there; --metrics narrows the table; the temporaries are gone.
    const again = mmtrack(['test', 'configs/mot/default.py', '--out', out, '--resume', '--metrics', 'Identity', '--cfg-options', ...data]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/--resume: 2 of 2 videos already have results/);
    expect(Object.keys((JSON.parse(again.stdout) as Record<string, object>).COMBINED_SEQ!)).toEqual(['IDF1', 'IDP', 'IDR']);
    expect(readdirSync(out).sort()).toEqual(['car1.txt', 'street.txt']);
    rmSync(join(out, 'car1.txt'));
    const formatOnly = mmtrack(['test', 'configs/mot/default.py', '--out', out, '--resume', '--format-only', '--cfg-options', ...data]);
    expect(formatOnly.status, formatOnly.stderr).toBe(0);
    expect(formatOnly.stdout).toBe('');
    expect(formatOnly.stderr).toMatch(/\[1\/1\] car1: 5 frames/);
    expect(existsSync(join(out, 'car1.txt'))).toBe(true);
  });

  it('SOT: the default config over a LaSOT-style folder (first box initialises; visibility flags) equals track + eval sot', () => {
    const root = makeSotDataset(tmp('mmtrack-sotds-'), [{ first: 0, count: 8 }, { first: 10, count: 6 }]);
    const out = tmp('mmtrack-test-');
    const r = mmtrack(['test', 'configs/sot/default.py', '--out', out, '--cfg-options', `data.test.img_prefix=${root}`, 'data.test.ann_file=None']);
    expect(r.status, r.stderr).toBe(0);
    const byHand = tmp('mmtrack-track-');
    for (const seq of ['car-1', 'car-2']) {
      const t = mmtrack(['track', 'configs/sot/default.py', '--input', join(root, seq, 'img'), '--gt-bbox-file', join(root, seq, 'groundtruth.txt'), '--out', join(byHand, `${seq}.txt`)]);
      expect(t.status, t.stderr).toBe(0);
      expect(readFileSync(join(out, `${seq}.txt`), 'utf8')).toBe(readFileSync(join(byHand, `${seq}.txt`), 'utf8'));
    }
    const e = mmtrack(['eval', 'sot', '--gt', root, '--results', byHand]);
    expect(e.status, e.stderr).toBe(0);
    expect(r.stdout).toBe(e.stdout);
    expect(Object.keys(JSON.parse(r.stdout) as object)).toEqual(['OVERALL', 'car-1', 'car-2']);

    // MMTracking 0.14's lasot_test_infos.txt lists the same videos (first line a comment).
    writeFileSync(join(root, 'infos.txt'), 'video_path,ann_path,start_frame_id,end_frame_id\ncar-1/img,car-1/groundtruth.txt,1,8\ncar-2/img,car-2/groundtruth.txt,1,6\n');
    const viaInfos = mmtrack(['test', 'configs/sot/default.py', '--out', out, '--resume', '--cfg-options', `data.test.img_prefix=${root}`, `data.test.ann_file=${join(root, 'infos.txt')}`]);
    expect(viaInfos.status, viaInfos.stderr).toBe(0);
    expect(viaInfos.stdout).toBe(r.stdout);
  });

  it('VIS: the default config over a YouTube-VIS dataset equals track on each video + eval vis on the joined results', () => {
    const { annFile, cocoVidFile, imgPrefix } = makeVisDataset(tmp('mmtrack-visds-'));
    const out = tmp('mmtrack-test-');
    const r = mmtrack(['test', 'configs/vis/default.py', '--out', out, '--cfg-options', `data.test.ann_file=${annFile}`, `data.test.img_prefix=${imgPrefix}`]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['street-head.json', 'street.json']);
    const byHand = tmp('mmtrack-track-');
    const joined: Array<{ video_id: number }> = [];
    for (const [videoId, name] of [[1, 'street'], [2, 'street-head']] as const) {
      const file = join(byHand, `${name}.json`);
      const t = mmtrack(['track', 'configs/vis/default.py', '--input', join(imgPrefix, name), '--out', file]);
      expect(t.status, t.stderr).toBe(0);
      // track writes video_id 1; test writes the ann_file's id.
      const entries = (JSON.parse(readFileSync(file, 'utf8')) as Array<{ video_id: number }>).map((e) => ({ ...e, video_id: videoId }));
      expect(JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8'))).toEqual(entries);
      joined.push(...entries);
    }
    writeFileSync(join(byHand, 'all.json'), JSON.stringify(joined));
    const e = mmtrack(['eval', 'vis', '--ann', annFile, '--results', join(byHand, 'all.json')]);
    expect(e.status, e.stderr).toBe(0);
    expect(r.stdout).toBe(e.stdout);
    expect(Object.keys(JSON.parse(r.stdout) as object)).toContain('segm_mAP');
    // MMTracking's own form of the annotations (youtubevis2coco.py) reads as the same dataset and scores the same.
    const viaCocoVid = mmtrack(['test', 'configs/vis/default.py', '--out', out, '--resume', '--cfg-options', `data.test.ann_file=${cocoVidFile}`, `data.test.img_prefix=${imgPrefix}`]);
    expect(viaCocoVid.status, viaCocoVid.stderr).toBe(0);
    expect(viaCocoVid.stderr).toMatch(/--resume: 2 of 2 videos already have results/);
    expect(viaCocoVid.stdout).toBe(r.stdout);
  });

  it('VID: the default config (DFF) over a CocoVID dataset equals detect on each video + eval vid on the joined results, under the ann_file image ids', () => {
    const { annFile, imgPrefix, imageIds } = makeVidDataset(tmp('mmtrack-vidds-'));
    const out = tmp('mmtrack-test-');
    const r = mmtrack(['test', 'configs/vid/default.py', '--out', out, '--cfg-options', `data.test.ann_file=${annFile}`, `data.test.img_prefix=${imgPrefix}`]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['street-head.json', 'street.json']);
    const byHand = tmp('mmtrack-detect-');
    const joined: Array<{ image_id: number; category_id: number }> = [];
    for (const name of ['street', 'street-head']) {
      const file = join(byHand, `${name}.json`);
      const d = mmtrack(['detect', 'configs/vid/default.py', '--input', join(imgPrefix, name), '--out', file]);
      expect(d.status, d.stderr).toBe(0);
      // detect numbers images by frame (1-based); test writes the ann_file's ids.
      const entries = (JSON.parse(readFileSync(file, 'utf8')) as Array<{ image_id: number; category_id: number }>).map((e) => ({ ...e, image_id: imageIds[name]![e.image_id - 1]! }));
      expect(entries.length).toBeGreaterThan(0);
      expect(JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8'))).toEqual(entries);
      joined.push(...entries);
    }
    writeFileSync(join(byHand, 'all.json'), JSON.stringify(joined));
    const e = mmtrack(['eval', 'vid', '--ann', annFile, '--results', join(byHand, 'all.json')]);
    expect(e.status, e.stderr).toBe(0);
    expect(r.stdout).toBe(e.stdout);
    // The ann_file knows only people: COCO's other classes are named as counting for nothing.
    const foreign = joined.filter((d) => d.category_id !== 1).length;
    if (foreign) expect(r.stderr).toContain(`${foreign} of ${joined.length} detections have category ids not among its categories`);
    else expect(r.stderr).not.toContain('category ids not among');
  });

  it('names what is missing or wrong: the dataset folder, the ann_file, a frame count, the family, a metric', () => {
    const root = tmp('mmtrack-motds-');
    const prefix = makeMotDataset(root, [{ first: 0, count: 3 }], false);
    const out = tmp('mmtrack-test-');
    const run = (...opts: string[]) => mmtrack(['test', 'configs/mot/default.py', '--out', out, '--cfg-options', ...opts]);
    const noData = run(`data.test.img_prefix=${join(root, 'nope')}`, 'data.test.ann_file=None');
    expect(noData.status).toBe(2);
    expect(noData.stderr).toBe(`mmtrack test: ${join(root, 'nope')}: data.test.img_prefix of MOTChallengeDataset: no such folder\n`);
    const noAnn = run(`data.test.img_prefix=${prefix}`);
    expect(noAnn.status).toBe(2);
    expect(noAnn.stderr).toMatch(/^mmtrack test: data\/MOT17\/annotations\/train_cocoformat\.json: data\.test\.ann_file of MOTChallengeDataset: no such file \(data\.test\.ann_file=None reads/);
    writeFileSync(join(prefix, 'car1/seqinfo.ini'), readFileSync(join(prefix, 'car1/seqinfo.ini'), 'utf8').replace('seqLength=3', 'seqLength=4'));
    const count = run(`data.test.img_prefix=${prefix}`, 'data.test.ann_file=None');
    expect(count.status).toBe(2);
    expect(count.stderr).toContain(`${join(prefix, 'car1/img1')}: 3 frames, but the dataset declares 4 for car1`);
    const family = mmtrack(['test', 'configs/sot/default.py', '--out', out, '--cfg-options', `data.test.img_prefix=${prefix}`, 'data.test.ann_file=None', 'data.test.type=MOTChallengeDataset']);
    expect(family.stderr).toBe('mmtrack test: configs/sot/default.py: model.type SiamFC is SOT, but data.test.type MOTChallengeDataset is a MOT dataset\n');
    const metric = run(`data.test.img_prefix=${prefix}`, 'data.test.ann_file=None', 'evaluation.metric=[HOTA,segm]');
    expect(metric.stderr).toBe("mmtrack test: metric 'segm' is not one of MOT's: HOTA, CLEAR, Identity, track\n");
    for (const r of [noData, noAnn, count, family, metric]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
