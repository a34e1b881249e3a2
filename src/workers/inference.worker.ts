/// <reference lib="webworker" />
// Runs the detector off the main thread: onnxruntime-web's WebGPU EP sharing one GPUDevice with our WGSL kernels,
// or the wasm EP with the CPU twins when WebGPU is unavailable.
// The JSEP build (ORT's WebGPU kernels in JS): its device behaves like any page device, so our kernels can share it.
// With the native-EP build ('onnxruntime-web/webgpu') promises on its device (pipeline creation, error scopes)
// stayed pending in Chromium.
import * as ort from 'onnxruntime-web';
import { centerNetSettings, type CenterNetSettings } from '../core/models/det/centernet.ts';
import { reidSettings } from '../core/models/mot/reid-settings.ts';
import { KernelContext } from '../gpu/kernel-program.ts';
import { framePixels, frameSize } from '../media/decoded-frame.ts';
import { CenterNetCpuRunner } from '../runtime/detectors/centernet-cpu.ts';
import { CenterNetGpuRunner } from '../runtime/detectors/centernet-gpu.ts';
import { loadModel } from '../runtime/model-session.ts';
import { loadReidRunner, type ReidRunner } from '../runtime/reid/reid-runner.ts';
import type { EpChoice, InferenceRequest, InferenceResponse } from './inference-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: InferenceResponse) => scope.postMessage(msg);

// Threads need cross-origin isolation (SharedArrayBuffer); without it ORT runs single-threaded.
ort.env.wasm.numThreads = scope.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;

type Runner = ({ kind: 'gpu'; runner: CenterNetGpuRunner } | { kind: 'cpu'; runner: CenterNetCpuRunner }) & { release(): Promise<void> };
let runner: Runner | null = null;
/** DeepSORT's embeddings for configs with `model.reid` (its graph on the wasm EP, crops / RoIAlign by CPU twins). */
let reid: ReidRunner | null = null;
let gpu: { kernels: KernelContext; adapter: string } | null = null;
let gpuFailure: string | null = null;
let queue: Promise<void> = Promise.resolve();

/**
 * The GPUDevice our kernels share with onnxruntime-web. ORT's WebGPU backend requests its own device when its first
 * session is created (it ignores a device set beforehand in `env.webgpu.device` and then publishes its own there),
 * so we adopt that device for our kernels and watch it for loss.
 */
async function adoptOrtDevice(): Promise<NonNullable<typeof gpu>> {
  if (gpu) return gpu;
  const device = await ort.env.webgpu.device;
  const info = device.adapterInfo;
  gpu = { kernels: new KernelContext(device), adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' · ') || 'WebGPU adapter' };
  void device.lost.then((lost) => {
    if (lost.reason !== 'destroyed') post({ type: 'gpu-lost', reason: lost.message || String(lost.reason) });
  });
  return gpu;
}

/** Why the WebGPU EP is not used for `choice`, or null to use it. */
async function reasonNotToUseWebgpu(choice: EpChoice): Promise<string | null> {
  if (choice === 'wasm') return 'wasm chosen (?ep=wasm)';
  if (!('gpu' in navigator)) return 'WebGPU unavailable: this browser has no navigator.gpu';
  const adapter = await navigator.gpu.requestAdapter().catch(() => null);
  if (!adapter) return 'WebGPU unavailable: no adapter';
  const software = adapter.info.architecture === 'swiftshader' || (adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  if (software && choice === 'auto') return `the WebGPU adapter is a software renderer (${adapter.info.architecture || 'fallback adapter'}), slower than the wasm EP; add ?ep=webgpu to use it anyway`;
  return null;
}

async function loadDetector(req: Extract<InferenceRequest, { type: 'load-detector' }>): Promise<void> {
  try {
    const settings: CenterNetSettings = centerNetSettings(req.config);
    const reidConfig = reidSettings(req.config, settings.preprocess);
    if (reidConfig && !req.reid) throw new Error(`the config's model.reid needs onnx.reid (${reidConfig.onnx.file}), which was not loaded`);
    await reid?.release();
    reid = reidConfig && req.reid ? await loadReidRunner(ort, reidConfig, new Uint8Array(req.reid.model), req.reid.fileName, { providers: ['wasm'] }) : null;
    gpuFailure = await reasonNotToUseWebgpu(req.ep);
    const tryGpu = !gpuFailure;
    const model = await loadModel(ort, new Uint8Array(req.model), req.fileName, settings.onnx, { providers: tryGpu ? ['webgpu', 'wasm'] : ['wasm'], outputsOnGpu: true });
    const g = model.ep === 'webgpu' ? await adoptOrtDevice() : null;
    await runner?.release();
    const release = () => model.session.release();
    runner =
      model.ep === 'webgpu' && g
        ? { kind: 'gpu', runner: new CenterNetGpuRunner(ort, model.session, settings, g.kernels), release }
        : { kind: 'cpu', runner: new CenterNetCpuRunner(ort, model.session, settings), release };
    const fallbackReason = model.ep === 'webgpu' ? null : (gpuFailure ?? 'the WebGPU execution provider could not run this model');
    post({ type: 'detector-ready', loadId: req.loadId, ep: model.ep, adapter: g?.adapter ?? null, fallbackReason, sha256: model.sha256, classNames: [...settings.classNames] });
  } catch (err) {
    post({ type: 'detector-failed', loadId: req.loadId, message: err instanceof Error ? err.message : String(err) });
  }
}

async function detect(req: Extract<InferenceRequest, { type: 'detect' }>): Promise<void> {
  const { frame } = req;
  try {
    if (!runner) throw new Error('no detector loaded');
    const { width, height } = frameSize(frame);
    const pixels = runner.kind === 'cpu' || reid ? framePixels(frame).data : null;
    const r = runner.kind === 'gpu' ? await runner.runner.detect(frame, width, height) : await runner.runner.detect(pixels!, width, height);
    const d = r.detections;
    let embeddings;
    let timings = r.timings;
    if (reid) {
      const t0 = performance.now();
      embeddings = await reid.embed(pixels!, width, height, d.boxes);
      const ms = performance.now() - t0;
      timings = { ...timings, reid: ms, total: timings.total + ms };
    }
    post({ type: 'detections', reqId: req.reqId, frameIndex: req.frameIndex, detections: { boxes: d.boxes, scores: d.scores, labels: d.labels, ...(embeddings ? { embeddings } : {}) }, timings });
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
