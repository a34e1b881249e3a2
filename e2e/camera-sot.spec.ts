// Live SOT from a camera: Chromium's fake camera plays the shared pan/zoom street-car sequence (exact ground truth),
// holding its first frame while the box is drawn and its last frame at the end; the camera is then unplugged.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error -- plain ESM helper shared with the Node scripts
import { chromiumPath, CHROMIUM_ARGS } from '../scripts/chromium-path.mjs';
import { shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

const y4m = join(tmpdir(), 'mmtrack-fake-camera-street-car.y4m');
if (!existsSync(y4m)) {
  // 30 frames at 5 fps; the first held 8 s (time to draw), the last 40 s (time to check).
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-framerate', '5', '-i', shared('sot/street-car/img/%06d.jpg'), '-vf', 'tpad=start_duration=8:start_mode=clone:stop_duration=40:stop_mode=clone', '-r', '5', '-pix_fmt', 'yuv420p', y4m]);
  if (r.status !== 0) throw new Error(`ffmpeg could not make the fake camera's video: ${String(r.stderr)}`);
}

test.use({ launchOptions: { executablePath: (chromiumPath as () => string | null)() ?? '/usr/bin/chromium', args: [...(CHROMIUM_ARGS as string[]), '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`] } });

type Box = [number, number, number, number];
const gt = readFileSync(shared('sot/street-car/groundtruth.txt'), 'utf8').trim().split('\n').map((l) => l.split(',').map(Number) as Box);
function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  return (w * h) / (a[2] * a[3] + b[2] * b[3] - w * h);
}

test('a box drawn on the live image: the SOT tracker follows the car to the end; an unplugged camera keeps the recording', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
  await page.getByTestId('config-select').selectOption('configs/sot/default.py');
  await page.getByTestId('camera-panel').locator('summary').click();
  await page.getByTestId('camera-start').click();
  await expect(page.getByTestId('camera-message')).toContainText('Drag a box around the target on the live image');
  await expect(page.getByTestId('camera-stats')).toContainText(/^[1-9]\d* frames tracked/);
  // The first frame is held: draw its ground-truth box on the live canvas.
  const canvas = await page.getByTestId('camera-canvas').boundingBox();
  const at = (x: number, y: number): [number, number] => [canvas!.x + (x / 640) * canvas!.width, canvas!.y + (y / 360) * canvas!.height];
  const [x, y, w, h] = gt[0]!;
  await page.mouse.move(...at(x, y));
  await page.mouse.down();
  await page.mouse.move(...at(x + w / 2, y + h / 2));
  await page.mouse.move(...at(x + w, y + h));
  await page.mouse.up();
  // The tracker takes over; once the sequence has played, its box is on the car of the last frame.
  const target = () => page.evaluate(() => (window as unknown as { mmtrack: { camera: { getState(): { target: [number, number, number, number] | null } } } }).mmtrack.camera.getState().target);
  await expect.poll(async () => { const t = await target(); return t ? iou(t, gt[29]!) : 0; }, { timeout: 90_000 }).toBeGreaterThanOrEqual(0.5);

  // Unplugged: a clear message, the recording is kept.
  await page.evaluate(() => (window as unknown as { mmtrack: { camera: { getState(): { stream: MediaStream } } } }).mmtrack.camera.getState().stream.getVideoTracks()[0]!.dispatchEvent(new Event('ended')));
  await expect(page.getByTestId('camera-message')).toContainText('The camera was disconnected. Live tracking stopped; what was recorded is kept.');
  await expect(page.getByTestId('camera-recording')).toBeVisible({ timeout: 30_000 });
  const d = page.waitForEvent('download');
  await page.getByTestId('camera-export-results').click();
  const file = testInfo.outputPath('camera-session.txt');
  await (await d).saveAs(file);
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(',').map(Number) as Box);
  // LaSOT lines from the init frame: the drawn box first (to the pixel), the car's last position at the end.
  expect(iou(lines[0]!, gt[0]!)).toBeGreaterThan(0.97);
  expect(iou(lines[lines.length - 1]!, gt[29]!)).toBeGreaterThanOrEqual(0.5);
  // The app goes on: back to the video view, the config can be changed.
  await page.getByTestId('camera-close').click();
  await expect(page.getByTestId('camera-view')).toBeHidden();
});
