// `mmtrack track` with a VIS config, through the real CLI (bin/mmtrack, ffmpeg decode, ONNX on the wasm EP): the
// MaskTrack R-CNN fixture's parts (--model-dir) on its clip as an image folder give MMTracking's instances, masks and
// ids (scripts/fixtures/make_masktrack_rcnn_fixture.py), as YouTube-VIS results that `mmtrack eval vis` scores 1.0
// against themselves, plus per-instance PNGs and the annotated MP4.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeColumnMajor, rleFromString } from '../../core/datasets/rle.ts';
import type { YtvisResultJson } from '../../core/datasets/ytvis-results.ts';
import { readVisFixture, VIS_FIXTURE_DIR } from '../../runtime/vis/masktrack-rcnn-fixture.node.ts';

const repo = resolve(import.meta.dirname, '../../..');
const fixtureDir = VIS_FIXTURE_DIR.pathname;
const fixture = readVisFixture();

function mmtrack(args: string[]) {
  return spawnSync(join(repo, 'bin/mmtrack'), args, { cwd: repo, encoding: 'utf8' });
}

/** Column-major 0/1 pixels of COCO run lengths. */
function expand(counts: readonly number[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let p = 0;
  counts.forEach((c, k) => {
    if (k % 2 === 1) out.fill(1, p, p + c);
    p += c;
  });
  return out;
}

describe('mmtrack track (VIS)', () => {
  it('MaskTrack R-CNN from the fixture parts: MMTracking’s instances and masks; eval vis of the results against themselves is 1.0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtrack-vis-'));
    const frames = join(dir, 'clip');
    const { width: w, height: h } = fixture.frames[0]!;
    mkdirSync(frames);
    for (const f of fixture.frames) {
      const png = join(frames, `${String(f.frame_id).padStart(4, '0')}.png`);
      expect(spawnSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${w}x${h}`, '-i', '-', png], { input: Buffer.from(f.rgb_base64, 'base64') }).status).toBe(0);
    }
    const out = join(dir, 'results.json');
    const r = mmtrack(['track', join(fixtureDir, 'masktrack_rcnn_tiny.py'), '--input', frames, '--out', out, '--png-dir', join(dir, 'png'), '--output-video', join(dir, 'vis.mp4'), '--model-dir', fixtureDir]);
    expect(r.stderr).toMatch(/results\.json: \d+ instances over 8 frames of clip \(MaskTrackRCNN\); \d+ mask PNGs/);
    expect(r.status).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as YtvisResultJson[];
    // One entry per id the fixture's tracker gave, in order of first appearance; each present exactly where it is.
    const firstSeen: number[] = [];
    for (const f of fixture.frames) for (const id of f.ids) if (id >= 0 && !firstSeen.includes(id)) firstSeen.push(id);
    expect(results.length).toBe(firstSeen.length);
    const problems: string[] = [];
    firstSeen.forEach((id, k) => {
      const e = results[k]!;
      fixture.frames.forEach((f, t) => {
        const j = f.ids.lastIndexOf(id);
        const s = e.segmentations[t];
        if ((j >= 0) !== (s !== null)) return problems.push(`id ${id}, frame ${t}: ${s ? 'a mask' : 'no mask'}`);
        if (j < 0 || !s) return;
        const ours = decodeColumnMajor(rleFromString(s.counts, h, w));
        const ref = expand(f.masks[j]!, w * h);
        const near = new Set(f.near_threshold.filter(([d]) => d === j).map(([, y, x]) => x * h + y));
        const bad = ours.findIndex((v, p) => v !== ref[p] && !near.has(p));
        if (bad >= 0) problems.push(`id ${id}, frame ${t}: mask differs at column-major pixel ${bad}`);
      });
    });
    expect(problems).toEqual([]);
    // PNGs: one per kept detection per frame, by id; ffmpeg reads them at frame size.
    const pngIds = readdirSync(join(dir, 'png')).map(Number).sort((a, b) => a - b);
    expect(pngIds).toEqual([...firstSeen].sort((a, b) => a - b));
    const png = join(dir, 'png', String(firstSeen[0]), readdirSync(join(dir, 'png', String(firstSeen[0])))[0]!);
    const gray = spawnSync('ffmpeg', ['-v', 'error', '-i', png, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 1 << 22 });
    expect(gray.stdout.length).toBe(w * h);
    // The MP4 has every frame.
    const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', join(dir, 'vis.mp4')], { encoding: 'utf8' });
    expect(probe.stdout.trim()).toBe('8');
    // The results as ground truth: every instance found, AP 1.0.
    const gt = {
      videos: [{ id: 1, width: w, height: h, length: 8 }],
      categories: [1, 2, 3].map((id) => ({ id, name: `c${id}` })),
      annotations: results.map((e, i) => ({ id: i + 1, video_id: 1, category_id: e.category_id, iscrowd: 0, segmentations: e.segmentations, areas: e.segmentations.map((s) => (s ? decodeColumnMajor(rleFromString(s.counts, h, w)).reduce((a, b) => a + b, 0) : null)) })),
    };
    writeFileSync(join(dir, 'gt.json'), JSON.stringify(gt));
    const ev = mmtrack(['eval', 'vis', '--ann', join(dir, 'gt.json'), '--results', out]);
    expect(ev.status).toBe(0);
    expect((JSON.parse(ev.stdout) as Record<string, number>).segm_mAP).toBe(1);
  });

  it('the default (person-mask demo) on the street clip: masked, tracked people on every frame; eval vis against itself 1.0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtrack-vis-default-'));
    const out = join(dir, 'r.json');
    const r = mmtrack(['track', 'configs/vis/default.py', '--input', resolve(repo, '../shared/media/street-540p-h264.mp4'), '--out', out]);
    expect(r.stderr).toMatch(/r\.json: \d+ instances over 8 frames of street-540p-h264\.mp4 \(PersonMaskDemo\)/);
    expect(r.status).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as YtvisResultJson[];
    const [w, h] = [960, 540];
    const area = (s: YtvisResultJson['segmentations'][number]) => (s ? decodeColumnMajor(rleFromString(s.counts, h, w)).reduce((a, b) => a + b, 0) : 0);
    // People only (COCO person = category 1); every frame has several people with a non-empty mask.
    expect(new Set(results.map((e) => e.category_id))).toEqual(new Set([1]));
    for (let t = 0; t < 8; t++) expect(results.filter((e) => area(e.segmentations[t]!) > 50).length).toBeGreaterThanOrEqual(5);
    // Ids persist: most instances are present on most frames.
    expect(results.filter((e) => e.segmentations.filter(Boolean).length >= 6).length).toBeGreaterThanOrEqual(5);
    const gt = {
      videos: [{ id: 1, width: w, height: h, length: 8 }],
      categories: [{ id: 1, name: 'person' }],
      annotations: results.map((e, i) => ({ id: i + 1, video_id: 1, category_id: 1, iscrowd: 0, segmentations: e.segmentations, areas: e.segmentations.map((s) => (s ? area(s) : null)) })),
    };
    writeFileSync(join(dir, 'gt.json'), JSON.stringify(gt));
    const ev = mmtrack(['eval', 'vis', '--ann', join(dir, 'gt.json'), '--results', out]);
    expect(ev.status).toBe(0);
    expect((JSON.parse(ev.stdout) as Record<string, number>).segm_mAP).toBe(1);
  });
});
