/// <reference lib="webworker" />
// Runs the detector off the main thread: onnxruntime-web's WebGPU EP sharing one GPUDevice with our WGSL kernels,
// or the wasm EP with the CPU twins when WebGPU is unavailable.
import * as ort from 'onnxruntime-web/webgpu';
import { centerNetSettings, type CenterNetSettings } from '../core/models/det/centernet.ts';
import { requestGpuDevice } from '../gpu/device.ts';
import { KernelContext } from '../gpu/kernel-program.ts';
import { CenterNetCpuRunner } from '../runtime/detectors/centernet-cpu.ts';
import { CenterNetGpuRunner } from '../runtime/detectors/centernet-gpu.ts';
import { loadModel } from '../runtime/model-session.ts';
import type { InferenceRequest, InferenceResponse } from './inference-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: InferenceResponse) => scope.postMessage(msg);

// Threads need cross-origin isolation (SharedArrayBuffer); without it ORT runs single-threaded.
ort.env.wasm.numThreads = scope.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;

type Runner = ({ kind: 'gpu'; runner: CenterNetGpuRunner } | { kind: 'cpu'; runner: CenterNetCpuRunner }) & { release(): Promise<void> };
let runner: Runner | null = null;
let gpu: { kernels: KernelContext; adapter: string } | null = null;
let gpuFailure: string | null = null;
let queue: Promise<void> = Promise.resolve();

/** One device per worker, handed to ORT before its first WebGPU session (ORT cannot switch devices later). */
async function sharedGpu(): Promise<typeof gpu> {
  if (gpu || gpuFailure) return gpu;
  try {
    if (!('gpu' in navigator)) throw new Error('navigator.gpu is missing');
    const device = await requestGpuDevice(navigator.gpu);
    ort.env.webgpu.device = device;
    const info = device.adapterInfo;
    gpu = { kernels: new KernelContext(device), adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' · ') || 'WebGPU adapter' };
    void device.lost.then((lost) => {
      if (lost.reason !== 'destroyed') post({ type: 'gpu-lost', reason: lost.message || String(lost.reason) });
    });
  } catch (err) {
    gpuFailure = err instanceof Error ? err.message : String(err);
  }
  return gpu;
}

async function loadDetector(req: Extract<InferenceRequest, { type: 'load-detector' }>): Promise<void> {
  try {
    const settings: CenterNetSettings = centerNetSettings(req.config);
    const g = req.useGpu ? await sharedGpu() : null;
    const model = await loadModel(ort, new Uint8Array(req.model), req.fileName, settings.onnx, { providers: g ? ['webgpu', 'wasm'] : ['wasm'], outputsOnGpu: true });
    await runner?.release();
    const release = () => model.session.release();
    runner =
      model.ep === 'webgpu' && g
        ? { kind: 'gpu', runner: new CenterNetGpuRunner(ort, model.session, settings, g.kernels), release }
        : { kind: 'cpu', runner: new CenterNetCpuRunner(ort, model.session, settings), release };
    const fallbackReason = model.ep === 'webgpu' ? null : !req.useGpu ? 'wasm chosen' : (gpuFailure ?? 'the WebGPU execution provider could not run this model');
    post({ type: 'detector-ready', loadId: req.loadId, ep: model.ep, adapter: g?.adapter ?? null, fallbackReason, sha256: model.sha256, classNames: [...settings.classNames] });
  } catch (err) {
    post({ type: 'detector-failed', loadId: req.loadId, message: err instanceof Error ? err.message : String(err) });
  }
}

/** RGBA pixels of a frame for the CPU path. */
function framePixels(frame: VideoFrame | ImageBitmap, width: number, height: number): Uint8ClampedArray {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in the worker');
  ctx.drawImage(frame, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height).data;
}

async function detect(req: Extract<InferenceRequest, { type: 'detect' }>): Promise<void> {
  const { frame } = req;
  try {
    if (!runner) throw new Error('no detector loaded');
    const width = 'displayWidth' in frame ? frame.displayWidth : frame.width;
    const height = 'displayHeight' in frame ? frame.displayHeight : frame.height;
    const r = runner.kind === 'gpu' ? await runner.runner.detect(frame, width, height) : await runner.runner.detect(framePixels(frame, width, height), width, height);
    const d = r.detections;
    post({ type: 'detections', reqId: req.reqId, frameIndex: req.frameIndex, detections: { boxes: d.boxes, scores: d.scores, labels: d.labels }, timings: r.timings });
  } catch (err) {
    post({ type: 'detect-failed', reqId: req.reqId, frameIndex: req.frameIndex, message: err instanceof Error ? err.message : String(err) });
  } finally {
    frame.close();
  }
}

scope.onmessage = (ev: MessageEvent<InferenceRequest>) => {
  const req = ev.data;
  queue = queue.then(() => (req.type === 'load-detector' ? loadDetector(req) : detect(req)));
};
