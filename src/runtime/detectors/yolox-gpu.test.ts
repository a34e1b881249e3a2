/**
 * The GPU YOLOX runner (decode, compaction and NMS kernels on a Dawn device; the graph on the wasm EP behind a
 * function that moves tensors to and from GPU buffers, as ORT's WebGPU EP would hold them) against MMDetection's
 * YOLOX post-processing on the same fixture as the CPU runner, with the same tolerances.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { nodeConfigFs } from '../../cli/node-config-fs.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import { yoloxModel } from '../../core/models/det/yolox-config.ts';
import { preprocessImage } from '../../core/ops/preprocess.ts';
import { readBuffer, uploadBuffer } from '../../gpu/device.ts';
import { testKernelContext } from '../../gpu/parity-testing.node.ts';
import { loadModel } from '../model-session.ts';
import { FIXTURE_DIR, type FixtureImage, fixtureRgba, unmatchedDetections } from './faster-rcnn-fixture.node.ts';
import type { GpuOutput } from './faster-rcnn-gpu.ts';
import { type YoloxGpuGraph, YoloxGpuRunner } from './yolox-gpu.ts';

const ctx = await testKernelContext();
const fixture = JSON.parse(readFileSync(new URL('yolox_tiny.json', FIXTURE_DIR), 'utf8')) as { images: FixtureImage[] };
const { config } = await loadConfig(new URL('yolox_tiny.py', FIXTURE_DIR).pathname, nodeConfigFs);
const model = yoloxModel(config);
const { session } = await loadModel(ort, new Uint8Array(readFileSync(new URL('yolox_tiny.onnx', FIXTURE_DIR))), 'yolox_tiny.onnx', model.graph.spec, { providers: ['wasm'] });

let live = 0;
const graph: YoloxGpuGraph = async (image, dims) => {
  const data = await readBuffer(ctx.device, image, Float32Array, dims.reduce((a, b) => a * b, 1));
  const out = await session.run({ [model.graph.input]: new ort.Tensor('float32', data, dims) });
  const result: Record<string, GpuOutput> = {};
  for (const [name, t] of Object.entries(out)) {
    const buffer = uploadBuffer(ctx.device, t.data as Float32Array, name);
    live++;
    result[name] = { buffer, dims: t.dims, dispose: () => (live--, buffer.destroy()) };
  }
  return result;
};

describe('YOLOX GPU runner (decode, compaction and NMS kernels) vs MMDetection', () => {
  const runner = new YoloxGpuRunner(model, graph, ctx);
  for (const image of fixture.images) {
    it(`${image.name}: same detections as MMDetection's YOLOX (labels identical, boxes 1e-3 px, scores 1e-5), every graph output released`, async () => {
      const { data, geometry: g } = preprocessImage(fixtureRgba(image), image.width, image.height, model.preprocess);
      const input = uploadBuffer(ctx.device, data, 'image');
      const { detections } = await runner.detectTensor(input, [1, 3, g.paddedHeight, g.paddedWidth], g.scaleFactor);
      input.destroy();
      expect(live).toBe(0);
      expect(detections.scores.length).toBe(image.detections.scores.length);
      expect(unmatchedDetections(detections, image.detections, 1e-3, 1e-5)).toEqual([]);
    });
  }
});
