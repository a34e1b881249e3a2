import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCocoResults, parseCocoVid, type CocoVidDataset } from '../datasets/coco-vid.ts';
import { parseYtvis, parseYtvisResults, type YtvisResult } from '../datasets/youtube-vis.ts';
import { evalCocoBbox } from './coco-bbox.ts';
import { evalYtvis } from './ytvis-eval.ts';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const shared = (p: string): string => path.resolve(repoRoot, '../shared', p);

/** Every numeric field of an expected.json within 1e-6 (the `source` note is text). */
function expectMetricsClose(actual: Record<string, number>, expectedPath: string): void {
  const expected = JSON.parse(readFileSync(shared(expectedPath), 'utf8')) as Record<string, unknown>;
  let compared = 0;
  for (const [k, v] of Object.entries(expected)) {
    if (typeof v === 'string') continue;
    expect(typeof v, k).toBe('number');
    expect(actual[k], k).toBeTypeOf('number');
    expect(Math.abs(actual[k]! - (v as number)), `${k}: ${actual[k]} vs ${String(v)}`).toBeLessThan(1e-6);
    compared++;
  }
  expect(compared).toBeGreaterThanOrEqual(6);
}

describe('COCO bbox mAP (pycocotools COCOeval)', () => {
  it('matches every field of ../shared/eval/vid/expected.json', () => {
    const ds = parseCocoVid(readFileSync(shared('eval/vid/ann.json'), 'utf8'), 'ann.json');
    const res = parseCocoResults(readFileSync(shared('eval/vid/results.json'), 'utf8'), 'results.json');
    expect(ds.warnings.concat(res.warnings)).toEqual([]);
    expectMetricsClose(evalCocoBbox(ds.value, res.value).metrics, 'eval/vid/expected.json');
  });

  const ds: CocoVidDataset = {
    videos: [],
    images: [{ id: 1 }, { id: 2 }],
    categories: [{ id: 1, name: 'a' }],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 50, 50], area: 2500, iscrowd: 0 },
      { id: 2, image_id: 1, category_id: 1, bbox: [200, 200, 100, 100], area: 10000, iscrowd: 1 },
      { id: 3, image_id: 2, category_id: 1, bbox: [0, 0, 20, 20], area: 400, iscrowd: 0 },
    ],
  };

  it('empty results score 0, area ranges without gt score -1', () => {
    const m = evalCocoBbox(ds, []).metrics;
    expect(m).toMatchObject({ bbox_mAP: 0, bbox_mAP_50: 0, bbox_mAP_s: 0, bbox_mAP_m: 0, bbox_mAP_l: -1, 'bbox_AR@100': 0 });
  });

  it('a detection on a crowd region is ignored, not a false positive', () => {
    const dets = [
      { image_id: 1, category_id: 1, bbox: [0, 0, 50, 50] as [number, number, number, number], score: 0.9 },
      { image_id: 1, category_id: 1, bbox: [210, 210, 50, 50] as [number, number, number, number], score: 0.95 },
      { image_id: 2, category_id: 1, bbox: [0, 0, 20, 20] as [number, number, number, number], score: 0.5 },
    ];
    expect(evalCocoBbox(ds, dets).metrics.bbox_mAP).toBeCloseTo(1, 12);
    // The same box without the crowd flag is a FP ranked first: precision 1/2, 2/3 at recall 0.5, 1.
    const noCrowd = { ...ds, annotations: ds.annotations.map((a) => ({ ...a, iscrowd: 0 })) };
    expect(evalCocoBbox(noCrowd, dets.slice(0, 2).concat([])).metrics.bbox_mAP_50).toBeLessThan(1);
  });

  it('restricts to some images (one video)', () => {
    const dets = [{ image_id: 2, category_id: 1, bbox: [0, 0, 20, 20] as [number, number, number, number], score: 0.5 }];
    expect(evalCocoBbox(ds, dets, { imageIds: [2] }).metrics.bbox_mAP).toBeCloseTo(1, 12);
    // All images: recall reaches 0.5 at precision 1, so 51 of the 101 recall points have precision 1.
    expect(evalCocoBbox(ds, dets).metrics.bbox_mAP).toBeCloseTo(51 / 101, 12);
  });
});

describe('YouTube-VIS video mask AP (MMTracking YTVISeval)', () => {
  it('matches every field of ../shared/eval/vis/expected.json', () => {
    const ds = parseYtvis(readFileSync(shared('eval/vis/ann.json'), 'utf8'), 'ann.json');
    const res = parseYtvisResults(readFileSync(shared('eval/vis/results.json'), 'utf8'), 'results.json', ds.value.videos);
    expect(ds.warnings.concat(res.warnings)).toEqual([]);
    expectMetricsClose(evalYtvis(ds.value, res.value).metrics, 'eval/vis/expected.json');
  });

  it('gt tracks returned as results score 1; no results score 0', () => {
    const ds = parseYtvis(readFileSync(shared('eval/vis/ann.json'), 'utf8'), 'ann.json').value;
    const perfect: YtvisResult[] = ds.tracks.map((t) => ({ video_id: t.video_id, category_id: t.category_id, score: 1, masks: t.masks, areas: t.areas }));
    expect(evalYtvis(ds, perfect).metrics.segm_mAP).toBeCloseTo(1, 12);
    expect(evalYtvis(ds, []).metrics.segm_mAP).toBe(0);
  });
});
