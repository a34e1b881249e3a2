/**
 * The GPU Faster R-CNN runner (our NMS and RoIAlign kernels on a Dawn device, graphs on the wasm EP behind a
 * GpuRunGraph that moves tensors to and from GPU buffers, as ORT's WebGPU EP would hold them) against torchvision on
 * the same fixture as the CPU runner, with the same tolerances.
 */
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { type GraphRole, imageMeta } from '../../core/models/det/faster-rcnn.ts';
import { preprocessImage } from '../../core/ops/preprocess.ts';
import { uploadBuffer } from '../../gpu/device.ts';
import { testKernelContext } from '../../gpu/parity-testing.node.ts';
import { FasterRcnn } from '../../core/models/det/faster-rcnn.ts';
import { ortRunGraph } from './faster-rcnn-cpu.ts';
import { FasterRcnnGpuRunner, type GpuRunGraph } from './faster-rcnn-gpu.ts';
import { wasmOnGpu } from './wasm-on-gpu.node.ts';
import { fixtureRgba, loadFixtureModel, maxAbsDiff, readFasterRcnnFixture, unmatchedDetections } from './faster-rcnn-fixture.node.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx = await testKernelContext();
const fixture = readFasterRcnnFixture();
const { model, sessions } = await loadFixtureModel();

/** Both graphs on the wasm EP behind GPU buffers; counts live output buffers. */
function wasmGraphs(): { run: GpuRunGraph; live: () => number } {
  const onGpu = wasmOnGpu(ctx.device);
  return { run: (role: GraphRole, feeds) => onGpu.run(sessions[role], feeds), live: () => onGpu.live() };
}

describe('Faster R-CNN GPU runner (NMS and RoIAlign kernels) vs torchvision', () => {
  const graphs = wasmGraphs();
  const runner = new FasterRcnnGpuRunner(model, graphs.run, ctx);

  for (const image of fixture.images) {
    it(`${image.name}: same proposals and detections as torchvision, every graph output but the RoI features released`, async () => {
      const { data, geometry: g } = preprocessImage(fixtureRgba(image), image.width, image.height, model.preprocess);
      const input = uploadBuffer(ctx.device, data, 'image');
      const r = await runner.detectTensor({ buffer: input, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, imageMeta(g));
      input.destroy();
      // The RoI feature maps stay for Tracktor's regression on this frame; the previous frame's went back.
      expect(graphs.live()).toBe(model.graphs.backbone.features.length);
      expect(maxAbsDiff(r.proposals.boxes, image.proposals)).toBeLessThan(1e-3);
      expect(maxAbsDiff(r.proposals.scores, image.proposal_scores)).toBeLessThan(1e-5);
      expect(r.detections.scores.length).toBe(image.detections.scores.length);
      expect(unmatchedDetections(r.detections, image.detections, 1e-3, 1e-4)).toEqual([]);
      expect(r.timings.total).toBeGreaterThan(0);
    });
  }

  it("Tracktor's regression on the kept GPU features equals the CPU runner's (RoIAlign kernel vs twin), for given and best classes", async () => {
    const cpu = new FasterRcnn(model, ortRunGraph(ort, sessions));
    for (const image of fixture.images) {
      const rgba = fixtureRgba(image);
      const { data, geometry: g } = preprocessImage(rgba, image.width, image.height, model.preprocess);
      const input = uploadBuffer(ctx.device, data, 'image');
      await runner.detectTensor({ buffer: input, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, imageMeta(g));
      input.destroy();
      await cpu.detect(rgba, image.width, image.height);
      const boxes = Float32Array.from(image.detections.boxes.slice(0, 40));
      const labels = Int32Array.from(image.detections.labels.slice(0, 10));
      const [ours, twin] = [await runner.regress(boxes, labels), await cpu.regress(boxes, labels)];
      expect(maxAbsDiff(ours.boxes, twin.boxes)).toBeLessThan(1e-3);
      expect(maxAbsDiff(ours.scores, twin.scores)).toBeLessThan(1e-5);
      expect(Array.from((await runner.regress(boxes)).labels)).toEqual(Array.from((await cpu.regress(boxes)).labels));
    }
    runner.release();
    expect(graphs.live()).toBe(0);
    await expect(runner.regress(new Float32Array(4))).rejects.toThrow(/call detect\(\) on it first/);
  });
});
