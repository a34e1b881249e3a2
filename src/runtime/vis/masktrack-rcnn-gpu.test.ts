/**
 * The GPU MaskTrack R-CNN runner (NMS, RoIAlign and mask-paste kernels on a Dawn device, the four graphs on the wasm
 * EP behind GPU buffers, as ORT's WebGPU EP would hold them) against MMTracking's restated results on the same
 * fixture as the CPU runner, with the same tolerances; only the frame's own buffers are alive between frames.
 */
import { describe, expect, it } from 'vitest';
import { imageMeta } from '../../core/models/det/faster-rcnn.ts';
import type { VisGraphRole } from '../../core/models/vis/masktrack-rcnn.ts';
import { preprocessImage } from '../../core/ops/preprocess.ts';
import { uploadBuffer } from '../../gpu/device.ts';
import { testKernelContext } from '../../gpu/parity-testing.node.ts';
import { wasmOnGpu } from '../detectors/wasm-on-gpu.node.ts';
import { MaskTrackRcnnGpuRunner } from './masktrack-rcnn-gpu.ts';
import { loadVisFixtureModel, readVisFixture, visFrameProblems, visFrameRgba } from './masktrack-rcnn-fixture.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx = await testKernelContext();
const fixture = readVisFixture();
const { model, sessions } = await loadVisFixtureModel();

describe('MaskTrack R-CNN GPU runner vs MMTracking (fixtures/masktrack_rcnn_tiny.*)', () => {
  it('every frame: the same detections, ids and masks; no graph output left alive', async () => {
    const onGpu = wasmOnGpu(ctx.device);
    const runner = new MaskTrackRcnnGpuRunner(model, (role: VisGraphRole, feeds) => onGpu.run(sessions[role], feeds), ctx);
    const problems: string[] = [];
    for (const frame of fixture.frames) {
      const { data, geometry: g } = preprocessImage(visFrameRgba(frame), frame.width, frame.height, model.detector.preprocess);
      const input = uploadBuffer(ctx.device, data, 'image');
      const r = await runner.trackTensor({ buffer: input, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, imageMeta(g), frame.width, frame.height, frame.frame_id);
      input.destroy();
      problems.push(...visFrameProblems(r, frame).map((p) => `frame ${frame.frame_id}: ${p}`));
      expect(onGpu.live()).toBe(0);
    }
    expect(problems).toEqual([]);
  });
});
