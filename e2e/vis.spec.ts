/**
 * Video instance segmentation in the app. (1) The default VIS config (the person-only demo) on street-540p: masks on
 * every frame under the tracked boxes, the opacity control, the instance list, YouTube-VIS JSON and mask PNG exports,
 * and YouTube-VIS AP of the run against its own results as ground truth (1.0). (2) A user's MaskTrack R-CNN (the tiny
 * model of src/core/models/vis/fixtures, parity-checked against a PyTorch restatement of MMTracking in the unit
 * tests) dropped into the app and run on the fixture's clip as an image folder, on the wasm and WebGPU EPs: the same
 * instances and masks as `mmtrack track` on the same images.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expectVideoShown, openFile, shared } from './helpers.ts';
import { ffmpegFrameRgb, ffprobeVideo } from './media-probe.ts';
import { decodeColumnMajor, rleFromString } from '../src/core/datasets/rle.ts';
import { expect, test } from './fixtures.ts';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const fixtures = resolve(repo, 'src/core/models/vis/fixtures');

interface ResultJson {
  video_id: number;
  score: number;
  category_id: number;
  segmentations: ({ size: [number, number]; counts: string } | null)[];
}

/** Per frame: how many kept instances have a non-empty mask, from the detect store. */
const maskedPerFrame = (page: Page) =>
  page.evaluate(() => {
    type D = { ids?: Int32Array; masks?: { counts: Uint32Array[] } };
    const s = (window as unknown as { mmtrack: { detect: { getState(): { results: Map<number, D> } } } }).mmtrack.detect.getState();
    // A mask's run lengths alternate 0s and 1s: any non-zero odd run is a set pixel.
    return [...s.results].sort((a, b) => a[0] - b[0]).map(([, d]) => d.ids?.filter((id, i) => id >= 0 && d.masks!.counts[i]!.some((c, r) => r % 2 === 1 && c > 0)).length ?? 0);
  });

/** Masks in the overlay scene of frame 0 (what the player draws). */
const sceneMasks = (page: Page) =>
  page.evaluate(() => (window as unknown as { mmtrack: { overlay: { getState(): { scenes: Map<number, { masks?: unknown[] }> } } } }).mmtrack.overlay.getState().scenes.get(0)?.masks?.length ?? 0);

async function download(page: Page, testId: string, dir: string): Promise<string> {
  const d = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByTestId(testId).click();
  const file = join(dir, (await d).suggestedFilename());
  await (await d).saveAs(file);
  return file;
}

test('default VIS (person-mask demo): masks on every frame, opacity, instances, JSON and PNG exports, AP 1.0 against itself', async ({ page }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'e2e-vis-'));
  await page.goto('/');
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  await page.getByTestId('config-select').selectOption('configs/vis/default.py');
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  await page.getByTestId('detect-all').click();
  await expect(page.getByTestId('detected-count')).toHaveText('8 of 8 frames detected', { timeout: 240_000 });
  await expect(page.getByTestId('vis-model')).toContainText('Person-only demo');
  const perFrame = await maskedPerFrame(page);
  expect(perFrame).toHaveLength(8);
  for (const n of perFrame) expect(n).toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('vis-instances-count')).toContainText('over 8 of 8 frames');
  expect(await page.getByTestId('vis-instances').locator('tbody tr').count()).toBeGreaterThanOrEqual(5);
  // A click on an instance highlights it and shows its first frame.
  await page.getByTestId('current-frame').waitFor();
  const row = page.getByTestId('vis-instances').locator('tbody tr').first();
  await row.click();
  await expect(row).toHaveClass(/selected/);
  await expect(page.getByTestId('current-frame')).toHaveText(String(Number(await row.locator('td').nth(2).textContent())));
  // The player draws the masks; opacity 0 hides them, and they come back.
  await page.getByTestId('current-frame').waitFor();
  expect(await sceneMasks(page)).toBeGreaterThanOrEqual(5);
  await page.getByTestId('mask-opacity').fill('0');
  await expect.poll(() => sceneMasks(page)).toBe(0);
  await page.getByTestId('mask-opacity').fill('0.6');
  await expect(page.getByTestId('mask-opacity-value')).toHaveText('60 %');
  await expect.poll(() => sceneMasks(page)).toBeGreaterThanOrEqual(5);
  // Exports: YouTube-VIS results (people: category 1, a mask or null per frame) and a zip of per-instance PNGs.
  const json = JSON.parse(readFileSync(await download(page, 'vis-export-json', dir), 'utf8')) as ResultJson[];
  expect(json.length).toBeGreaterThanOrEqual(5);
  for (const e of json) {
    expect(e.category_id).toBe(1);
    expect(e.segmentations).toHaveLength(8);
  }
  const zip = await download(page, 'vis-export-png', dir);
  const listed = spawnSync('python3', ['-c', 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist()))', zip], { encoding: 'utf8' });
  const names = listed.stdout.trim().split('\n');
  expect(names.length).toBe(json.reduce((n, e) => n + e.segmentations.filter(Boolean).length, 0));
  for (const n of names) expect(n).toMatch(/^\d+\/\d{6}\.png$/);
  // Evaluate in place: the run's own results as the ground truth score 1.0.
  const gt = {
    videos: [{ id: 1, width: 960, height: 540, length: 8 }],
    categories: [{ id: 1, name: 'person' }],
    annotations: json.map((e, i) => ({ id: i + 1, video_id: 1, category_id: 1, iscrowd: 0, segmentations: e.segmentations })),
  };
  writeFileSync(join(dir, 'gt.json'), JSON.stringify(gt));
  await page.getByTestId('vis-eval-input').setInputFiles(join(dir, 'gt.json'));
  await expect(page.getByTestId('vis-metric-segm_mAP')).toHaveText('1.000', { timeout: 60_000 });
  // The annotated MP4: every frame, the masks burned in (most pixels of an instance's mask change colour).
  const mp4 = await download(page, 'export-video', dir);
  expect(ffprobeVideo(mp4)).toMatchObject({ frames: 8, width: 960, height: 540 });
  const first = json.find((e) => e.segmentations[0])!.segmentations[0]!;
  const mask = decodeColumnMajor(rleFromString(first.counts, 540, 960));
  const [exported, source] = [ffmpegFrameRgb(mp4, 0, 960, 540), ffmpegFrameRgb(shared('media/street-540p-h264.mp4'), 0, 960, 540)];
  let inside = 0;
  let changed = 0;
  mask.forEach((v, k) => {
    if (!v) return;
    const o = ((k % 540) * 960 + Math.floor(k / 540)) * 3;
    inside++;
    if (Math.abs(exported[o]! - source[o]!) + Math.abs(exported[o + 1]! - source[o + 1]!) + Math.abs(exported[o + 2]! - source[o + 2]!) > 30) changed++;
  });
  expect(changed / inside).toBeGreaterThan(0.5);
  // A reload brings the run back (masks included) without running the model again.
  await page.reload();
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  await page.getByTestId('config-select').selectOption('configs/vis/default.py');
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  await page.getByTestId('detect-toggle').check();
  await expect(page.getByTestId('detected-count')).toContainText('8 of 8 frames detected (kept from', { timeout: 120_000 });
  expect(await maskedPerFrame(page)).toEqual(perFrame);
});

for (const ep of ['wasm', 'webgpu'] as const) {
  test(`a user's MaskTrack R-CNN (the fixture's parts) on the fixture's clip as an image folder, ${ep} EP: the same instances and masks as mmtrack track`, async ({ page }) => {
    test.setTimeout(300_000);
    const dir = mkdtempSync(join(tmpdir(), 'e2e-vis-mtr-'));
    // The fixture's 8 frames as PNGs (lossless: the app and ffmpeg read the same pixels).
    const fixture = JSON.parse(readFileSync(join(fixtures, 'masktrack_rcnn_tiny.json'), 'utf8')) as { frames: { frame_id: number; width: number; height: number; rgb_base64: string }[] };
    const clip = join(dir, 'clip');
    mkdirSync(clip);
    for (const f of fixture.frames) {
      const r = spawnSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${f.width}x${f.height}`, '-i', '-', join(clip, `${String(f.frame_id).padStart(4, '0')}.png`)], { input: Buffer.from(f.rgb_base64, 'base64') });
      expect(r.status).toBe(0);
    }
    const cliOut = join(dir, 'cli.json');
    // Against the wasm EP the CLI runs the same wasm build (MMTRACK_ORT=wasm), so the masks must be identical; against
    // WebGPU it runs as users run it (native ONNX Runtime).
    const cli = spawnSync(join(repo, 'bin/mmtrack'), ['track', join(fixtures, 'masktrack_rcnn_tiny.py'), '--input', clip, '--out', cliOut, '--model-dir', fixtures], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, ...(ep === 'wasm' ? { MMTRACK_ORT: 'wasm' } : {}) },
    });
    expect(cli.status, cli.stderr).toBe(0);
    await page.goto(ep === 'webgpu' ? '/?ep=webgpu' : '/');
    await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
    // The config and its _base_ (the Faster R-CNN fixture's config).
    await page.getByTestId('config-file-input').setInputFiles([join(fixtures, 'masktrack_rcnn_tiny.py'), resolve(fixtures, '../../det/fixtures/faster_rcnn_tiny.py')]);
    await expect(page.getByTestId('config-select')).toHaveValue('user/masktrack_rcnn_tiny.py', { timeout: 30_000 });
    const graphs = ['backbone', 'bbox_head', 'mask_head', 'track_head'].map((r) => `masktrack_rcnn_tiny_${r}.onnx`);
    await expect(page.getByTestId('model-files-needed')).toHaveText(`needs ${graphs.join(' + ')}`);
    await page.getByTestId('folder-input').setInputFiles(clip);
    await expectVideoShown(page, 8);
    await page.getByTestId('model-input').setInputFiles(graphs.map((g) => join(fixtures, g)));
    if (ep === 'wasm') {
      // A jump to the last frame: the tracker needs every frame before it, so they run first, in order.
      await page.getByTestId('detect-toggle').check();
      await expect(page.getByTestId('detected-count')).toHaveText('1 of 8 frames detected', { timeout: 90_000 });
      await page.keyboard.press('End');
    } else await page.getByTestId('detect-all').click();
    await expect(page.getByTestId('model-status')).toContainText(graphs.join(' + '), { timeout: 90_000 });
    // On the WebGPU EP the GPU runner (RoIAlign, mask head and paste on the GPU), on the wasm EP the CPU runner.
    await expect(page.getByTestId('execution-provider')).toContainText(ep === 'webgpu' ? 'WebGPU EP · google · swiftshader · WGSL kernels' : 'wasm EP');
    await expect(page.getByTestId('detected-count')).toHaveText('8 of 8 frames detected', { timeout: 240_000 });
    await expect(page.getByTestId('vis-model')).toHaveText('MaskTrack R-CNN');
    const ours = JSON.parse(readFileSync(await download(page, 'vis-export-json', dir), 'utf8')) as ResultJson[];
    const theirs = JSON.parse(readFileSync(cliOut, 'utf8')) as ResultJson[];
    expect(ours.map((e) => [e.category_id, e.segmentations.map((s) => s !== null)])).toEqual(theirs.map((e) => [e.category_id, e.segmentations.map((s) => s !== null)]));
    ours.forEach((e, i) => expect(Math.abs(e.score - theirs[i]!.score)).toBeLessThan(ep === 'wasm' ? 1e-6 : 1e-4));
    if (ep === 'wasm') {
      // The same code on the same wasm build: identical masks.
      expect(ours.map((e) => e.segmentations)).toEqual(theirs.map((e) => e.segmentations));
      return;
    }
    // WebGPU: float32 on another device (RoIAlign kernel, WGSL division in the paste) may flip a pixel whose value is
    // within float noise of the threshold, never more than a few per mask.
    ours.forEach((e, i) =>
      e.segmentations.forEach((s, t) => {
        if (!s) return;
        const a = decodeColumnMajor(rleFromString(s.counts, 176, 211));
        const b = decodeColumnMajor(rleFromString(theirs[i]!.segmentations[t]!.counts, 176, 211));
        expect(a.reduce((n, v, k) => n + (v !== b[k] ? 1 : 0), 0)).toBeLessThanOrEqual(3);
      }),
    );
  });
}
