/**
 * A user's DFF in the app: the tiny DFF of src/core/models/vid/fixtures (its MMTracking-style config and the four
 * graphs scripts/export/export_vid_onnx.py wrote, parity-checked against a PyTorch restatement of MMTracking in the
 * unit tests) picked and dropped, then run on street-540p: key frames marked on the timeline, every frame detected
 * while playing, a jump to a frame between key frames runs its key frame first, and the timing panel shows DFF's own
 * stages (backbone on key frames; flow and warp between them). What is checked is the path, not accuracy.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expectVideoShown, openFile, shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

const fixtures = resolve(fileURLToPath(new URL('.', import.meta.url)), '../src/core/models/vid/fixtures');
const graphs = ['backbone', 'rpn_head', 'bbox_head', 'motion'].map((r) => resolve(fixtures, `dff_tiny_${r}.onnx`));

/** Frames (0-based) with detections in the detect store. */
const detectedFrames = (page: Page) =>
  page.evaluate(() => [...(window as unknown as { mmtrack: { detect: { getState(): { results: Map<number, unknown> } } } }).mmtrack.detect.getState().results.keys()].sort((a, b) => a - b));

for (const ep of ['wasm', 'webgpu'] as const) {
  test(`DFF from a user's config and exported graphs on the ${ep} EP: key frames marked, warped frames detected, DFF's stages timed`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto(ep === 'webgpu' ? '/?ep=webgpu' : '/');
    await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
    await page.getByTestId('config-file-input').setInputFiles(resolve(fixtures, 'dff_tiny.py'));
    await expect(page.getByTestId('config-select')).toHaveValue('user/dff_tiny.py', { timeout: 30_000 });
    await expect(page.getByTestId('model-files-needed')).toHaveText('needs dff_tiny_backbone.onnx + dff_tiny_rpn_head.onnx + dff_tiny_bbox_head.onnx + dff_tiny_motion.onnx');
    await openFile(page, shared('media/street-540p-h264.mp4'));
    await expectVideoShown(page, 8);
    await page.getByTestId('model-input').setInputFiles(graphs);
    await page.getByTestId('detect-toggle').check();
    await expect(page.getByTestId('model-status')).toContainText('dff_tiny_backbone.onnx + dff_tiny_rpn_head.onnx + dff_tiny_bbox_head.onnx + dff_tiny_motion.onnx', { timeout: 90_000 });
    await expect(page.getByTestId('execution-provider')).toContainText(ep === 'webgpu' ? 'WebGPU EP · google · swiftshader · WGSL kernels' : 'wasm EP');
    // key_frame_interval=3: frames 1, 4 and 7 are key frames.
    const marks = page.getByTestId('timeline-marks').locator('.timeline-mark');
    await expect(marks).toHaveCount(3);
    expect(await marks.evaluateAll((m) => m.map((e) => e.getAttribute('data-frame')))).toEqual(['1', '4', '7']);
    await expect.poll(() => detectedFrames(page), { timeout: 120_000 }).toEqual([0]);
    await expect(page.getByTestId('timing-frame-kind')).toHaveText('key frame');
    await expect(page.getByTestId('timing-backbone')).toBeVisible();
    // A jump to frame 6 (between key frames 4 and 7) runs key frame 4 first, then warps its features.
    await page.getByTestId('timeline').fill('6');
    await expect.poll(() => detectedFrames(page), { timeout: 120_000 }).toEqual([0, 3, 5]);
    await expect(page.getByTestId('timing-frame-kind')).toHaveText('warped from its key frame');
    await expect(page.getByTestId('timing-flow')).toBeVisible();
    await expect(page.getByTestId('timing-warp')).toBeVisible();
    // Playing from the start detects every frame, in order from each key frame.
    await page.getByTestId('timeline').fill('1');
    await page.getByTestId('play-pause').click();
    await expect.poll(() => detectedFrames(page), { timeout: 180_000 }).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const boxes = await page.evaluate(() =>
      (window as unknown as { mmtrack: { detect: { getState(): { results: Map<number, { scores: Float32Array }> } } } }).mmtrack.detect.getState().results.get(4)!.scores.length,
    );
    expect(boxes).toBeGreaterThan(0);
  });
}
