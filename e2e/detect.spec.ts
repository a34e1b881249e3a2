import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expectVideoShown, openFile, shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

/** The app's wasm threads in its cross-origin isolated page: the cores less one, at most 4 (src/workers/ort-wasm-threads.ts). */
const defaultThreads = Math.max(1, Math.min(4, cpus().length - 1));
const annotations = JSON.parse(readFileSync(resolve(fileURLToPath(new URL('.', import.meta.url)), 'data/street-540p-boxes.json'), 'utf8')) as {
  objects: Array<{ label: string; box: [number, number, number, number] }>;
};

interface SceneBox { x1: number; y1: number; x2: number; y2: number; label?: string; score?: number }

function iou(a: number[], b: SceneBox): number {
  const iw = Math.max(0, Math.min(a[2]!, b.x2) - Math.max(a[0]!, b.x1));
  const ih = Math.max(0, Math.min(a[3]!, b.y2) - Math.max(a[1]!, b.y1));
  const inter = iw * ih;
  return inter / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

type Overlay = { getState(): { scenes: Map<number, { boxes?: unknown[] }> } };
const sceneBoxes = (page: Page, frame: number) =>
  page.evaluate((i) => ((window as unknown as { mmtrack: { overlay: Overlay } }).mmtrack.overlay.getState().scenes.get(i)?.boxes ?? null) as SceneBox[] | null, frame);

function expectAnnotatedObjects(boxes: SceneBox[] | null, frame: number): void {
  expect(boxes, `frame ${frame + 1} has detections`).not.toBeNull();
  for (const o of annotations.objects) {
    const best = Math.max(0, ...(boxes ?? []).filter((b) => b.label === o.label).map((b) => iou(o.box, b)));
    expect(best, `frame ${frame + 1}: ${o.label} at [${o.box.join(', ')}]`).toBeGreaterThanOrEqual(0.5);
  }
}

test('the default detector finds the annotated people and car on every frame while playing (auto EP: wasm on SwiftShader)', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  await page.getByTestId('detect-toggle').check();
  await expect(page.getByTestId('execution-provider')).toContainText(`wasm EP (CPU, ${defaultThreads} thread${defaultThreads === 1 ? '' : 's'}) — the WebGPU adapter is a software renderer (swiftshader)`, { timeout: 120_000 });
  await expect(page.getByTestId('timing-total')).toContainText('ms', { timeout: 60_000 });
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('current-frame')).toHaveText('8', { timeout: 240_000 });
  for (let frame = 0; frame < 8; frame++) expectAnnotatedObjects(await sceneBoxes(page, frame), frame);
  // The threshold slider re-filters without re-running the detector.
  const before = (await sceneBoxes(page, 0))?.length ?? 0;
  await page.getByTestId('score-threshold').fill('0.45');
  const after = (await sceneBoxes(page, 0))?.length ?? -1;
  expect(after).toBeLessThan(before);
  expect(after).toBeGreaterThan(0);
});

// The whole GPU path: ORT's WebGPU EP and our pre-processing, peak and box kernels on one device. SwiftShader needs
// about a minute for one frame, so this checks frame 1 only.
test('with ?ep=webgpu the GPU pipeline (ORT WebGPU EP + WGSL kernels on one device) finds the same objects', async ({ page }) => {
  test.setTimeout(400_000);
  await page.goto('/?ep=webgpu');
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  await page.getByTestId('detect-toggle').check();
  await expect(page.getByTestId('execution-provider')).toContainText('WebGPU EP · google · swiftshader', { timeout: 120_000 });
  await expect(page.getByTestId('timing-total')).toContainText('ms', { timeout: 300_000 });
  for (const stage of ['preprocess', 'ort', 'kernels', 'readback']) await expect(page.getByTestId(`timing-${stage}`)).toContainText('ms');
  expectAnnotatedObjects(await sceneBoxes(page, 0), 0);
});

test('a model file with the wrong inputs is refused with the differences, and the app keeps working', async ({ page }) => {
  await page.goto('/');
  await openFile(page, shared('media/street-540p-h264.mp4'));
  await expectVideoShown(page, 8);
  await page.getByTestId('detect-toggle').check();
  await expect(page.getByTestId('execution-provider')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('model-input').setInputFiles(shared('models/nanotrack-v2/head.onnx'));
  await expect(page.getByTestId('model-error')).toContainText("head.onnx: onnx.detector: the model has no input 'images' (its inputs: input1, input2)", { timeout: 60_000 });
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('current-frame')).toHaveText('2');
  // A model from a URL the user types (here the app's own copy) loads and detects again.
  await page.getByTestId('model-url').fill(new URL('/models/centernet_mobilenetv3_coco.onnx', page.url()).href);
  await page.getByTestId('model-url').press('Enter');
  await expect(page.getByTestId('model-status')).toContainText('centernet_mobilenetv3_coco.onnx (8.1 MB, your file)', { timeout: 120_000 });
  await expect(page.getByTestId('execution-provider')).toBeVisible();
});

for (const ep of ['wasm', 'webgpu'] as const) {
  test(`a user's YOLOX (MMDetection's raw head outputs) detects in the app on the ${ep} EP: its config and ONNX file picked, boxes in frame pixels`, async ({ page }) => {
    test.setTimeout(180_000);
    const fixtures = resolve(fileURLToPath(new URL('.', import.meta.url)), '../src/core/models/det/fixtures');
    await page.goto(ep === 'webgpu' ? '/?ep=webgpu' : '/');
    await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
    await page.getByTestId('config-file-input').setInputFiles(resolve(fixtures, 'yolox_tiny.py'));
    await expect(page.getByTestId('config-select')).toHaveValue('user/yolox_tiny.py', { timeout: 30_000 });
    await openFile(page, shared('media/street-540p-h264.mp4'));
    await expectVideoShown(page, 8);
    await page.getByTestId('model-input').setInputFiles(resolve(fixtures, 'yolox_tiny.onnx'));
    await page.getByTestId('detect-toggle').check();
    await expect(page.getByTestId('model-status')).toContainText('yolox_tiny.onnx', { timeout: 60_000 });
    // On the WebGPU EP the decode, compaction and NMS run as our kernels on the head's output buffers.
    await expect(page.getByTestId('execution-provider')).toContainText(ep === 'webgpu' ? 'WebGPU EP · google · swiftshader · WGSL kernels' : 'wasm EP');
    await expect.poll(() => sceneBoxes(page, 0), { timeout: 120_000 }).not.toBeNull();
    const boxes = (await sceneBoxes(page, 0))!;
    // The tiny network (random weights) scores a few cells just above score_thr=0.3 on this frame.
    expect(boxes.length).toBeGreaterThan(0);
    for (const b of boxes) {
      expect(['square', 'circle', 'blob']).toContain(b.label);
      expect(b.score!).toBeGreaterThanOrEqual(0.3);
    }
    // The graph saw the frame at 128x72 (padded to 128x128 with 114); boxes come back in 960x540 pixels.
    expect(Math.max(...boxes.map((b) => b.x2))).toBeGreaterThan(128);
  });
}
