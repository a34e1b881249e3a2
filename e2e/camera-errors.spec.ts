// Live camera failures in a browser with no camera (and no permission prompt to accept): a clear message, the app
// keeps working.
import { expectVideoShown, openFile, shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

test('no camera or no permission: the message says which, and the app goes on with a video', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  await page.getByTestId('camera-panel').locator('summary').click();
  await page.getByTestId('camera-start').click();
  await expect(page.getByTestId('camera-message')).toHaveText(/^(Camera permission was denied: allow the camera for this page|No camera was found: connect one and press Start again\.)/);
  await expect(page.getByTestId('camera-view')).toBeHidden();
  // Only MOT and SOT configs offer the camera (a VID config has no live mode).
  await page.getByTestId('config-select').selectOption('configs/vid/default.py');
  await expect(page.getByTestId('camera-panel')).toHaveCount(0);
  await page.getByTestId('config-select').selectOption('configs/mot/default.py');
  await page.getByTestId('camera-panel').locator('summary').click();
  await expect(page.getByTestId('camera-start')).toBeEnabled();
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
});

test('an idle page lists the cameras once, and again only when a camera comes or goes', async ({ page }) => {
  // Count enumerateDevices calls (listing once set the store, which re-ran the listing: a busy loop while idle).
  await page.addInitScript(() => {
    const devices = navigator.mediaDevices;
    const original = devices.enumerateDevices.bind(devices);
    (window as unknown as { cameraLists: number }).cameraLists = 0;
    devices.enumerateDevices = () => {
      (window as unknown as { cameraLists: number }).cameraLists++;
      return original();
    };
  });
  await page.goto('/');
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  await expect(page.getByTestId('camera-panel')).toBeVisible();
  const lists = () => page.evaluate(() => (window as unknown as { cameraLists: number }).cameraLists);
  await page.waitForTimeout(1500);
  expect(await lists()).toBe(1);
  await page.evaluate(() => navigator.mediaDevices.dispatchEvent(new Event('devicechange')));
  await expect.poll(lists).toBe(2);
  await page.waitForTimeout(1000);
  expect(await lists()).toBe(2);
});
