/**
 * The GPU DFF runner (FlowNet-preparation, fused predict_flow warp, NMS and RoIAlign kernels on a Dawn device; the
 * four graphs on the wasm EP behind GPU buffers, as ORT's WebGPU EP would hold them) against the PyTorch
 * restatement of MMTracking's DFF on the same fixture as the CPU runner, with the same tolerances.
 */
import { imageMeta } from '../../core/models/det/faster-rcnn.ts';
import { describe, expect, it } from 'vitest';
import { dffModel } from '../../core/models/vid/vid-config.ts';
import type { DffGraphRole } from '../../core/models/vid/dff.ts';
import { preprocessImage } from '../../core/ops/preprocess.ts';
import { uploadBuffer } from '../../gpu/device.ts';
import { testKernelContext } from '../../gpu/parity-testing.node.ts';
import { DffGpuRunner } from './dff-gpu.ts';
import { type FixtureImage, fixtureRgba, maxAbsDiff, unmatchedDetections } from '../detectors/faster-rcnn-fixture.node.ts';
import { wasmOnGpu } from '../detectors/wasm-on-gpu.node.ts';
import { readVidFixture, vidFixtureConfig, vidFixtureSessions } from './vid-fixture.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx = await testKernelContext();
const fixture = readVidFixture<{ frames: (FixtureImage & { frame_id: number; key_frame: boolean })[] }>('dff_tiny');
const config = await vidFixtureConfig('dff_tiny');
const model = dffModel(config);
const sessions = await vidFixtureSessions<DffGraphRole>(config);

describe('DFF GPU runner vs the PyTorch restatement of MMTracking', () => {
  const onGpu = wasmOnGpu(ctx.device);
  const runner = new DffGpuRunner(model, (role, feeds) => onGpu.run(sessions[role], feeds), ctx);

  for (const frame of fixture.frames) {
    it(`frame ${frame.frame_id} (${frame.key_frame ? 'key frame' : 'warped'}): same proposals and detections; only the key frame's maps stay alive`, async () => {
      const { data, geometry: g } = preprocessImage(fixtureRgba(frame), frame.width, frame.height, model.preprocess);
      const input = uploadBuffer(ctx.device, data, 'image');
      const r = await runner.detectTensor({ buffer: input, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, imageMeta(g), frame.frame_id);
      input.destroy();
      expect(r.keyFrame).toBe(frame.key_frame);
      expect(onGpu.live()).toBe(model.graphs.backbone.features.length);
      expect(maxAbsDiff(r.proposals.boxes, frame.proposals)).toBeLessThan(1e-3);
      expect(maxAbsDiff(r.proposals.scores, frame.proposal_scores)).toBeLessThan(1e-5);
      expect(r.detections.scores.length).toBe(frame.detections.scores.length);
      expect(unmatchedDetections(r.detections, frame.detections, 1e-3, 1e-4)).toEqual([]);
    });
  }

  it('release gives every buffer back; a frame without its key frame is refused', async () => {
    runner.release();
    expect(onGpu.live()).toBe(0);
    const input = uploadBuffer(ctx.device, new Float32Array(3 * 128 * 160), 'image');
    await expect(runner.detectTensor({ buffer: input, dims: [1, 3, 128, 160] }, { imgShape: [128, 150], scaleFactor: [1, 1] }, 2)).rejects.toThrow('DFF: frame 2 warps the features of key frame 0, which has not been run');
    input.destroy();
  });
});
