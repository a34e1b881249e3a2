/**
 * The GPU SELSA runner (RoIAlign, NMS, similarity-map, most similar RoI align and temporal attention kernels on a Dawn
 * device; the graphs on the wasm EP behind GPU buffers, as ORT's WebGPU EP would hold them) against the PyTorch
 * restatements of MMTracking's SELSA and Temporal RoI Align, on the fixtures and with the tolerances of the CPU tests
 * (selsa-cpu.test.ts, troi-cpu.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { SelsaFrameResult, SelsaGraphRole } from '../../core/models/vid/selsa.ts';
import { selsaModel } from '../../core/models/vid/vid-config.ts';
import { testKernelContext } from '../../gpu/parity-testing.node.ts';
import { type FixtureImage } from '../detectors/faster-rcnn-fixture.node.ts';
import { wasmOnGpu } from '../detectors/wasm-on-gpu.node.ts';
import { SelsaGpuRunner } from './selsa-gpu.ts';
import { expectRestatementFrame, fixtureGpuFrames, readVidFixture, vidFixtureConfig, vidFixtureSessions } from './vid-fixture.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx = await testKernelContext();

for (const name of ['selsa_tiny', 'troi_tiny']) {
  const fixture = readVidFixture<{ settings: { ref_frames: number[] }; frames: (FixtureImage & { frame_id: number })[] }>(name);
  const config = await vidFixtureConfig(name);
  const model = selsaModel(config);
  const sessions = await vidFixtureSessions<SelsaGraphRole>(config);

  describe(`SELSA GPU runner vs the PyTorch restatement of MMTracking (fixtures/${name})`, () => {
    const onGpu = wasmOnGpu(ctx.device);
    const runner = new SelsaGpuRunner(model, (role, feeds) => onGpu.run(sessions[role], feeds), ctx);
    const frames = fixtureGpuFrames(ctx.device, fixture.frames, model.preprocess);
    // What stays alive between frames: per reference with proposals its keys and values; with Temporal RoI Align,
    // every reference's searched map.
    const kept = (r: SelsaFrameResult) => r.references.length * (model.graphs.bboxHeadRef.keysValues.length + (model.detector.rcnn.roiExtractor.temporal ? 1 : 0));

    for (const frame of fixture.frames) {
      it(`frame ${frame.frame_id}: same proposals and detections; only the references' buffers stay alive`, async () => {
        const r = await runner.detect(frame.frame_id, fixture.frames.length, frames);
        expect(r.references).toEqual(fixture.settings.ref_frames);
        expect(frames.live.size).toBe(0);
        expect(onGpu.live()).toBe(kept(r));
        expectRestatementFrame(r, frame, 3e-4);
      });
    }

    it('release gives every buffer back; a frame outside the video is refused', async () => {
      runner.release();
      expect(onGpu.live()).toBe(0);
      await expect(runner.detect(7, 7, frames)).rejects.toThrow("SELSA: frame 7 is outside the video's 7 frames");
    });
  });
}

// The causal mode (test_with_fix_stride, frame_range [-3, 0]) against the restatement's fixed-stride branch in
// float64, with the CPU test's tolerances (selsa-cpu.test.ts says why SELSA's boxes get 2e-3 px there).
for (const [name, boxTol] of [['selsa_tiny', 2e-3], ['troi_tiny', 1e-3]] as const) {
  const offline = readVidFixture<{ frames: (FixtureImage & { frame_id: number })[] }>(name);
  const causal = readVidFixture<{ frames: (Omit<FixtureImage, 'rgb_base64' | 'width' | 'height'> & { frame_id: number; window: number[] })[] }>(`${name}_causal`);
  const config = await vidFixtureConfig(`${name}_causal`);
  const model = selsaModel(config);
  const sessions = await vidFixtureSessions<SelsaGraphRole>(config);

  describe(`SELSA GPU runner's causal mode vs the restatement (fixtures/${name}_causal)`, () => {
    const onGpu = wasmOnGpu(ctx.device);
    const runner = new SelsaGpuRunner(model, (role, feeds) => onGpu.run(sessions[role], feeds), ctx);
    const frames = fixtureGpuFrames(ctx.device, offline.frames, model.preprocess);
    const perFrame = model.graphs.bboxHeadRef.keysValues.length + (model.detector.rcnn.roiExtractor.temporal ? 1 : 0);

    for (const frame of causal.frames) {
      it(`frame ${frame.frame_id} (window ${frame.window.join(', ')}): same proposals and detections; the window's frames' buffers kept, no more`, async () => {
        const r = await runner.detect(frame.frame_id, undefined, frames);
        expect(r.references).toEqual(frame.window);
        expect(frames.live.size).toBe(0);
        // Kept: this frame's keys and values (and map) and those of the 3 frames before it, which the next window reads.
        expect(onGpu.live()).toBe(perFrame * Math.min(frame.frame_id + 1, 4));
        expectRestatementFrame(r, { ...offline.frames[frame.frame_id]!, ...frame }, 3e-4, false, boxTol);
      });
    }

    it('release gives every buffer back', () => {
      runner.release();
      expect(onGpu.live()).toBe(0);
    });
  });
}
