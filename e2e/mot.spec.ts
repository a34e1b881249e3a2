import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { meanColourReidOnnx } from '../src/runtime/reid/mean-colour-reid.fixture.ts';
import { expectVideoShown, openFile, shared, trackStreetWith } from './helpers.ts';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** The overlay of the 8 street-540p frames: ≥ 15 tracked boxes on frame 1, ≥ 10 on every frame. */
async function expectTracksOnEveryFrame(page: Page): Promise<void> {
  const perFrame = await page.evaluate(() => {
    type Overlay = { getState(): { scenes: Map<number, { boxes?: Array<{ trackId?: number }> }> } };
    const o = (window as unknown as { mmtrack: { overlay: Overlay } }).mmtrack.overlay.getState();
    return Array.from({ length: 8 }, (_, i) => o.scenes.get(i)?.boxes?.filter((b) => b.trackId !== undefined).length ?? 0);
  });
  expect(perFrame[0]).toBeGreaterThanOrEqual(15);
  expect(perFrame.every((n) => n >= 10)).toBe(true);
}

test('ByteTrack on the default detector: tracks on every frame, a track list, and a MOTChallenge txt that eval mot reads back', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await trackStreetWith(page);
  await expect(page.getByTestId('track-progress')).toBeVisible();
  await expect(page.getByTestId('track-status')).toContainText('tracks', { timeout: 240_000 });
  await expect(page.getByTestId('track-progress')).toHaveAttribute('value', '8');

  await expectTracksOnEveryFrame(page);
  // The slider and the run agree: the threshold shown is the one the tracks were made with (all the detector's boxes).
  await expect(page.getByTestId('mot-min-score')).toHaveText('0.00');
  await expect(page.getByTestId('score-threshold-value')).toHaveText('0.00');
  const count = Number(await page.getByTestId('track-count').textContent());
  expect(count).toBeGreaterThanOrEqual(15);

  // Clicking a track highlights it and seeks to its first frame.
  await page.keyboard.press('End');
  const firstRow = page.locator('[data-testid^="track-row-"]').first();
  await firstRow.click();
  await expect(firstRow).toHaveClass(/selected/);
  await expect(page.getByTestId('current-frame')).toHaveText('1');

  const download = page.waitForEvent('download');
  await page.getByTestId('export-mot').click();
  const d = await download;
  expect(d.suggestedFilename()).toBe('street-540p-h264.txt');
  const txt = testInfo.outputPath('results/street-540p-h264.txt');
  await d.saveAs(txt);
  const rows = readFileSync(txt, 'utf8').trim().split('\n');
  expect(rows.length).toBeGreaterThanOrEqual(8 * 10);
  expect(rows[0]).toMatch(/^1,\d+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,-1,-1,-1$/);

  // The same run as CocoVID JSON: one image per frame, one annotation (with the track id) per MOT row.
  const cocoDownload = page.waitForEvent('download');
  await page.getByTestId('export-cocovid').click();
  const cocoFile = testInfo.outputPath('street-540p-h264-cocovid.json');
  await (await cocoDownload).saveAs(cocoFile);
  const coco = JSON.parse(readFileSync(cocoFile, 'utf8')) as { images: unknown[]; annotations: Array<{ instance_id: number }> };
  expect(coco.images).toHaveLength(8);
  expect(coco.annotations).toHaveLength(rows.length);
  expect(new Set(coco.annotations.map((a) => a.instance_id)).size).toBe(count);

  // `eval mot` reads it back: against itself as ground truth every metric is perfect.
  const gt = testInfo.outputPath('gt');
  const seqDir = join(gt, 'MOT17-train', 'street-540p-h264');
  mkdirSync(join(seqDir, 'gt'), { recursive: true });
  mkdirSync(join(gt, 'seqmaps'), { recursive: true });
  writeFileSync(join(seqDir, 'gt', 'gt.txt'), rows.map((r) => `${r.split(',').slice(0, 6).join(',')},1,1,1`).join('\n') + '\n');
  writeFileSync(join(seqDir, 'seqinfo.ini'), '[Sequence]\nname=street-540p-h264\nimDir=img1\nframeRate=3\nseqLength=8\nimWidth=960\nimHeight=540\nimExt=.jpg\n');
  writeFileSync(join(gt, 'seqmaps', 'MOT17-train.txt'), 'name\nstreet-540p-h264\n');
  const r = spawnSync(join(repo, 'bin/mmtrack'), ['eval', 'mot', '--gt', gt, '--results', testInfo.outputPath('results')], { cwd: repo, encoding: 'utf8' });
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.status).toBe(0);
  const metrics = JSON.parse(r.stdout) as Record<string, Record<string, number>>;
  expect(metrics.COMBINED_SEQ?.MOTA).toBe(1);
  expect(metrics.COMBINED_SEQ?.IDF1).toBe(1);
  expect(metrics['street-540p-h264']?.IDSW).toBe(0);

  await test.step('evaluate in place against the dropped gt.txt + seqinfo.ini', async () => {
    await page.getByTestId('mot-gt-input').setInputFiles([join(seqDir, 'gt', 'gt.txt'), join(seqDir, 'seqinfo.ini')]);
    await expect(page.getByTestId('mot-eval-MOTA')).toHaveText('1.000');
    await expect(page.getByTestId('mot-eval-IDF1')).toHaveText('1.000');
    await expect(page.getByTestId('mot-eval-FN')).toHaveText('0');
  });

  await test.step('parameter search on the cached detections, sorted, best applied as overrides', async () => {
    // A grid from the overrides box: init_track_thr 1.01 can start no track, 0.25 is the config's own value.
    await page.getByTestId('cfg-options-input').fill('model.tracker.init_track_thr=[1.01,0.25]');
    await page.getByTestId('cfg-options-input').press('Enter');
    await expect(page.getByTestId('mot-search-axes')).toHaveText('init_track_thr ∈ [1.01, 0.25]');
    await expect(page.getByTestId('mot-search-run')).toHaveText('Search 2 combinations');
    await page.getByTestId('mot-search-run').click();
    const table = page.getByTestId('mot-search-table');
    await expect(table.locator('tbody tr')).toHaveCount(2, { timeout: 60_000 });
    await expect(page.getByTestId('mot-search-apply')).toBeVisible();
    // Sorted by MOTA, best first: the config's value reproduces the ground truth, 1.01 tracks nothing.
    await expect(table.locator('tbody tr').first().locator('td').first()).toHaveText('0.25');
    await expect(table.locator('tbody tr').first().locator('td').nth(1)).toHaveText('1.000');
    await expect(table.locator('tbody tr').nth(1).locator('td').nth(1)).toHaveText('0.000');
    // Sorting by FN (lower is better) keeps 0.25 first; by FP (0 in both rows) the grid order decides.
    await page.getByTestId('mot-search-sort-FP').click();
    await expect(table.locator('tbody tr').first().locator('td').first()).toHaveText('1.01');
    await page.getByTestId('mot-search-sort-FN').click();
    await expect(table.locator('tbody tr').first().locator('td').first()).toHaveText('0.25');
    await page.getByTestId('mot-search-apply').click();
    await expect(page.getByTestId('cfg-options-input')).toHaveValue('model.tracker.init_track_thr=0.25');
    await expect(page.getByTestId('track-count')).toHaveText(String(count));
    await expect(page.getByTestId('mot-eval-MOTA')).toHaveText('1.000');
  });

  await test.step('two trackers compared on the run\'s detections: one table, either one\'s tracks on the video, a report that imports', async () => {
    await page.getByTestId('mot-compare-pick-configs/mot/ocsort/ocsort_centernet_mobilenetv3_coco-person.py').check();
    await page.getByTestId('mot-compare-run').click();
    const table = page.getByTestId('mot-compare-table');
    await expect(table.locator('tbody tr')).toHaveCount(2, { timeout: 60_000 });
    // The ground truth is this run's own output: its row is perfect (and the best where the two differ).
    await expect(page.getByTestId('mot-compare-row-0').locator('td[data-metric="MOTA"]')).toHaveText('1.000');
    await expect(page.getByTestId('mot-compare-row-1').locator('td').first()).toHaveText('ocsort_centernet_mobilenetv3_coco-person');
    const idf1 = Number(await page.getByTestId('mot-compare-row-1').locator('td[data-metric="IDF1"]').textContent());
    expect(idf1).toBeGreaterThan(0.3);
    if (idf1 < 1) await expect(page.getByTestId('mot-compare-row-0').locator('td[data-metric="IDF1"]')).toHaveClass(/best/);
    // Toggle: the overlay draws OC-SORT's tracks, then the run's again.
    const overlayLabel = () => page.evaluate(() => (window as unknown as { mmtrack: { overlay: { getState(): { sourceLabel: string } } } }).mmtrack.overlay.getState().sourceLabel);
    await page.getByTestId('mot-compare-show-1').click();
    await expect.poll(overlayLabel).toContain('ocsort_centernet_mobilenetv3_coco-person tracks (compare)');
    await page.getByTestId('mot-compare-show-run').click();
    await expect.poll(overlayLabel).not.toContain('(compare)');
    // One report with both rows; the Reports tab reads it back.
    const download = page.waitForEvent('download');
    await page.getByTestId('mot-compare-report-json').click();
    const reportFile = testInfo.outputPath('mmtrack-compare.json');
    await (await download).saveAs(reportFile);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { comparison: { rows: Array<{ label: string; values: Record<string, number> }> } };
    expect(report.comparison.rows.map((r) => r.label)).toEqual(['bytetrack_centernet_mobilenetv3_coco-person (this run)', 'ocsort_centernet_mobilenetv3_coco-person']);
    expect(report.comparison.rows[0]!.values.MOTA).toBe(1);
    await page.getByTestId('view-reports').click();
    await page.getByTestId('report-input').setInputFiles(reportFile);
    const compared = page.getByTestId('report-view').locator('table[data-section="comparison"] tbody tr');
    await expect(compared).toHaveCount(2);
    await expect(compared.first().locator('td').first()).toHaveText('bytetrack_centernet_mobilenetv3_coco-person (this run)');
    await page.getByTestId('view-video').click();
  });

  await test.step('the run survives a reload: the same video brings its tracks back', async () => {
    await page.reload();
    await openFile(page, shared('media/street-540p-h264.mp4'));
    await expectVideoShown(page, 8);
    await expect(page.getByTestId('mot-restored')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('track-count')).toHaveText(String(count));
    const again = page.waitForEvent('download');
    await page.getByTestId('export-mot').click();
    const copy = testInfo.outputPath('restored.txt');
    await (await again).saveAs(copy);
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(txt, 'utf8'));
  });

  await test.step('ticking a class re-tracks the cached detections with it; the config\'s classes come back', async () => {
    await expect(page.getByTestId('mot-classes-summary')).toHaveText('person');
    await page.getByTestId('mot-classes').locator('summary').click();
    await page.getByTestId('mot-class-car').check();
    await expect(page.getByTestId('mot-classes-summary')).toHaveText('person, car');
    // The white car gets a track of its own.
    await expect(page.getByTestId('track-list').locator('td', { hasText: /^car$/ }).first()).toBeVisible();
    await page.getByTestId('mot-classes-reset').click();
    await expect(page.getByTestId('mot-classes-summary')).toHaveText('person');
    await expect(page.getByTestId('track-list').locator('td', { hasText: /^car$/ })).toHaveCount(0);
    await expect(page.getByTestId('track-count')).toHaveText(String(count));
  });

  await test.step('the score slider re-tracks at the threshold it shows, and a reload keeps both', async () => {
    await page.getByTestId('score-threshold').fill('0.3');
    await expect(page.getByTestId('score-threshold-value')).toHaveText('0.30');
    await expect(page.getByTestId('mot-min-score')).toHaveText('0.30');
    const lowest = () =>
      page.evaluate(() => {
        type Overlay = { getState(): { scenes: Map<number, { boxes?: Array<{ score?: number }> }> } };
        const scenes = (window as unknown as { mmtrack: { overlay: Overlay } }).mmtrack.overlay.getState().scenes;
        return Math.min(...[...scenes.values()].flatMap((sc) => (sc.boxes ?? []).map((b) => b.score ?? -1)));
      });
    expect(await lowest()).toBeGreaterThanOrEqual(0.3);
    await page.reload();
    await openFile(page, shared('media/street-540p-h264.mp4'));
    await expectVideoShown(page, 8);
    await expect(page.getByTestId('mot-restored')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('mot-min-score')).toHaveText('0.30');
    await expect(page.getByTestId('score-threshold-value')).toHaveText('0.30');
  });
});


/** The embedding size and values per box of frame 1's cached detections, or null without embeddings. */
function frameOneEmbeddingDims(page: Page): Promise<number[] | null> {
  return page.evaluate(() => {
    type Detect = { getState(): { results: Map<number, { scores: Float32Array; embeddings?: { data: Float32Array; dim: number } }> } };
    const r = (window as unknown as { mmtrack: { detect: Detect } }).mmtrack.detect.getState().results.get(0);
    return r?.embeddings ? [r.embeddings.dim, r.embeddings.data.length / r.scores.length] : null;
  });
}

test('DeepSORT with appearance from the detector features: embeddings computed in the worker, tracks on every frame', async ({ page }) => {
  test.setTimeout(300_000);
  await trackStreetWith(page, 'configs/mot/deepsort/deepsort_centernet_mobilenetv3_coco-person_detector-features.py');
  await expect(page.getByTestId('track-status')).toContainText('tracks', { timeout: 240_000 });
  await expect(page.getByTestId('timing-reid')).toHaveText(/\d+\.\d ms/);
  await expectTracksOnEveryFrame(page);
  // The cached detections carry their embeddings (256 values a box: 32 channels x 4 x 2 cells).
  expect(await frameOneEmbeddingDims(page)).toEqual([256, 256]);
});

test("DeepSORT with the user's ReID model: a clear message until it is dropped, then tracks with its embeddings", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await trackStreetWith(page, 'configs/mot/deepsort/deepsort_centernet_mobilenetv3_coco-person_reid.py');
  await expect(page.getByTestId('track-status')).toContainText('reid_r50_mot17.onnx: this config\'s ReID model (model.reid type BaseReID) is not loaded; drop the ONNX file on "ReID model" in the MOT panel', { timeout: 60_000 });
  // A stand-in ReID graph (crops → channel means), written by the project's ONNX encoder.
  const reid = testInfo.outputPath('my_reid.onnx');
  writeFileSync(reid, meanColourReidOnnx('N'));
  await page.getByTestId('reid-model-input').setInputFiles(reid);
  await page.getByTestId('track-run').click();
  await expect(page.getByTestId('track-status')).toContainText(/^\d+ tracks$/, { timeout: 240_000 });
  expect(await frameOneEmbeddingDims(page)).toEqual([3, 3]);
  expect(Number(await page.getByTestId('track-count').textContent())).toBeGreaterThanOrEqual(15);
});

/**
 * fixtures/tracktor_tiny.py (Tracktor over the torchvision-checked tiny Faster R-CNN: 3 shape classes, fixed random
 * weights) with its _base_, as a user would pick them, the detector's two graphs and a stand-in ReID model written to
 * `dir`. What is checked is the path (two-stage detection, regression of the last frame's tracks through the bbox
 * head, ECC on grayscale frames, ReID), not accuracy.
 */
function tracktorTinyFiles(dir: string): { configs: string[]; graphs: string[]; reid: string } {
  mkdirSync(dir, { recursive: true });
  const fixtures = join(repo, 'src/core/models/det/fixtures');
  const reid = join(dir, 'my_reid.onnx');
  writeFileSync(reid, meanColourReidOnnx('N'));
  return {
    configs: [join(fixtures, 'tracktor_tiny.py'), join(fixtures, 'faster_rcnn_tiny.py')],
    graphs: [join(fixtures, 'faster_rcnn_tiny_backbone.onnx'), join(fixtures, 'faster_rcnn_tiny_bbox_head.onnx')],
    reid,
  };
}

/** Detections above 0.3 and tracked ids per frame of the 8-frame street video, from the stores. */
function tracktorFrames(page: Page): Promise<{ detected: number[]; tracked: number[][] }> {
  return page.evaluate(() => {
    type Boxes = { scores: Float32Array };
    type Scene = { boxes?: Array<{ trackId?: number }> };
    const w = window as unknown as { mmtrack: { detect: { getState(): { results: Map<number, Boxes> } }; overlay: { getState(): { scenes: Map<number, Scene> } } } };
    const results = w.mmtrack.detect.getState().results;
    const scenes = w.mmtrack.overlay.getState().scenes;
    return {
      detected: Array.from({ length: 8 }, (_, i) => Array.from(results.get(i)?.scores ?? []).filter((s) => s > 0.3).length),
      tracked: Array.from({ length: 8 }, (_, i) => (scenes.get(i)?.boxes ?? []).map((b) => b.trackId ?? -1)),
    };
  });
}

/** Tracks started from frame 1's detections and carried by regression into frame 2. */
function expectRegressedTracks({ detected, tracked }: { detected: number[]; tracked: number[][] }): void {
  // Every frame was detected again for the run; frame 1 starts a track per detection above obj_score_thr (NMS'ed).
  expect(detected.every((n) => n > 0)).toBe(true);
  expect(tracked[0]!.length).toBeGreaterThan(0);
  expect(tracked[0]!.length).toBeLessThanOrEqual(detected[0]!);
  // Tracks carried from frame to frame by the worker's regression: ids of frame 1 live on in frame 2.
  expect(tracked[1]!.filter((id) => tracked[0]!.includes(id)).length).toBeGreaterThan(0);
}

test("Tracktor on the user's two-stage detector: its two ONNX files and a ReID model dropped, boxes regressed in the worker frame after frame", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const files = tracktorTinyFiles(testInfo.outputPath('tracktor'));
  await page.goto('/');
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  await page.getByTestId('config-file-input').setInputFiles(files.configs);
  await expect(page.getByTestId('config-select')).toHaveValue('user/tracktor_tiny.py', { timeout: 30_000 });
  await expect(page.getByTestId('model-files-needed')).toHaveText('needs faster_rcnn_tiny_backbone.onnx + faster_rcnn_tiny_bbox_head.onnx');
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  // Without the detector's files: which ones, and where to drop them.
  await page.getByTestId('track-run').click();
  await expect(page.getByTestId('track-status')).toContainText("onnx.backbone: faster_rcnn_tiny_backbone.onnx is not one of the app's default models", { timeout: 60_000 });
  await expect(page.getByTestId('track-status')).toContainText('drop your exported ONNX files (faster_rcnn_tiny_backbone.onnx, faster_rcnn_tiny_bbox_head.onnx)');
  // One drop at a time: the two graphs wait for the ReID model, then all three load.
  await page.getByTestId('model-input').setInputFiles(files.graphs);
  await expect(page.getByTestId('model-error')).toContainText('reid.onnx: this config\'s ReID model (model.reid type BaseReID) is not loaded', { timeout: 60_000 });
  await page.getByTestId('reid-model-input').setInputFiles(files.reid);
  await expect(page.getByTestId('model-status')).toContainText('faster_rcnn_tiny_backbone.onnx + faster_rcnn_tiny_bbox_head.onnx', { timeout: 60_000 });
  await page.getByTestId('track-run').click();
  await expect(page.getByTestId('track-status')).toContainText(/^\d+ tracks$/, { timeout: 240_000 });
  expectRegressedTracks(await tracktorFrames(page));
  // Re-tracking cached detections cannot regress boxes: the score slider says so instead of tracking wrongly.
  await page.getByTestId('score-threshold').fill('0.5');
  await expect(page.getByText('TracktorTracker cannot re-track cached detections')).toBeVisible();
});

test('Tracktor with ?ep=webgpu: proposal NMS, RoIAlign and the regression run as WGSL kernels on the features ORT left on the GPU', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const files = tracktorTinyFiles(testInfo.outputPath('tracktor'));
  await page.goto('/?ep=webgpu');
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  await page.getByTestId('config-file-input').setInputFiles(files.configs);
  await expect(page.getByTestId('config-select')).toHaveValue('user/tracktor_tiny.py', { timeout: 30_000 });
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  await page.getByTestId('model-input').setInputFiles(files.graphs);
  await page.getByTestId('reid-model-input').setInputFiles(files.reid);
  await page.getByTestId('track-run').click();
  await expect(page.getByTestId('track-status')).toContainText(/^\d+ tracks$/, { timeout: 240_000 });
  await expect(page.getByTestId('execution-provider')).toContainText('WebGPU EP · google · swiftshader · WGSL kernels');
  expectRegressedTracks(await tracktorFrames(page));
});
