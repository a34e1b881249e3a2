import { readFileSync } from 'node:fs';
import { expectVideoShown, openFile, shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

const gt = readFileSync(shared('sot/street-car/groundtruth.txt'), 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));

function iou(a: number[], b: number[]): number {
  const iw = Math.max(0, Math.min(a[0]! + a[2]!, b[0]! + b[2]!) - Math.max(a[0]!, b[0]!));
  const ih = Math.max(0, Math.min(a[1]! + a[3]!, b[1]! + b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = iw * ih;
  return inter / (a[2]! * a[3]! + b[2]! * b[3]! - inter);
}

test('NanoTrack: draw the box on frame 1 with the mouse, track to the end, the last box overlaps the ground truth', async ({ page }) => {
  test.setTimeout(400_000);
  await page.goto('/');
  await page.getByTestId('config-select').selectOption('configs/sot/nanotrack/nanotrack_v2.py');
  await page.getByTestId('sot-model-input').setInputFiles([shared('models/nanotrack-v2/backbone.onnx'), shared('models/nanotrack-v2/head.onnx')]);
  await openFile(page, shared('sot/street-car/video.mp4'));
  await expectVideoShown(page, 150);

  await page.getByTestId('sot-draw').click();
  // The layer takes the mouse once it is active (drawing); a drag before that would land on the video.
  await expect(page.getByTestId('sot-draw-layer')).toHaveClass(/active/);
  // Frame pixels → page pixels, as the layer fits the 640x360 frame into its box.
  const layer = await page.getByTestId('sot-draw-layer').boundingBox();
  if (!layer) throw new Error('no draw layer');
  const scale = Math.min(layer.width / 640, layer.height / 360);
  const ox = layer.x + (layer.width - 640 * scale) / 2;
  const oy = layer.y + (layer.height - 360 * scale) / 2;
  const [x, y, w, h] = gt[0] as number[];
  await page.mouse.move(ox + x! * scale, oy + y! * scale);
  await page.mouse.down();
  await page.mouse.move(ox + (x! + w! / 2) * scale, oy + (y! + h! / 2) * scale, { steps: 4 });
  await page.mouse.move(ox + (x! + w!) * scale, oy + (y! + h!) * scale, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId('sot-draft')).toBeVisible();
  await page.keyboard.press('Enter');

  // Pause part-way, redraw the box on the current frame (from the ground truth), continue: both inits are kept.
  await expect.poll(async () => Number(await page.getByTestId('current-frame').textContent()), { timeout: 120_000 }).toBeGreaterThanOrEqual(40);
  await page.getByTestId('sot-pause').click();
  await expect(page.getByTestId('sot-status')).toContainText('Paused', { timeout: 30_000 });
  const paused = Number(await page.getByTestId('current-frame').textContent());
  await page.getByTestId('sot-draw').click();
  await expect(page.getByTestId('sot-draw-layer')).toHaveClass(/active/);
  // The ground-truth box of the paused frame, clipped to the frame (the zoom can take the car past the frame's
  // edge, where the mouse cannot draw).
  const [gx, gy, gw, gh] = gt[paused - 1] as number[];
  const [px1, py1] = [Math.max(gx!, 1), Math.max(gy!, 1)];
  const [px2, py2] = [Math.min(gx! + gw!, 639), Math.min(gy! + gh!, 359)];
  await page.mouse.move(ox + px1 * scale, oy + py1 * scale);
  await page.mouse.down();
  await page.mouse.move(ox + px2 * scale, oy + py2 * scale, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('sot-draft')).toBeVisible();
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('current-frame')).toHaveText('150', { timeout: 300_000 });
  await expect(page.getByTestId('sot-status')).toContainText('Tracked to frame 150', { timeout: 60_000 });
  const boxes = await page.evaluate(() => {
    type Overlay = { getState(): { scenes: Map<number, { boxes?: Array<{ x1: number; y1: number; x2: number; y2: number }> }> } };
    const o = (window as unknown as { mmtrack: { overlay: Overlay } }).mmtrack.overlay.getState();
    return Array.from({ length: 150 }, (_, i) => {
      const b = o.scenes.get(i)?.boxes?.[0];
      return b ? [b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1] : null;
    });
  });
  expect(boxes.every((b) => b !== null)).toBe(true);
  const inits = await page.evaluate(() => {
    type Sot = { getState(): { results: Map<number, { init: boolean }> } };
    return [...(window as unknown as { mmtrack: { sot: Sot } }).mmtrack.sot.getState().results].filter(([, r]) => r.init).map(([f]) => f);
  });
  expect(inits).toEqual([0, paused - 1]);
  expect(iou(boxes[0]!, gt[0]!)).toBeGreaterThan(0.9); // the drawn box
  expect(iou(boxes[149]!, gt[149]!)).toBeGreaterThanOrEqual(0.5);
  await expect(page.getByTestId('sot-plot')).toBeVisible();

  // Evaluate in place against the ground truth (MMTracking's OPE, percent).
  await page.getByTestId('sot-eval-input').setInputFiles(shared('sot/street-car/groundtruth.txt'));
  const success = Number(await page.getByTestId('sot-success').textContent());
  console.log(`in-browser NanoTrack OPE success on street-car: ${success}`);
  expect(success).toBeGreaterThanOrEqual(60);
});

test('the default SOT model works out of the box: first box from the ground-truth file, tracked to the end', async ({ page }) => {
  test.setTimeout(400_000);
  await page.goto('/');
  await page.getByTestId('config-select').selectOption('configs/sot/default.py');
  await openFile(page, shared('sot/street-car/video.mp4'));
  await expectVideoShown(page, 150);
  await page.getByTestId('sot-gt-input').setInputFiles(shared('sot/street-car/groundtruth.txt'));
  await expect(page.getByTestId('sot-draft')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sot-status')).toContainText('Tracked to frame 150', { timeout: 360_000 });
  await expect(page.getByTestId('sot-status')).toContainText('SiamFC');
  await page.getByTestId('sot-eval-input').setInputFiles(shared('sot/street-car/groundtruth.txt'));
  const success = Number(await page.getByTestId('sot-success').textContent());
  console.log(`in-browser default SOT (SiamFC on MobileNetV3 features) OPE success on street-car: ${success}`);
  expect(success).toBeGreaterThanOrEqual(60);
});
