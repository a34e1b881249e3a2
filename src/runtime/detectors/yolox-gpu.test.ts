/**
 * The GPU YOLOX runner (decode, compaction and NMS kernels on a Dawn device; the graph on the wasm EP behind a
 * function that moves tensors to and from GPU buffers, as ORT's WebGPU EP would hold them) against MMDetection's
 * YOLOX post-processing on the same fixture as the CPU runner, with the same tolerances.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import { yoloxModel } from '../../core/models/det/yolox-config.ts';
import { preprocessImage } from '../../core/ops/preprocess.ts';
import { uploadBuffer } from '../../gpu/device.ts';
import { testKernelContext } from '../../gpu/parity-testing.node.ts';
import { loadModel } from '../model-session.ts';
import { FIXTURE_DIR, type FixtureImage, fixtureRgba, unmatchedDetections } from './faster-rcnn-fixture.node.ts';
import { wasmOnGpu } from './wasm-on-gpu.node.ts';
import { type YoloxGpuGraph, YoloxGpuRunner } from './yolox-gpu.ts';

const ctx = await testKernelContext();
const fixture = JSON.parse(readFileSync(new URL('yolox_tiny.json', FIXTURE_DIR), 'utf8')) as { images: FixtureImage[] };
const { config } = await loadConfig(new URL('yolox_tiny.py', FIXTURE_DIR).pathname, nodeConfigFs);
const model = yoloxModel(config);
const { session } = await loadModel(ort, new Uint8Array(readFileSync(new URL('yolox_tiny.onnx', FIXTURE_DIR))), 'yolox_tiny.onnx', model.graph.spec, { providers: ['wasm'] });

const onGpu = wasmOnGpu(ctx.device);
const graph: YoloxGpuGraph = (image, dims) => onGpu.run(session, { [model.graph.input]: { buffer: image, dims } });

describe('YOLOX GPU runner (decode, compaction and NMS kernels) vs MMDetection', () => {
  const runner = new YoloxGpuRunner(model, graph, ctx);
  for (const image of fixture.images) {
    it(`${image.name}: same detections as MMDetection's YOLOX (labels identical, boxes 1e-3 px, scores 1e-5), every graph output released`, async () => {
      const { data, geometry: g } = preprocessImage(fixtureRgba(image), image.width, image.height, model.preprocess);
      const input = uploadBuffer(ctx.device, data, 'image');
      const { detections } = await runner.detectTensor(input, [1, 3, g.paddedHeight, g.paddedWidth], g.scaleFactor);
      input.destroy();
      expect(onGpu.live()).toBe(0);
      expect(detections.scores.length).toBe(image.detections.scores.length);
      expect(unmatchedDetections(detections, image.detections, 1e-3, 1e-5)).toEqual([]);
    });
  }
});
