import { describe, expect, it } from 'vitest';
import type { ConfigDict } from '../config/config-value.ts';
import { memoryFileSource } from './file-source.ts';
import { readTestSet } from './test-set.ts';

const seqinfo = (n: number) => `[Sequence]\nname=x\nimDir=img1\nseqLength=${n}\n`;
const cfg = (test: Record<string, unknown>): ConfigDict => ({ data: { test } }) as unknown as ConfigDict;

describe('readTestSet', () => {
  const mot = memoryFileSource({
    'd/train/S1/seqinfo.ini': seqinfo(2),
    'd/train/S1/img1/000001.jpg': '',
    'd/train/S1/img1/000002.jpg': '',
    'd/train/S2/seqinfo.ini': seqinfo(1),
    'd/train/S2/img1/000001.jpg': '',
    'd/train/notes/readme.txt': '',
    'd/ann.json': JSON.stringify({
      videos: [{ id: 1, name: 'S2' }, { id: 2, name: 'S1' }],
      images: [
        { id: 1, video_id: 1, frame_id: 0, file_name: 'S2/img1/000001.jpg' },
        { id: 2, video_id: 2, frame_id: 0, file_name: 'S1/img1/000001.jpg' },
        { id: 3, video_id: 2, frame_id: 1, file_name: 'S1/img1/000002.jpg' },
      ],
      annotations: [],
      categories: [{ id: 1, name: 'pedestrian' }],
    }),
  });

  it("MOTChallengeDataset: MMTracking's CocoVID ann_file in its order, or the seqinfo folders by name", async () => {
    const viaAnn = await readTestSet(cfg({ type: 'MOTChallengeDataset', ann_file: 'd/ann.json', img_prefix: 'd/train' }), 'c.py', mot);
    expect(viaAnn.family).toBe('mot');
    expect(viaAnn.videos).toEqual([
      { name: 'S2', frames: 'd/train/S2/img1', frameCount: 1, gt: 'd/train/S2/gt/gt.txt', seqInfo: 'd/train/S2/seqinfo.ini', result: 'S2.txt' },
      { name: 'S1', frames: 'd/train/S1/img1', frameCount: 2, gt: 'd/train/S1/gt/gt.txt', seqInfo: 'd/train/S1/seqinfo.ini', result: 'S1.txt' },
    ]);
    const viaFolders = await readTestSet(cfg({ type: 'MOTChallengeDataset', ann_file: null, img_prefix: 'd/train' }), 'c.py', mot);
    expect(viaFolders.videos.map((v) => v.name)).toEqual(['S1', 'S2']);
  });

  it('LaSOTDataset: the 0.14 infos file (first line a comment) or the groundtruth.txt folders', async () => {
    const sot = memoryFileSource({
      'l/cat/cat-1/img/00000001.jpg': '',
      'l/cat/cat-1/groundtruth.txt': '1,2,3,4\n1,2,3,4\n',
      'l/infos.txt': 'video_path,ann_path,start_frame_id,end_frame_id\ncat/cat-1/img,cat/cat-1/groundtruth.txt,1,2\n',
      'f/a/groundtruth.txt': '1,1,2,2\n',
      'f/a/0001.jpg': '',
    });
    const infos = await readTestSet(cfg({ type: 'LaSOTDataset', ann_file: 'l/infos.txt', img_prefix: 'l' }), 'c.py', sot);
    expect(infos.videos).toEqual([{ name: 'cat-1', frames: 'l/cat/cat-1/img', frameCount: 2, gt: 'l/cat/cat-1/groundtruth.txt', result: 'cat-1.txt' }]);
    const folders = await readTestSet(cfg({ type: 'LaSOTDataset', img_prefix: 'f' }), 'c.py', sot);
    expect(folders.videos).toEqual([{ name: 'a', frames: 'f/a', frameCount: 1, gt: 'f/a/groundtruth.txt', result: 'a.txt' }]);
    await expect(readTestSet(cfg({ type: 'LaSOTDataset', ann_file: 'l/infos.txt', img_prefix: 'f' }), 'c.py', sot)).rejects.toThrow('f/cat/cat-1/img: the frames of sequence cat-1 are not there (from l/infos.txt)');
  });

  it('ImageNet VID (CocoVID) and YouTube-VIS: one folder per video, frames in frame order, the ann ids kept', async () => {
    const image = (id: number, video_id: number, frame_id: number, file_name: string) => ({ id, video_id, frame_id, file_name });
    const vidAnn = (images: unknown[]) => JSON.stringify({ videos: [{ id: 7, name: 'v' }], images, annotations: [], categories: [] });
    const files = { 'V/a/000000.JPEG': '', 'V/a/000001.JPEG': '' };
    const ok = memoryFileSource({ ...files, 'ann.json': vidAnn([image(31, 7, 1, 'a/000001.JPEG'), image(30, 7, 0, 'a/000000.JPEG')]) });
    const vid = await readTestSet(cfg({ type: 'ImagenetVIDDataset', ann_file: 'ann.json', img_prefix: 'V' }), 'c.py', ok);
    expect(vid.family).toBe('vid');
    expect(vid.videos).toEqual([{ name: 'a', frames: 'V/a', frameCount: 2, gt: 'ann.json', videoId: 7, imageIds: [30, 31], result: 'a.json' }]);
    const gap = memoryFileSource({ ...files, 'ann.json': vidAnn([image(30, 7, 0, 'a/000000.JPEG'), image(31, 7, 2, 'a/000001.JPEG')]) });
    await expect(readTestSet(cfg({ type: 'ImagenetVIDDataset', ann_file: 'ann.json', img_prefix: 'V' }), 'c.py', gap)).rejects.toThrow('ann.json: video v: frame_id must run 0, 1, 2, ... over its images');
    const order = memoryFileSource({ ...files, 'ann.json': vidAnn([image(30, 7, 0, 'a/000001.JPEG'), image(31, 7, 1, 'a/000000.JPEG')]) });
    await expect(readTestSet(cfg({ type: 'ImagenetVIDDataset', ann_file: 'ann.json', img_prefix: 'V' }), 'c.py', order)).rejects.toThrow("ann.json: video v: its frames' file names are not in frame order");
    await expect(readTestSet(cfg({ type: 'CocoVideoDataset', ann_file: null, img_prefix: 'V' }), 'c.py', ok)).rejects.toThrow('c.py: data.test.ann_file of CocoVideoDataset must name its CocoVID JSON');

    const ytvis = (file_names: string[]) => JSON.stringify({ videos: [{ id: 3, width: 4, height: 4, length: file_names.length, file_names }], annotations: [], categories: [{ id: 1, name: 'person' }] });
    const vis = await readTestSet(cfg({ type: 'YouTubeVISDataset', ann_file: 'y.json', img_prefix: 'V' }), 'c.py', memoryFileSource({ ...files, 'y.json': ytvis(['a/000000.JPEG', 'a/000001.JPEG']) }));
    expect(vis.videos).toEqual([{ name: 'a', frames: 'V/a', frameCount: 2, gt: 'y.json', videoId: 3, result: 'a.json' }]);
    const split = memoryFileSource({ ...files, 'V/b/000002.JPEG': '', 'y.json': ytvis(['a/000000.JPEG', 'b/000002.JPEG']) });
    await expect(readTestSet(cfg({ type: 'YouTubeVISDataset', ann_file: 'y.json', img_prefix: 'V' }), 'c.py', split)).rejects.toThrow('y.json: video 3: its frames lie in 2 folders');
    const missing = memoryFileSource({ 'y.json': ytvis(['z/000000.JPEG']), 'V/x': '' });
    await expect(readTestSet(cfg({ type: 'YouTubeVISDataset', ann_file: 'y.json', img_prefix: 'V' }), 'c.py', missing)).rejects.toThrow('V/z: the frames of video 3 are not there (from y.json)');
  });

  it('names the problem: no data.test, an unknown type, a missing folder or file, a seqLength the images disagree with', async () => {
    await expect(readTestSet({}, 'c.py', mot)).rejects.toThrow(/^c\.py: has no data\.test/);
    await expect(readTestSet(cfg({ type: 'CocoDataset', img_prefix: 'd' }), 'c.py', mot)).rejects.toThrow("c.py: data.test.type 'CocoDataset' is not one mmtrack test reads");
    await expect(readTestSet(cfg({ type: 'MOTChallengeDataset', img_prefix: 'nope' }), 'c.py', mot)).rejects.toThrow('nope: data.test.img_prefix of MOTChallengeDataset: no such folder');
    await expect(readTestSet(cfg({ type: 'MOTChallengeDataset', ann_file: 'd/x.json', img_prefix: 'd/train' }), 'c.py', mot)).rejects.toThrow('d/x.json: data.test.ann_file of MOTChallengeDataset: no such file');
    const wrong = memoryFileSource({ 'd/train/S1/seqinfo.ini': seqinfo(5), 'd/train/S1/img1/000001.jpg': '', 'd/ann.json': JSON.stringify({ videos: [{ id: 1, name: 'S1' }], images: [{ id: 1, video_id: 1, file_name: 'S1/img1/000001.jpg' }], annotations: [], categories: [] }) });
    await expect(readTestSet(cfg({ type: 'MOTChallengeDataset', ann_file: 'd/ann.json', img_prefix: 'd/train' }), 'c.py', wrong)).rejects.toThrow('d/ann.json: video S1: 1 images, but d/train/S1/seqinfo.ini says seqLength=5');
  });
});
