/// <reference lib="webworker" />
// Runs the detector off the main thread: onnxruntime-web's WebGPU EP sharing one GPUDevice with our WGSL kernels,
// or the wasm EP with the CPU twins when WebGPU is unavailable.
// The JSEP build (ORT's WebGPU kernels in JS): its device behaves like any page device, so our kernels can share it.
// With the native-EP build ('onnxruntime-web/webgpu') promises on its device (pipeline creation, error scopes)
// stayed pending in Chromium.
import { imageMeta } from '../core/models/det/faster-rcnn.ts';
import * as ort from 'onnxruntime-web';
import type { InferenceSession } from 'onnxruntime-web';
import { preprocessFrame } from '../gpu/preprocess.ts';
import { centerNetSettings } from '../core/models/det/centernet.ts';
import { fasterRcnnModel } from '../core/models/det/faster-rcnn-config.ts';
import { YOLOX_DETECTORS, yoloxModel } from '../core/models/det/yolox-config.ts';
import type { OnnxModelSpec } from '../core/config/onnx-spec.ts';
import type { PreprocessOptions } from '../core/ops/preprocess.ts';
import type { Detections } from '../core/structures/detections.ts';
import type { BoxRegressor } from '../core/trackers/tracker.ts';
import { reidSettings } from '../core/models/mot/reid-settings.ts';
import { grayImage } from '../core/trackers/gray-image.ts';
import { KernelContext } from '../gpu/kernel-program.ts';
import { framePixels, frameSize } from '../media/decoded-frame.ts';
import { CenterNetGpuRunner } from '../runtime/detectors/centernet-gpu.ts';
import { detectorType, loadDetectorGraphs, loadDetectorRunner } from '../runtime/detectors/detector-runner.ts';
import { FasterRcnnGpuRunner, ortGpuRunGraph } from '../runtime/detectors/faster-rcnn-gpu.ts';
import { DffGpuRunner, ortDffGpuRunGraph } from '../runtime/vid/dff-gpu.ts';
import { FgfaGpuRunner, ortFgfaGpuRunGraph } from '../runtime/vid/fgfa-gpu.ts';
import { ortSelsaGpuRunGraph, SelsaGpuRunner } from '../runtime/vid/selsa-gpu.ts';
import type { GpuPreparedFrames } from '../runtime/vid/gpu-frames.ts';
import type { FgfaGraphRole } from '../core/models/vid/fgfa.ts';
import type { SelsaGraphRole } from '../core/models/vid/selsa.ts';
import { DffCenterNetGpuRunner, ortDffCenterNetGpuRunGraph } from '../runtime/vid/dff-centernet-gpu.ts';
import { FGFA_STAGES, isVidConfig, loadVidRunner, type RgbaFrame, SELSA_STAGES, selsaVariant, stagesOf, vidStageTimings } from '../runtime/vid/vid-runner.ts';
import { firstFrameStillRead, vidFrameReads } from '../core/models/vid/frame-reads.ts';
import { ortYoloxGraph, YoloxGpuRunner } from '../runtime/detectors/yolox-gpu.ts';
import { dffCenterNetModel, dffModel, fgfaModel, selsaModel, vidDetectorType, vidSettings } from '../core/models/vid/vid-config.ts';
import type { StageTimings } from '../runtime/detectors/stage-timings.ts';
import { type LoadedModel, loadModel } from '../runtime/model-session.ts';
import { loadReidRunner, type ReidRunner } from '../runtime/reid/reid-runner.ts';
import type { DetectorInfo, EpChoice, InferenceApi, InferenceEvents, LoadDetectorArgs } from './inference-protocol.ts';
import { configureOrtWasm } from './ort-wasm-threads.ts';
import { serveRpc } from './rpc.ts';
import { isVisConfig, loadVisRunner } from '../runtime/vis/vis-runner.ts';
import { toRleMasks } from '../core/structures/bit-masks.ts';
import { isMaskTrackRcnnConfig, maskTrackRcnnModel } from '../core/models/vis/masktrack-rcnn-config.ts';
import type { VisGraphRole } from '../core/models/vis/masktrack-rcnn.ts';
import { MaskTrackRcnnGpuRunner, ortVisGpuRunGraph } from '../runtime/vis/masktrack-rcnn-gpu.ts';

/** ORT's wasm threads; the build and the count are fixed at the first load (ORT starts with the first session). */
let wasmThreads = 1;
/** Whether ORT started with the WebGPU-capable build; null before the first load. */
let ortWebgpu: boolean | null = null;

/**
 * The loaded detector. On the WebGPU EP every detector reads the frame as a texture and runs its post-processing
 * as our WGSL kernels on ORT's output buffers (CenterNet's peaks/boxes/NMS; Faster R-CNN's proposal NMS and RoIAlign,
 * Tracktor's regression too; YOLOX's decode and NMS). On the wasm EP it is the config's `DetectorRunner`, with the CPU
 * twins.
 */
interface Runner {
  /** Where pre- and post-processing run: our kernels on ORT's GPU buffers, or the CPU twins on the frame's pixels. */
  kernels: 'gpu' | 'cpu';
  /**
   * `pixels`: the frame's RGBA bytes, read when `kernels` is 'cpu' (or when the frame is kept for Tracktor).
   * `frameIndex`: the frame's index in the video (a VID method picks its key frames by it).
   */
  detect(frame: VideoFrame | ImageBitmap, pixels: Uint8ClampedArray | null, width: number, height: number, frameIndex: number, frameCount?: number): Promise<{ detections: Detections; timings: StageTimings }>;
  classNames: readonly string[];
  preprocess: PreprocessOptions;
  regressor: BoxRegressor | null;
  /** The detector's graphs, in the config's order. */
  models: readonly LoadedModel[];
  /**
   * A VID method's name and key-frame interval. FGFA, SELSA: the other frames it reads, kept while read, as pixels in
   * {@link vidFrames} (CPU runners) or as the frames themselves in {@link vidSources} (GPU runners, `keepsSources`).
   */
  video?: NonNullable<DetectorInfo['video']>;
  keepsSources?: boolean;
  release(): Promise<void>;
}
/** The pixels of the other frames FGFA's window or SELSA's references read, by index, while they are read. */
const vidFrames = new Map<number, RgbaFrame>();
/** The same for the GPU runners: the frames themselves, pre-processed on the GPU when a runner asks for one. */
const vidSources = new Map<number, VideoFrame | ImageBitmap>();

function forgetVidFrames(below = Number.POSITIVE_INFINITY): void {
  for (const i of [...vidFrames.keys()]) if (i < below) vidFrames.delete(i);
  for (const [i, f] of [...vidSources]) {
    if (i >= below) continue;
    f.close();
    vidSources.delete(i);
  }
}

/** {@link vidSources} as the GPU runners' frames: each asked-for frame pre-processed by our kernel into its own buffer. */
function gpuFrames(kernels: KernelContext, preprocess: PreprocessOptions): GpuPreparedFrames {
  return {
    has: (i) => vidSources.has(i),
    async get(i) {
      const source = vidSources.get(i);
      if (!source) return null;
      const { width, height } = frameSize(source);
      const pre = await preprocessFrame(kernels, source, width, height, preprocess);
      const g = pre.geometry;
      return { image: { buffer: pre.tensor, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, meta: imageMeta(g), dispose: () => pre.tensor.destroy() };
    },
  };
}
let runner: Runner | null = null;
/** DeepSORT's / Tracktor's embeddings for configs with `model.reid` (its graph on the wasm EP, crops / RoIAlign by CPU twins). */
let reid: ReidRunner | null = null;
/** The last detected frame's pixels, kept when Tracktor may ask for regression, embeddings or the grayscale image. */
let last: { frameIndex: number; pixels: Uint8ClampedArray; width: number; height: number } | null = null;
let gpu: { kernels: KernelContext; adapter: string } | null = null;
let gpuFailure: string | null = null;

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
    if (lost.reason !== 'destroyed') served.emit('gpu-lost', lost.message || String(lost.reason));
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

async function loadDetector(req: LoadDetectorArgs): Promise<DetectorInfo> {
  forgetVidFrames();
  const type = detectorType(req.config);
  gpuFailure = await reasonNotToUseWebgpu(req.ep);
  if (ortWebgpu === null) {
    // Without WebGPU the plain wasm build (several times faster on the wasm EP than the WebGPU-capable one).
    ortWebgpu = !gpuFailure;
    wasmThreads = configureOrtWasm(ort.env, { webgpu: ortWebgpu, ...(req.wasmThreads !== undefined ? { cap: req.wasmThreads } : {}) });
  } else if (!ortWebgpu && !gpuFailure) {
    gpuFailure = 'this worker started ONNX Runtime without WebGPU; reload the page to use it';
  }
  const providers: Array<'webgpu' | 'wasm'> = gpuFailure ? ['wasm'] : ['webgpu', 'wasm'];
  /** Sessions from the dropped bytes of each graph; `outputsOnGpu` for our kernels. */
  const sessionsFromBytes = (outputsOnGpu: boolean) => async (spec: OnnxModelSpec) => {
    const g = req.graphs[spec.role];
    if (!g) throw new Error(`onnx.${spec.role} (${spec.file}): no file given for this graph of the ${type} detector`);
    return loadModel(ort, new Uint8Array(g.model), g.fileName, spec, { providers, outputsOnGpu });
  };
  let next: Runner | null = null;
  // MaskTrack R-CNN on the WebGPU EP: the GPU runner (RoIAlign, mask head and paste on the GPU; bits and embeddings
  // come back for the tracker).
  if (isMaskTrackRcnnConfig(req.config) && !gpuFailure) {
    const models = await loadDetectorGraphs(req.config, sessionsFromBytes(true));
    if (models.every((m) => m.ep === 'webgpu')) {
      const kernels = (await adoptOrtDevice()).kernels;
      const model = maskTrackRcnnModel(req.config);
      const sessions = Object.fromEntries(models.map((m) => [m.role, m.session])) as Record<VisGraphRole, InferenceSession>;
      const mtr = new MaskTrackRcnnGpuRunner(model, ortVisGpuRunGraph(ort, sessions), kernels);
      next = {
        kernels: 'gpu',
        models,
        classNames: model.detector.settings.classNames,
        preprocess: model.detector.preprocess,
        regressor: null,
        video: { method: 'MaskTrackRCNN', keyFrameInterval: 1, sequential: true },
        detect: async (f, _, width, height, i) => {
          const t0 = performance.now();
          const r = await mtr.track(f, width, height, i);
          const total = performance.now() - t0;
          return { detections: { ...r.detections, masks: toRleMasks(r.masks) }, timings: { preprocess: 0, ort: 0, kernels: total, readback: 0, total } };
        },
        release: async () => {
          for (const m of models) await m.session.release();
        },
      };
    } else for (const m of models) await m.session.release(); // a graph fell back to wasm: the CPU path below
  }
  // A VIS config otherwise: its model on the chosen EP with outputs on the CPU (the paste and the tracker run here).
  if (isVisConfig(req.config) && !next) {
    const vis = await loadVisRunner(ort, req.config, sessionsFromBytes(false));
    if (vis.models.some((m) => m.ep === 'webgpu')) await adoptOrtDevice();
    next = {
      kernels: 'cpu',
      models: vis.models,
      classNames: vis.classNames,
      preprocess: vis.preprocess,
      regressor: null,
      video: { method: vis.type, keyFrameInterval: 1, sequential: true },
      detect: async (_, pixels, width, height, i) => {
        const t0 = performance.now();
        const r = await vis.track(i, pixels!, width, height);
        const total = performance.now() - t0;
        // Run lengths cross to the page and are kept for the whole video; bits would be a frame's worth per instance.
        return { detections: { ...r.detections, masks: toRleMasks(r.masks) }, timings: { preprocess: 0, ort: 0, kernels: total, readback: 0, total } };
      },
      release: () => vis.release(),
    };
  }
  // The GPU paths: ORT's outputs stay in GPU buffers for our kernels.
  if (!gpuFailure && !next) {
    const models = await loadDetectorGraphs(req.config, sessionsFromBytes(true));
    const release = async () => {
      for (const m of models) await m.session.release();
    };
    if (models.every((m) => m.ep === 'webgpu')) {
      const kernels = (await adoptOrtDevice()).kernels;
      const common = { kernels: 'gpu' as const, models, release };
      if (isVidConfig(req.config) && vidDetectorType(req.config) === 'CenterNet') {
        const model = dffCenterNetModel(req.config);
        const dff = new DffCenterNetGpuRunner(model, ortDffCenterNetGpuRunGraph(ort, { backbone: models[0]!.session, head: models[1]!.session }), kernels);
        next = {
          ...common,
          detect: async (f, _, w, h, i) => {
            const r = await dff.detect(f, w, h, i);
            return { detections: r.detections, timings: vidStageTimings({ keyFrame: r.keyFrame, stages: stagesOf(r.timings, ['preprocess', 'backbone', 'flow', 'warp', 'head', 'postprocess']) }, r.timings) };
          },
          classNames: model.detector.classNames,
          preprocess: model.detector.preprocess,
          regressor: null,
          video: { method: 'DFF', keyFrameInterval: model.dff.keyFrameInterval },
          release: async () => {
            dff.release();
            await release();
          },
        };
      } else if (isVidConfig(req.config) && vidSettings(req.config).method === 'FGFA') {
        const model = fgfaModel(req.config);
        const sessions = Object.fromEntries(models.map((m) => [m.role, m.session])) as Record<FgfaGraphRole, InferenceSession>;
        const fgfa = new FgfaGpuRunner(model, ortFgfaGpuRunGraph(ort, sessions), kernels);
        next = {
          ...common,
          detect: async (_f, _p, _w, _h, i) => {
            const t0 = performance.now();
            const r = await fgfa.detect(i, gpuFrames(kernels, model.preprocess));
            return { detections: r.detections, timings: vidStageTimings({ keyFrame: false, stages: stagesOf(r.timings, FGFA_STAGES), window: r.window }, { total: performance.now() - t0 }) };
          },
          classNames: model.detector.classNames,
          preprocess: model.preprocess,
          regressor: null,
          video: { method: 'FGFA', keyFrameInterval: 1, reads: vidFrameReads(model.fgfa)! },
          keepsSources: true,
          release: async () => {
            fgfa.release();
            await release();
          },
        };
      } else if (isVidConfig(req.config) && vidSettings(req.config).method === 'SELSA') {
        const model = selsaModel(req.config);
        const sessions = Object.fromEntries(models.map((m) => [m.role, m.session])) as Partial<Record<SelsaGraphRole, InferenceSession>>;
        const selsa = new SelsaGpuRunner(model, ortSelsaGpuRunGraph(ort, sessions), kernels);
        next = {
          ...common,
          detect: async (_f, _p, _w, _h, i, count) => {
            const t0 = performance.now();
            const r = await selsa.detect(i, count, gpuFrames(kernels, model.preprocess));
            return { detections: r.detections, timings: vidStageTimings({ keyFrame: false, stages: stagesOf(r.timings, SELSA_STAGES), window: r.references }, { total: performance.now() - t0 }) };
          },
          classNames: model.detector.classNames,
          preprocess: model.preprocess,
          regressor: null,
          video: { method: 'SELSA', keyFrameInterval: 1, reads: vidFrameReads(model.selsa)!, ...(selsaVariant(model) && { variant: selsaVariant(model) }) },
          keepsSources: true,
          release: async () => {
            selsa.release();
            await release();
          },
        };
      } else if (isVidConfig(req.config)) {
        const model = dffModel(req.config);
        const sessions = { backbone: models[0]!.session, rpn_head: models[1]!.session, bbox_head: models[2]!.session, motion: models[3]!.session };
        const dff = new DffGpuRunner(model, ortDffGpuRunGraph(ort, sessions), kernels);
        next = {
          ...common,
          detect: async (f, _, w, h, i) => {
            const r = await dff.detect(f, w, h, i);
            return { detections: r.detections, timings: vidStageTimings({ keyFrame: r.keyFrame, stages: stagesOf(r.timings, ['backbone', 'flow', 'warp', 'head']) }, r.timings) };
          },
          classNames: model.detector.classNames,
          preprocess: model.preprocess,
          regressor: null,
          video: { method: 'DFF', keyFrameInterval: model.dff.keyFrameInterval },
          release: async () => {
            dff.release();
            await release();
          },
        };
      } else if (type === 'CenterNet') {
        const settings = centerNetSettings(req.config);
        const cn = new CenterNetGpuRunner(ort, models[0]!.session, settings, kernels);
        next = { ...common, detect: (f, _, w, h) => cn.detect(f, w, h), classNames: settings.classNames, preprocess: settings.preprocess, regressor: null };
      } else if ((YOLOX_DETECTORS as readonly string[]).includes(type)) {
        const model = yoloxModel(req.config);
        const yx = new YoloxGpuRunner(model, ortYoloxGraph(ort, models[0]!.session, model.graph.input), kernels);
        next = { ...common, detect: (f, _, w, h) => yx.detect(f, w, h), classNames: model.classNames, preprocess: model.preprocess, regressor: null };
      } else {
        const model = fasterRcnnModel(req.config);
        const fr = new FasterRcnnGpuRunner(model, ortGpuRunGraph(ort, { backbone: models[0]!.session, bbox_head: models[1]!.session }), kernels);
        next = {
          ...common,
          detect: (f, _, w, h) => fr.detect(f, w, h),
          classNames: model.settings.classNames,
          preprocess: model.preprocess,
          regressor: { regressBoxes: (b) => fr.regress(b) },
          release: async () => {
            fr.release();
            await release();
          },
        };
      }
    } else await release(); // a graph fell back to wasm: the CPU path below
  }
  if (!next && isVidConfig(req.config)) {
    const vid = await loadVidRunner(ort, req.config, sessionsFromBytes(false));
    const reads = vidFrameReads(vidSettings(req.config));
    if (vid.models.some((m) => m.ep === 'webgpu')) await adoptOrtDevice();
    next = {
      kernels: 'cpu',
      models: vid.models,
      classNames: vid.classNames,
      preprocess: vid.preprocess,
      regressor: null,
      video: { method: vid.type, keyFrameInterval: vid.keyFrameInterval ?? 1, ...(vid.variant && { variant: vid.variant }), ...(reads && { reads }) },
      detect: async (_, pixels, width, height, i, count) => {
        const current = { data: pixels!, width, height };
        if (reads) vidFrames.set(i, current);
        const frames = { get: (j: number) => Promise.resolve(j === i ? current : (vidFrames.get(j) ?? null)), ...(count !== undefined && { count }) };
        const r = await vid.detect(i, frames);
        return { detections: r.detections, timings: vidStageTimings(r, { total: r.total }) };
      },
      release: () => vid.release(),
    };
  }
  if (!next) {
    const cpu = await loadDetectorRunner(ort, req.config, sessionsFromBytes(false));
    if (cpu.models.some((m) => m.ep === 'webgpu')) await adoptOrtDevice();
    next = { ...cpu, kernels: 'cpu', detect: (_, pixels, w, h) => cpu.detect(pixels!, w, h) };
  }
  const reidConfig = reidSettings(req.config, next.preprocess);
  if (reidConfig && !req.reid) {
    await next.release();
    throw new Error(`the config's model.reid needs onnx.reid (${reidConfig.onnx.file}), which was not loaded`);
  }
  await reid?.release();
  reid = null;
  if (reidConfig && req.reid) {
    try {
      reid = await loadReidRunner(ort, reidConfig, new Uint8Array(req.reid.model), req.reid.fileName, { providers: ['wasm'] });
    } catch (err) {
      await next.release();
      throw err;
    }
  }
  await runner?.release();
  runner = next;
  last = null;
  const ep = next.models.every((m) => m.ep === 'webgpu') ? 'webgpu' : 'wasm';
  const fallbackReason = ep === 'webgpu' ? null : (gpuFailure ?? 'the WebGPU execution provider could not run this model');
  return {
    detectorType: type,
    ep,
    wasmThreads,
    adapter: ep === 'webgpu' ? (gpu?.adapter ?? null) : null,
    fallbackReason,
    sha256: next.models.map((m) => m.sha256).join(' '),
    classNames: [...next.classNames],
    kernels: next.kernels,
    regresses: next.regressor !== null,
    embeds: reid !== null,
    video: next.video ?? null,
  };
}

async function detect({ frameIndex, frame, frameCount, others = [] }: InferenceApi['detect']['args']): Promise<InferenceApi['detect']['result']> {
  try {
    if (!runner) throw new Error('no detector loaded');
    const reads = runner.video?.reads;
    for (const o of others) {
      if (reads && runner.keepsSources) {
        vidSources.get(o.index)?.close();
        vidSources.set(o.index, o.frame);
        continue;
      }
      if (reads) vidFrames.set(o.index, await framePixels(o.frame));
      o.frame.close();
    }
    // A GPU runner reads the frame itself (FGFA: again, while later windows hold it): a copy of its own.
    if (reads && runner.keepsSources && !vidSources.has(frameIndex)) vidSources.set(frameIndex, frame instanceof VideoFrame ? frame.clone() : await createImageBitmap(frame));
    const { width, height } = frameSize(frame);
    // Tracktor's requests need the frame: its pixels for ReID crops and the grayscale image, the detector's kept
    // features for regression (GPU) or its last frame (CPU).
    const keep = reid !== null || runner.regressor !== null;
    const pixels = runner.kernels === 'cpu' || keep ? (await framePixels(frame)).data : null;
    const r = await runner.detect(frame, pixels, width, height, frameIndex, frameCount);
    last = keep ? { frameIndex, pixels: pixels!, width, height } : null;
    // Frames no later frame reads go (FGFA: before the next window; SELSA: all, its references are kept as features).
    if (reads) forgetVidFrames(firstFrameStillRead(reads, frameIndex));
    const d = r.detections;
    let embeddings;
    let timings: StageTimings = r.timings;
    if (reid) {
      const t0 = performance.now();
      embeddings = await reid.embed(pixels!, width, height, d.boxes);
      const ms = performance.now() - t0;
      timings = { ...timings, reid: ms, total: timings.total + ms };
    }
    return { detections: { boxes: d.boxes, scores: d.scores, labels: d.labels, ...(embeddings ? { embeddings } : {}), ...(d.ids && { ids: d.ids }), ...(d.masks && { masks: d.masks }) }, timings, ...(reads && { held: [...(runner.keepsSources ? vidSources : vidFrames).keys()] }) };
  } finally {
    frame.close();
    for (const o of others) if (vidSources.get(o.index) !== o.frame) o.frame.close();
  }
}

/** The kept frame `frameIndex` (Tracktor's requests must come after that frame's `detect`, before the next). */
function lastFrame(frameIndex: number, what: string): NonNullable<typeof last> {
  if (!last) throw new Error(`${what}: no frame kept (detect frame ${frameIndex + 1} first; only configs with a two-stage detector or model.reid keep frames)`);
  if (last.frameIndex !== frameIndex) throw new Error(`${what}: the detector's last frame is ${last.frameIndex + 1}, not ${frameIndex + 1}`);
  return last;
}

const served = serveRpc<InferenceApi, InferenceEvents>(
  {
    load: loadDetector,
    detect,
    async regress({ frameIndex, boxes }, { transfer }) {
      const regressor = runner?.regressor ?? null;
      if (!regressor) throw new Error('box regression needs a two-stage detector (model.detector type FasterRCNN)');
      lastFrame(frameIndex, 'box regression');
      const r = await regressor.regressBoxes(boxes);
      transfer(r.boxes.buffer, r.scores.buffer);
      return { boxes: r.boxes, scores: r.scores };
    },
    async embed({ frameIndex, boxes }) {
      if (!reid) throw new Error('embeddings need model.reid in the config');
      const f = lastFrame(frameIndex, 'ReID embeddings');
      return reid.embed(f.pixels, f.width, f.height, boxes);
    },
    gray({ frameIndex }, { transfer }) {
      const f = lastFrame(frameIndex, 'grayscale frame');
      const image = grayImage(f.pixels, f.width, f.height);
      transfer(image.data.buffer);
      return image;
    },
  },
  { serial: true },
);
