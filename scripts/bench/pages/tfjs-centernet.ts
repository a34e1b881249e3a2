// Bench page (never part of the app's build): @vladmandic/human's CenterNet run by TensorFlow.js, the peer's own
// runtime, the way human runs it (src/object/centernet.ts there): frame → `tf.browser.fromPixels` → float →
// `resizeBilinear` to the model's 512x512 → graph → its in-graph `tower_0/detections` (top-k decode) read back →
// `tf.image.nonMaxSuppressionAsync` (class-agnostic) → boxes in frame pixels.
// Frames come from our own WebCodecs decoder (src/media/webcodecs-source.ts), so they are the app's frames.
// Driven by scripts/bench/detector.bench.ts through `window.tfjsCenterNetBench.run(options)`.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { openWebCodecsSource } from '../../../src/media/webcodecs-source.ts';

export interface TfjsCenterNetOptions {
  backend: 'webgpu' | 'wasm';
  /** URL of human's `centernet.json` (its `centernet.bin` next to it). */
  modelUrl: string;
  videoUrl: string;
  /** URL prefix of tfjs-backend-wasm's `.wasm` files (served locally, never a CDN). */
  wasmPrefix: string;
  /** wasm threads (tfjs-backend-wasm's multi-threaded build needs a cross-origin isolated page; 1 otherwise). */
  threads: number;
  /** 0-based frame run first, untimed as a frame (shader compilation, kernel caches). */
  warmUpFrame: number;
  /** 0-based frames timed, in order. */
  frames: number[];
  scoreThreshold: number;
  iouThreshold: number;
  maxDetections: number;
}

/** Milliseconds of one frame. On WebGPU the ops are queued asynchronously: the queued pre-processing runs on the GPU
 * during `model` (which ends when the graph's output is read back). */
export interface TfjsFrameTimings {
  frame: number;
  preprocess: number;
  model: number;
  postprocess: number;
  total: number;
  boxes: number;
}

export interface TfjsCenterNetResult {
  backend: string;
  tfjsVersion: string;
  /** WebGPU adapter (vendor · architecture) or wasm build features. */
  device: string;
  /** wasm: the threads tfjs-backend-wasm's thread pool has (`getThreadsCount()`); webgpu: 0. */
  wasmThreads: number;
  /** Backend set + model fetched and uploaded. */
  loadMs: number;
  firstFrameMs: number;
  frames: TfjsFrameTimings[];
}

const DETECTIONS_OUTPUT = 'tower_0/detections';

async function decodeFrames(videoUrl: string, indices: number[]): Promise<Map<number, ImageBitmap>> {
  const res = await fetch(videoUrl);
  if (!res.ok) throw new Error(`${videoUrl}: HTTP ${res.status}`);
  const source = await openWebCodecsSource(await res.blob(), videoUrl.split('/').pop() ?? videoUrl);
  const bitmaps = new Map<number, ImageBitmap>();
  try {
    for (const i of [...new Set(indices)].sort((a, b) => a - b)) {
      const frame = await source.frame(i);
      bitmaps.set(i, await createImageBitmap(frame));
      frame.close();
    }
  } finally {
    source.close();
  }
  return bitmaps;
}

async function deviceDescription(backend: string, threads: number, used: number): Promise<string> {
  if (backend === 'webgpu') {
    const info = (await navigator.gpu.requestAdapter())?.info;
    return info ? [info.vendor, info.architecture].filter(Boolean).join(' · ') : 'no adapter';
  }
  const multi = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  // `used`: the threads its thread pool really has, not the ones asked for.
  return `wasm${simd ? ' SIMD' : ''}, ${multi ? `multi-threaded build, ${used} of ${threads} thread${threads === 1 ? '' : 's'} asked` : '1 thread'}`;
}

async function detect(model: tf.GraphModel, inputSize: number, image: ImageBitmap, o: TfjsCenterNetOptions): Promise<Omit<TfjsFrameTimings, 'frame'>> {
  const t0 = performance.now();
  const input = tf.tidy(() => tf.image.resizeBilinear(tf.expandDims<tf.Tensor4D>(tf.cast(tf.browser.fromPixels(image), 'float32'), 0), [inputSize, inputSize]));
  const t1 = performance.now();
  const out = (await model.executeAsync(input, DETECTIONS_OUTPUT)) as tf.Tensor;
  input.dispose();
  const rows = ((await out.array()) as number[][][])[0] ?? []; // [x1, y1, x2, y2, score, class] in input pixels
  const t2 = performance.now();
  const [boxes, scores] = tf.tidy(() => {
    const cols = tf.split<tf.Tensor2D>(tf.squeeze(out, [0]), 6, 1);
    const yx = tf.concat<tf.Tensor2D>([cols[1]!, cols[0]!, cols[3]!, cols[2]!], 1); // tf's NMS takes y1, x1, y2, x2
    return [yx, tf.squeeze<tf.Tensor1D>(cols[4]!, [1])];
  });
  out.dispose();
  const keep = await tf.image.nonMaxSuppressionAsync(boxes, scores, o.maxDetections, o.iouThreshold, o.scoreThreshold);
  const kept = await keep.data();
  tf.dispose([boxes, scores, keep]);
  const sx = image.width / inputSize;
  const sy = image.height / inputSize;
  const found = Array.from(kept, (i) => rows[i]!).filter((r) => !Number.isNaN(r[5]!)).map((r) => [r[0]! * sx, r[1]! * sy, r[2]! * sx, r[3]! * sy, r[4]!, r[5]!]);
  const t3 = performance.now();
  return { preprocess: t1 - t0, model: t2 - t1, postprocess: t3 - t2, total: t3 - t0, boxes: found.length };
}

async function run(o: TfjsCenterNetOptions): Promise<TfjsCenterNetResult> {
  const bitmaps = await decodeFrames(o.videoUrl, [o.warmUpFrame, ...o.frames]);
  const frame = (i: number) => bitmaps.get(i) ?? (() => { throw new Error(`frame ${i} was not decoded`); })();
  const t0 = performance.now();
  if (o.backend === 'wasm') {
    setWasmPaths(o.wasmPrefix);
    setThreadsCount(o.threads);
  }
  if (!(await tf.setBackend(o.backend))) throw new Error(`tf.setBackend('${o.backend}') failed`);
  await tf.ready();
  const model = await tf.loadGraphModel(o.modelUrl);
  const loadMs = performance.now() - t0;
  // human reads the input size from the signature ([1, 512, 512, 3]).
  const inputSize = model.inputs[0]?.shape?.[1] ?? 512;
  try {
    const t1 = performance.now();
    await detect(model, inputSize, frame(o.warmUpFrame), o);
    const firstFrameMs = performance.now() - t1;
    const frames: TfjsFrameTimings[] = [];
    for (const i of o.frames) frames.push({ frame: i, ...(await detect(model, inputSize, frame(i), o)) });
    const wasmThreads = o.backend === 'wasm' ? getThreadsCount() : 0;
    return { backend: tf.getBackend(), tfjsVersion: tf.version.tfjs, device: await deviceDescription(o.backend, o.threads, wasmThreads), wasmThreads, loadMs, firstFrameMs, frames };
  } finally {
    model.dispose();
    for (const b of bitmaps.values()) b.close();
  }
}

Object.assign(window, { tfjsCenterNetBench: { run } });
