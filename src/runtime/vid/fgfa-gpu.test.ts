/**
 * The GPU FGFA runner (FlowNet-preparation, fused warp, embedding-aggregation, NMS and RoIAlign kernels on a Dawn
 * device; the five graphs on the wasm EP behind GPU buffers, as ORT's WebGPU EP would hold them) against the PyTorch
 * restatement of MMTracking's FGFA, on the fixture and with the tolerances of fgfa-cpu.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { FgfaGraphRole } from '../../core/models/vid/fgfa.ts';
import { fgfaModel } from '../../core/models/vid/vid-config.ts';
import { testKernelContext } from '../../gpu/parity-testing.node.ts';
import { type FixtureImage } from '../detectors/faster-rcnn-fixture.node.ts';
import { wasmOnGpu } from '../detectors/wasm-on-gpu.node.ts';
import { FgfaGpuRunner } from './fgfa-gpu.ts';
import { expectRestatementFrame, fixtureGpuFrames, readVidFixture, vidFixtureConfig, vidFixtureSessions } from './vid-fixture.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx = await testKernelContext();
const fixture = readVidFixture<{ frames: (FixtureImage & { frame_id: number; window: number[] })[] }>('fgfa_tiny');
const config = await vidFixtureConfig('fgfa_tiny');
const model = fgfaModel(config);
const sessions = await vidFixtureSessions<FgfaGraphRole>(config);

describe('FGFA GPU runner vs the PyTorch restatement of MMTracking (fixtures/fgfa_tiny)', () => {
  const onGpu = wasmOnGpu(ctx.device);
  const runner = new FgfaGpuRunner(model, (role, feeds) => onGpu.run(sessions[role], feeds), ctx);
  const frames = fixtureGpuFrames(ctx.device, fixture.frames, model.preprocess);

  for (const frame of fixture.frames) {
    it(`frame ${frame.frame_id} (window ${frame.window.join(', ')}): same proposals and detections; only the window's frames stay on the GPU`, async () => {
      const r = await runner.detect(frame.frame_id, frames);
      expect(r.window).toEqual(frame.window);
      // Held: the frames from the window's first on (it reaches 2 ahead); each keeps its image and its maps.
      const held = new Set(fixture.frames.map((f) => f.frame_id).filter((i) => i >= frame.window[0]! && i <= Math.max(...frame.window))).size;
      expect(runner.held).toBe(held);
      expect(frames.live.size).toBe(held);
      expect(onGpu.live()).toBe(held * model.graphs.backbone.features.length);
      expectRestatementFrame(r, frame, 1e-4, true);
    });
  }

  it('release gives every buffer back; a frame past the end is refused', async () => {
    runner.release();
    expect(onGpu.live()).toBe(0);
    expect(frames.live.size).toBe(0);
    await expect(runner.detect(7, frames)).rejects.toThrow('FGFA: frame 7 is past the end of the video');
  });
});
