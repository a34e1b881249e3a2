import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { expectVideoShown, openFile, shared } from './helpers.ts';
import { ffmpegFrameRgb, ffprobeVideo, pngSize } from './media-probe.ts';

/** A red box on every frame, drawn through the app's overlay store. */
async function putRedBoxes(page: Page, frames: number): Promise<void> {
  await page.evaluate((n) => {
    const scenes = new Map<number, unknown>();
    for (let i = 0; i < n; i++) scenes.set(i, { boxes: [{ x1: 100, y1: 100, x2: 300, y2: 250, color: 'rgb(255, 0, 0)', label: 'car' }] });
    (window as unknown as { mmtrack: { overlay: { getState(): { setScenes(s: unknown, l: string): void } } } }).mmtrack.overlay.getState().setScenes(scenes, 'test boxes');
  }, frames);
}

/** Whether the 2-3 px line at column x is red after H.264's 4:2:0 chroma subsampling (which spreads it). */
function redAt(rgb: Buffer, width: number, x: number, y: number): boolean {
  return [x - 1, x, x + 1].some((cx) => {
    const o = (y * width + cx) * 3;
    const [r, g, b] = [rgb[o] ?? 0, rgb[o + 1] ?? 0, rgb[o + 2] ?? 0];
    return r > 150 && r - Math.max(g, b) > 80;
  });
}

test('exports the annotated MP4 of the 150-frame street-car video', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await openFile(page, shared('sot/street-car/video.mp4'));
  await expectVideoShown(page, 150);
  await putRedBoxes(page, 150);
  const download = page.waitForEvent('download', { timeout: 240_000 });
  await page.getByTestId('export-video').click();
  await expect(page.getByTestId('export-progress')).toBeVisible();
  const file = testInfo.outputPath('street-car-annotated.mp4');
  await (await download).saveAs(file);
  await expect(page.getByTestId('export-done')).toContainText('150 frames');

  const probe = ffprobeVideo(file);
  expect(probe).toMatchObject({ frames: 150, width: 640, height: 360 });
  // The overlay is burned in: the box's left edge is red in the first and last frames, its inside is not.
  for (const n of [0, 149]) {
    const rgb = ffmpegFrameRgb(file, n, 640, 360);
    expect(redAt(rgb, 640, 100, 175)).toBe(true);
    expect(redAt(rgb, 640, 200, 175)).toBe(false);
  }
});

test('exports through ffmpeg.wasm when chosen, and can be cancelled', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await openFile(page, shared('sot/street-car/video.mp4'));
  await expectVideoShown(page, 150);
  await page.getByTestId('export-encoder').selectOption('ffmpeg');
  await page.getByTestId('export-video').click();
  await expect(page.getByTestId('export-progress')).toBeVisible();
  await page.getByTestId('export-cancel').click();
  await expect(page.getByTestId('export-progress')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('error')).toHaveCount(0);

  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  await putRedBoxes(page, 8);
  const download = page.waitForEvent('download', { timeout: 240_000 });
  await page.getByTestId('export-video').click();
  const file = testInfo.outputPath('street-ffmpeg.mp4');
  await (await download).saveAs(file);
  await expect(page.getByTestId('export-done')).toContainText('ffmpeg.wasm');
  expect(ffprobeVideo(file)).toMatchObject({ frames: 8, width: 960, height: 540, codec: 'h264' });
  expect(redAt(ffmpegFrameRgb(file, 7, 960, 540), 960, 100, 175)).toBe(true);
});

test('saves the current frame as a PNG at the video resolution', async ({ page }, testInfo) => {
  await page.goto('/');
  await openFile(page, shared('media/street-360p-vp9.webm'));
  await expectVideoShown(page, 8);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('current-frame')).toHaveText('2');
  const download = page.waitForEvent('download');
  await page.getByTestId('export-png').click();
  const d = await download;
  expect(d.suggestedFilename()).toBe('street-360p-vp9-frame000002.png');
  const file = testInfo.outputPath('frame.png');
  await d.saveAs(file);
  expect(pngSize(readFileSync(file))).toEqual({ width: 640, height: 360 });
});
