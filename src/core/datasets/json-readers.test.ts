import { describe, expect, it } from 'vitest';
import { parseCocoResults, parseCocoVid } from './coco-vid.ts';
import { DatasetError, formatIssue } from './issues.ts';
import { parseYtvis, parseYtvisResults } from './youtube-vis.ts';

const vid = {
  videos: [{ id: 1, name: 'v' }],
  images: [
    { id: 1, video_id: 1, frame_id: 0, width: 100, height: 100 },
    { id: 2, video_id: 1, frame_id: 1, width: 100, height: 100 },
  ],
  categories: [{ id: 1, name: 'car' }],
  annotations: [
    { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], area: 100, iscrowd: 0, instance_id: 7 },
    { id: 2, image_id: 9, category_id: 1, bbox: [0, 0, 10, 10], area: 100, iscrowd: 0 },
    { id: 3, image_id: 2, category_id: 1, bbox: [0, 0, 10], area: 100, iscrowd: 0 },
    { id: 4, image_id: 2, category_id: 1, bbox: [1, 1, 10, 10], iscrowd: 1 },
  ],
};

describe('CocoVID / COCO results', () => {
  it('reads annotations and reports bad ones by JSON path', () => {
    const r = parseCocoVid(JSON.stringify(vid), 'ann.json');
    expect(r.value.annotations.map((a) => a.id)).toEqual([1, 4]);
    expect(r.value.annotations[1]).toMatchObject({ area: 100, iscrowd: 1 });
    expect(r.value.annotations[0]?.instance_id).toBe(7);
    expect(r.warnings.map(formatIssue)).toEqual([
      'ann.json: annotations[1]: image_id 9 is not in images',
      "ann.json: annotations[2]: 'bbox' must be [x, y, w, h] of finite numbers, got [0,0,10]",
      "ann.json: annotations[3]: no 'area'; using bbox w*h",
    ]);
  });

  it('fails clearly on broken JSON and missing lists', () => {
    expect(() => parseCocoVid('{"images": [\n  {"id": 1,,}]}', 'ann.json')).toThrow(/^ann\.json:2: invalid JSON/);
    expect(() => parseCocoVid('{"images": []}', 'ann.json')).toThrow(new DatasetError({ file: 'ann.json', path: 'categories', message: "missing 'categories' list" }));
    expect(() => parseCocoResults('{}', 'res.json')).toThrow('res.json: $: expected a JSON list of detections');
  });

  it('reads detections and skips malformed ones', () => {
    const r = parseCocoResults(JSON.stringify([{ image_id: 1, category_id: 1, bbox: [1, 2, 3, 4], score: 0.5 }, { image_id: 1, category_id: 1, bbox: [1, 2, 3, 4] }]), 'res.json');
    expect(r.value).toHaveLength(1);
    expect(r.warnings.map(formatIssue)).toEqual(["res.json: [1]: missing 'score'"]);
  });
});

describe('YouTube-VIS', () => {
  const ytvis = {
    videos: [{ id: 1, width: 4, height: 3, length: 2 }],
    categories: [{ id: 1, name: 'person' }],
    annotations: [
      { id: 1, video_id: 1, category_id: 1, iscrowd: 0, segmentations: [{ size: [3, 4], counts: [0, 2, 10] }, [[0, 0, 2, 0, 2, 2, 0, 2]]], areas: [2, 4] },
      { id: 2, video_id: 1, category_id: 1, iscrowd: 0, segmentations: [null, { size: [3, 4], counts: '0' + '\u007f' }], areas: [null, 1] },
    ],
  };
  it('decodes RLE and polygon masks per frame, reports bad masks by path', () => {
    const r = parseYtvis(JSON.stringify(ytvis), 'valid.json');
    expect(r.value.tracks).toHaveLength(1);
    expect(r.value.tracks[0]?.masks[0]?.counts.length).toBe(3);
    expect(r.warnings.map(formatIssue)).toEqual(["valid.json: annotations[1].segmentations[1]: RLE string has an invalid character '\u007f' at 1"]);
  });

  it('groups the CocoVID form of VIS data into tracks (MMTracking convert_vis_fmt)', () => {
    const coco = {
      videos: [{ id: 1, width: 4, height: 3 }],
      images: [
        { id: 10, video_id: 1, frame_id: 0 },
        { id: 11, video_id: 1, frame_id: 1 },
      ],
      categories: [{ id: 1, name: 'p' }],
      annotations: [{ id: 1, image_id: 11, category_id: 1, instance_id: 5, iscrowd: 0, area: 2, bbox: [0, 0, 1, 2], segmentation: { size: [3, 4], counts: [0, 2, 10] } }],
    };
    const r = parseYtvis(JSON.stringify(coco), 'coco.json');
    expect(r.warnings).toEqual([]);
    expect(r.value.tracks).toHaveLength(1);
    expect(r.value.tracks[0]).toMatchObject({ id: 5, video_id: 1, areas: [null, 2] });
    expect(r.value.tracks[0]?.masks[0]).toBeNull();
  });

  it('reads results and rejects results for unknown videos', () => {
    const videos = parseYtvis(JSON.stringify(ytvis), 'a').value.videos;
    const r = parseYtvisResults(JSON.stringify([{ video_id: 1, category_id: 1, score: 0.9, segmentations: [null, { size: [3, 4], counts: [0, 2, 10] }] }, { video_id: 3, category_id: 1, score: 1, segmentations: [] }]), 'res.json', videos);
    expect(r.value).toHaveLength(1);
    expect(r.value[0]?.areas).toEqual([null, 2]);
    expect(r.warnings.map(formatIssue)).toEqual(['res.json: [1]: video_id 3 is not in the annotation file']);
  });

  it('skips (and names) results with a mask list longer or shorter than the video, or an RLE of another size', () => {
    const videos = parseYtvis(JSON.stringify(ytvis), 'a').value.videos;
    const ok = { size: [3, 4], counts: [0, 2, 10] };
    const r = parseYtvisResults(
      JSON.stringify([
        { video_id: 1, category_id: 1, score: 0.9, segmentations: [ok, ok] },
        { video_id: 1, category_id: 1, score: 0.8, segmentations: [ok] },
        { video_id: 1, category_id: 1, score: 0.7, segmentations: [ok, ok, ok] },
        { video_id: 1, category_id: 1, score: 0.6, segmentations: [ok, { size: [6, 2], counts: [0, 12] }] },
      ]),
      'res.json',
      videos,
    );
    expect(r.value.map((x) => x.score)).toEqual([0.9]);
    expect(r.warnings.map(formatIssue)).toEqual([
      'res.json: [1].segmentations: 1 masks for video 1 of 2 frames (one per frame, null where absent)',
      'res.json: [2].segmentations: 3 masks for video 1 of 2 frames (one per frame, null where absent)',
      "res.json: [3].segmentations[1]: RLE size [6, 2] is not video 1's [3, 4]",
    ]);
  });
});

describe('JSON syntax errors', () => {
  it('point at line and column whatever the engine message says', async () => {
    const { jsonErrorOffset } = await import('./json-input.ts');
    expect(jsonErrorOffset('{"a": [1, 2,]}')).toBe(12);
    expect(jsonErrorOffset('{"a": "x\\q"}')).toBe(9);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('{"a": [true, null, -1.5e3, "\\u00e9"]}')).toBe(-1);
    expect(() => parseCocoResults('[\n {"image_id": 1,\n  "bbox": [1 2]}]', 'r.json')).toThrow('r.json:3: invalid JSON at column 14: unexpected "2"');
  });
});
