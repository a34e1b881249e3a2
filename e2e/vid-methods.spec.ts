/**
 * A user's FGFA and Temporal RoI Align (SELSA) in the app: the tiny models of src/core/models/vid/fixtures (their
 * MMTracking-style configs picked with their _base_ files, and the graphs scripts/export/export_vid_onnx.py wrote,
 * parity-checked against PyTorch restatements of MMTracking in the unit tests) dropped, then run on street-540p (8
 * frames): the player hands the worker the other frames each method reads (FGFA's window, SELSA's references) and
 * every frame is detected, by the CPU runners on the wasm EP and the GPU runners on the WebGPU EP (SwiftShader here);
 * Temporal RoI Align's causal config too (its window: the frames before each).
 * What is checked is the path, not accuracy.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expectVideoShown, openFile, shared } from './helpers.ts';
import { expect, test } from './fixtures.ts';

const fixtures = resolve(fileURLToPath(new URL('.', import.meta.url)), '../src/core/models/vid/fixtures');

const detectedFrames = (page: Page) =>
  page.evaluate(() => [...(window as unknown as { mmtrack: { detect: { getState(): { results: Map<number, unknown> } } } }).mmtrack.detect.getState().results.keys()].sort((a, b) => a - b));

const methods = [
  {
    name: 'FGFA',
    configs: ['fgfa_tiny.py', 'dff_tiny.py'],
    graphs: ['backbone', 'rpn_head', 'bbox_head', 'motion', 'aggregator'].map((r) => `fgfa_tiny_${r}.onnx`),
    // frame_range [-2, 2]: frame 4 (1-based) aggregates frames 2 to 6; no marks (FGFA has no key frames).
    marks: [] as string[],
    kind: 'with frames 2, 3, 4, 5, 6',
    stages: ['flow', 'warp', 'aggregate'],
  },
  {
    name: 'SELSA + Temporal RoI Align',
    configs: ['troi_tiny.py', 'selsa_tiny.py', 'dff_tiny.py'],
    graphs: ['backbone', 'rpn_head', 'bbox_head', 'bbox_head_ref', 'embed_network'].map((r) => `troi_tiny_${r}.onnx`),
    // 5 references over 8 frames by test_with_adaptive_stride: frames 0, 2, 4, 5, 7 (1-based 1, 3, 5, 6, 8).
    marks: ['1', '3', '5', '6', '8'],
    kind: 'with frames 1, 3, 5, 6, 8',
    stages: ['aggregate', 'head'],
  },
  {
    // The causal mode (test_with_fix_stride, frame_range [-3, 0]); its GPU runner is checked in Node
    // (selsa-gpu.test.ts), so the wasm EP only here.
    name: 'Temporal RoI Align, causal',
    configs: ['troi_tiny_causal.py', 'troi_tiny.py', 'selsa_tiny.py', 'dff_tiny.py'],
    graphs: ['backbone', 'rpn_head', 'bbox_head', 'bbox_head_ref', 'embed_network'].map((r) => `troi_tiny_${r}.onnx`),
    // Frame 4 (1-based) with the 3 before it; nothing ahead, no reference marks.
    marks: [] as string[],
    kind: 'with frames 1, 2, 3, 4',
    stages: ['references', 'aggregate', 'head'],
    eps: ['wasm'] as const,
  },
];

for (const m of methods) {
  for (const ep of m.eps ?? (['wasm', 'webgpu'] as const)) {
    test(`${m.name} from a user's config and exported graphs on the ${ep} EP: the other frames it reads handed over, every frame detected`, async ({ page }) => {
      test.setTimeout(300_000);
      await page.goto(ep === 'webgpu' ? '/?ep=webgpu' : '/');
      await expect(page.getByTestId('config-select')).toHaveValue(/bytetrack/, { timeout: 30_000 });
      await page.getByTestId('config-file-input').setInputFiles(m.configs.map((c) => resolve(fixtures, c)));
      await expect(page.getByTestId('config-select')).toHaveValue(`user/${m.configs[0]}`, { timeout: 30_000 });
      await expect(page.getByTestId('model-files-needed')).toHaveText(`needs ${m.graphs.join(' + ')}`);
      await openFile(page, shared('media/street-540p-h264.mp4'));
      await expectVideoShown(page, 8);
      await page.getByTestId('model-input').setInputFiles(m.graphs.map((g) => resolve(fixtures, g)));
      await page.getByTestId('detect-toggle').check();
      await expect(page.getByTestId('model-status')).toContainText(m.graphs.join(' + '), { timeout: 90_000 });
      // On the WebGPU EP the GPU runner (our kernels on ORT's buffers), on the wasm EP the CPU runner.
      await expect(page.getByTestId('execution-provider')).toContainText(ep === 'webgpu' ? 'WebGPU EP · google · swiftshader · WGSL kernels' : 'wasm EP');
      const marks = page.getByTestId('timeline-marks').locator('.timeline-mark');
      await expect(marks).toHaveCount(m.marks.length);
      expect(await marks.evaluateAll((e) => e.map((x) => x.getAttribute('data-frame')))).toEqual(m.marks);
      await expect.poll(() => detectedFrames(page), { timeout: 120_000 }).toEqual([0]);
      // A jump to frame 4: its window (or, for SELSA, the references already kept) comes along.
      await page.getByTestId('timeline').fill('4');
      await expect.poll(() => detectedFrames(page), { timeout: 120_000 }).toEqual([0, 3]);
      await expect(page.getByTestId('timing-frame-kind')).toHaveText(m.kind);
      for (const s of m.stages) await expect(page.getByTestId(`timing-${s}`)).toBeVisible();
      // Playing from the start detects every frame.
      await page.getByTestId('timeline').fill('1');
      await page.getByTestId('play-pause').click();
      await expect.poll(() => detectedFrames(page), { timeout: 180_000 }).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      await expect(page.getByTestId('model-error')).toHaveCount(0);
    });
  }
}
