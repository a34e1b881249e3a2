/**
 * The default VID config out of the box: configs/vid/default.py (DFF on the default CenterNet, the models `npm install`
 * converts, no file to drop) picked, street-540p opened and played through: key frames marked on the timeline (every
 * 10 frames: frame 1 of 8), every frame detected with boxes, the warped frames timed as flow + warp + head.
 */
import type { Page } from '@playwright/test';
import { expectVideoShown, openFile, shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

type DetectResults = { mmtrack: { detect: { getState(): { results: Map<number, { scores: Float32Array; labels: Int32Array }> } } } };
const detectedFrames = (page: Page) => page.evaluate(() => [...(window as unknown as DetectResults).mmtrack.detect.getState().results.keys()].sort((a, b) => a - b));

test('the default VID config runs with no model to drop: key frames marked, every frame detected, warped frames timed', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  await page.getByTestId('config-select').selectOption('configs/vid/default.py');
  await expect(page.getByTestId('model-files-needed')).toHaveText('needs centernet_mobilenetv3_features.onnx + centernet_mobilenetv3_head.onnx');
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  await page.getByTestId('detect-toggle').check();
  await expect(page.getByTestId('model-status')).toContainText('centernet_mobilenetv3_features.onnx + centernet_mobilenetv3_head.onnx', { timeout: 90_000 });
  await expect(page.getByTestId('model-status')).toContainText('default');
  const marks = page.getByTestId('timeline-marks').locator('.timeline-mark');
  await expect(marks).toHaveCount(1);
  expect(await marks.evaluateAll((m) => m.map((e) => e.getAttribute('data-frame')))).toEqual(['1']);
  await expect.poll(() => detectedFrames(page), { timeout: 120_000 }).toEqual([0]);
  await expect(page.getByTestId('timing-frame-kind')).toHaveText('key frame');
  await page.getByTestId('play-pause').click();
  await expect.poll(() => detectedFrames(page), { timeout: 180_000 }).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  await expect(page.getByTestId('timing-frame-kind')).toHaveText('warped from its key frame');
  for (const stage of ['flow', 'warp', 'head']) await expect(page.getByTestId(`timing-${stage}`)).toBeVisible();
  // People on the street are found on the key frame and on the last warped frame (7 frames from its key frame).
  const people = await page.evaluate(() => {
    const r = (window as unknown as DetectResults).mmtrack.detect.getState().results;
    return [0, 7].map((i) => Array.from(r.get(i)!.labels).filter((l, k) => l === 0 && r.get(i)!.scores[k]! >= 0.3).length);
  });
  expect(people[0]).toBeGreaterThan(0);
  expect(people[1]).toBeGreaterThan(0);
});
