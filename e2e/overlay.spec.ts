import { expect, test } from './fixtures.ts';
import { expectVideoShown, openFile, shared } from './helpers.ts';

// The overlay renderer's demo: boxes with ids and labels, a fading trail and an instance mask drawn over a real
// frame through the typed scene API; checked on the hi-DPI canvas pixels.
test('draws boxes, track ids, trails and masks over the frame at device resolution', async ({ browser }) => {
  const context = await browser.newContext({ deviceScaleFactor: 2, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/');
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);

  const result = await page.evaluate(async () => {
    const w = window as unknown as { mmtrack: { overlay: { getState(): { setScenes(s: unknown, l: string): void } } } };
    const mask = new Uint8Array(960 * 540);
    for (let y = 300; y < 400; y++) for (let x = 600; x < 700; x++) mask[y * 960 + x] = 1;
    const scene = {
      boxes: [
        { x1: 100, y1: 100, x2: 300, y2: 250, trackId: 3, label: 'person', score: 0.91, color: 'rgb(255, 0, 0)' },
        { x1: 400, y1: 120, x2: 520, y2: 260, trackId: 4, color: 'rgb(0, 0, 255)' },
      ],
      trails: [{ trackId: 3, color: 'rgb(0, 255, 0)', points: new Float32Array([50, 500, 150, 500, 250, 500, 350, 500]) }],
      masks: [{ width: 960, height: 540, data: mask, color: 'rgb(255, 0, 255)', alpha: 0.9 }],
    };
    w.mmtrack.overlay.getState().setScenes(new Map([[0, scene]]), 'demo');
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const canvas = document.querySelector('[data-testid="video-canvas"]') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    const rect = canvas.getBoundingClientRect();
    // The frame is fitted into the canvas: map frame pixels to canvas pixels the same way.
    const scale = Math.min(canvas.width / 960, canvas.height / 540);
    const ox = (canvas.width - 960 * scale) / 2;
    const oy = (canvas.height - 540 * scale) / 2;
    const at = (x: number, y: number) => Array.from(ctx.getImageData(Math.round(ox + x * scale), Math.round(oy + y * scale), 1, 1).data);
    return {
      hiDpi: canvas.width / rect.width,
      leftEdge: at(100, 175),
      inside: at(200, 175),
      blueEdge: at(400, 200),
      trail: at(300, 500),
      mask: at(650, 350),
    };
  });
  expect(result.hiDpi).toBeCloseTo(2, 1);
  const near = (px: number[], rgb: number[], tol = 60) => rgb.every((v, i) => Math.abs((px[i] ?? 0) - v) <= tol);
  expect(near(result.leftEdge, [255, 0, 0])).toBe(true);
  expect(near(result.inside, [255, 0, 0])).toBe(false);
  expect(near(result.blueEdge, [0, 0, 255])).toBe(true);
  expect(near(result.trail, [0, 255, 0], 80)).toBe(true);
  expect(near(result.mask, [255, 0, 255], 80)).toBe(true);
  await context.close();
});
