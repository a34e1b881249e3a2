import { describe, expect, it } from 'vitest';
import { readMotVideoGt } from './mot-video-gt.ts';

const video = { name: 'walk.mp4', frameCount: 3 };

describe('readMotVideoGt', () => {
  it('reads gt.txt with its seqinfo.ini, and widens a seqLength shorter than the video (reported)', () => {
    const files = { 'walk/gt/gt.txt': '1,1,10,10,20,40,1,1,1\n2,1,12,10,20,40,1,1,0.5\n', 'walk/seqinfo.ini': '[Sequence]\nname=walk\nseqLength=2\n' };
    const gt = readMotVideoGt(files, video, ['person']);
    expect(gt.label).toBe('gt.txt');
    expect(gt.gt.count).toBe(2);
    expect(gt.seqLength).toBe(3);
    expect(gt.warnings.map((w) => w.message)).toEqual(['seqLength 2 but the video has 3 frames']);
    // Without seqinfo.ini the video's frame count is the sequence length.
    expect(readMotVideoGt({ 'gt.txt': files['walk/gt/gt.txt'] }, video, null).seqLength).toBe(3);
  });

  it('reads a CocoVID file: the video of the same name, frame_id + 1, tracked classes counted, others and crowds ignored', () => {
    const ann = {
      videos: [{ id: 1, name: 'other' }, { id: 2, name: 'walk' }],
      images: [
        { id: 10, video_id: 1, frame_id: 0 },
        { id: 20, video_id: 2, frame_id: 0 },
        { id: 21, video_id: 2, frame_id: 1 },
        { id: 22, video_id: 2, frame_id: 2 },
      ],
      annotations: [
        { id: 1, image_id: 10, category_id: 1, instance_id: 9, bbox: [0, 0, 5, 5], area: 25, iscrowd: 0 },
        { id: 2, image_id: 21, category_id: 1, instance_id: 4, bbox: [1, 2, 3, 4], area: 12, iscrowd: 0 },
        { id: 3, image_id: 20, category_id: 1, instance_id: 4, bbox: [0, 2, 3, 4], area: 12, iscrowd: 0 },
        { id: 4, image_id: 20, category_id: 3, instance_id: 5, bbox: [50, 50, 30, 20], area: 600, iscrowd: 0 },
        { id: 5, image_id: 22, category_id: 1, instance_id: 6, bbox: [70, 0, 30, 30], area: 900, iscrowd: 1 },
      ],
      categories: [{ id: 1, name: 'person' }, { id: 3, name: 'car' }],
    };
    const gt = readMotVideoGt({ 'ann.json': JSON.stringify(ann) }, video, ['person']);
    expect(gt.label).toBe('ann.json: video walk');
    expect(gt.seqLength).toBe(3);
    expect(Array.from(gt.gt.frame)).toEqual([1, 1, 2, 3]);
    expect(Array.from(gt.gt.id)).toEqual([4, 5, 4, 6]);
    expect(Array.from(gt.gt.conf)).toEqual([1, 0, 1, 0]);
    expect(Array.from(gt.gt.boxes.subarray(0, 4))).toEqual([0, 2, 3, 4]);
    expect(gt.warnings).toEqual([]);
  });

  it('says what is wrong: no video of that name, no tracked category, nothing usable', () => {
    const ann = (name: string, cat: string) => JSON.stringify({ videos: [{ id: 1, name }, { id: 2, name: 'b' }], images: [{ id: 1, video_id: 1, frame_id: 0 }], annotations: [], categories: [{ id: 1, name: cat }] });
    expect(() => readMotVideoGt({ 'a.json': ann('x', 'person') }, video, ['person'])).toThrow(/a\.json: videos: none of its 2 videos is named like walk\.mp4 \(x, b\)/);
    expect(() => readMotVideoGt({ 'a.json': ann('walk', 'dog') }, video, ['person'])).toThrow(/none of its categories \(dog\) is a tracked class \(person\)/);
    expect(() => readMotVideoGt({ 'notes.md': 'hi' }, video, null)).toThrow(/expected a MOTChallenge gt\.txt/);
  });
});
