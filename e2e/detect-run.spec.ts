/**
 * A whole-video detection run with the default VID config (DFF on the default CenterNet): "Detect all frames" shows
 * its progress and can be cancelled (what was detected stays), a finished run is kept in IndexedDB, and after a page
 * reload, reopening the same video brings every frame's detections back without running the detector again.
 */
import type { Page } from '@playwright/test';
import { expectVideoShown, openFile, shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

type DetectState = { results: Map<number, unknown>; timings: unknown; run: { done: number; total: number } | null };
const detectState = (page: Page) =>
  page.evaluate(() => {
    const s = (window as unknown as { mmtrack: { detect: { getState(): DetectState } } }).mmtrack.detect.getState();
    return { detected: s.results.size, timed: s.timings !== null, run: s.run };
  });

async function openWithDefaultVid(page: Page, video: string, frames: number): Promise<void> {
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  await page.getByTestId('config-select').selectOption('configs/vid/default.py');
  await openFile(page, shared(video));
  await expectVideoShown(page, frames);
}

test('detect all frames: progress, cancel keeps the frames done, a reload brings a finished run back without running it', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  // Cancel part-way through the 150-frame street-car video: the frames done stay, the run stops.
  await openWithDefaultVid(page, 'sot/street-car/video.mp4', 150);
  await page.getByTestId('detect-all').click();
  await expect(page.getByTestId('detect-progress')).toContainText('/ 150 frames', { timeout: 120_000 });
  await expect.poll(async () => (await detectState(page)).run?.done ?? 0, { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  await page.getByTestId('detect-cancel').click();
  await expect(page.getByTestId('detect-all')).toBeVisible({ timeout: 60_000 });
  const cancelled = await detectState(page);
  expect(cancelled.run).toBeNull();
  expect(cancelled.detected).toBeGreaterThanOrEqual(3);
  expect(cancelled.detected).toBeLessThan(150);
  await expect(page.getByTestId('detected-count')).toHaveText(`${cancelled.detected} of 150 frames detected`);

  // A whole run over the 8-frame clip, then a reload: the same clip's detections come back from IndexedDB.
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  await page.getByTestId('detect-all').click();
  await expect(page.getByTestId('detected-count')).toHaveText('8 of 8 frames detected', { timeout: 120_000 });
  await expect(page.getByTestId('detect-all')).toBeVisible();
  await page.reload();
  await openWithDefaultVid(page, 'media/street-540p-h264.mp4', 8);
  await page.getByTestId('detect-toggle').check();
  await expect(page.getByTestId('detected-count')).toContainText('8 of 8 frames detected (kept from', { timeout: 120_000 });
  // Nothing ran: the frame on screen was among the kept ones, so no frame has been timed.
  await page.waitForTimeout(1000);
  expect(await detectState(page)).toEqual({ detected: 8, timed: false, run: null });
});
