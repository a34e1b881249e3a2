// Video instance segmentation, side by side in one run (Node, this machine):
// 1. The mask paste at MaskTrack R-CNN's scale (100 detections of 40 classes, 28x28 logits, pasted on a 1280x720
//    frame): the WGSL kernel (Dawn in Node; without a GPU that is SwiftShader on the CPU) against its CPU twin, bits
//    checked equal but for near-threshold pixels; and what a frame of masks costs to read back as bits vs floats.
// 2. The default VIS demo (configs/vis/default.py: the default MOT config plus a person segmentation per tracked box)
//    against the default MOT config alone on street-540p (8 frames, wasm EP, one thread): what the masks cost.
// Run: npx tsx scripts/bench/vis.bench.ts   (or: npm run bench -- vis)
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as ort from 'onnxruntime-web';
import { loadConfig } from '../../src/core/config/config-loader.ts';
import { nodeConfigFs } from '../../src/core/config/node-config-fs.node.ts';
import { MotRun } from '../../src/core/models/mot/mot-run.ts';
import { type PasteMaskInput, pasteMasks, pasteMaskValues } from '../../src/core/ops/paste-mask.ts';
import { seededRandom } from '../../src/core/ops/seeded-random.ts';
import { maskBit } from '../../src/core/structures/bit-masks.ts';
import { uploadBuffer } from '../../src/gpu/device.ts';
import { KernelContext } from '../../src/gpu/kernel-program.ts';
import { createNodeGpuDevice } from '../../src/gpu/node-device.node.ts';
import { pasteMasksGpu, readBitMasks } from '../../src/gpu/paste-mask.ts';
import { loadDetectorRunner } from '../../src/runtime/detectors/detector-runner.ts';
import { loadModel } from '../../src/runtime/model-session.ts';
import { loadVisRunner } from '../../src/runtime/vis/vis-runner.ts';
import type { OnnxModelSpec } from '../../src/core/config/onnx-spec.ts';
import { medianMs } from './lib/timing.ts';

const RUNS = Number(process.env.BENCH_VIS_RUNS ?? 5);
const repo = new URL('../../', import.meta.url).pathname;


function table(title: string, header: string[], rows: string[][]): void {
  const cells = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  console.log(`\n${title}`);
  for (const [k, r] of cells.entries()) {
    console.log(`| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`);
    if (k === 0) console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  }
}

// 1. The paste.
const ctx = new KernelContext(await createNodeGpuDevice());
const info = (ctx.device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
const deviceName = info ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') : 'unknown';
{
  const [n, c, s, width, height] = [100, 40, 28, 1280, 720];
  const rand = seededRandom(3);
  const boxes = Float32Array.from({ length: n * 4 }, (_, k) => {
    const i = Math.floor(k / 4);
    const x = (i * 97) % (width - 200);
    const y = (i * 53) % (height - 300);
    return [x + rand() * 10, y + rand() * 10, x + 60 + rand() * 140, y + 80 + rand() * 220][k % 4]!;
  });
  const input: PasteMaskInput = {
    maskPred: Float32Array.from({ length: n * c * s * s }, (_, k) => 4 * Math.sin((k % s) / 4) * Math.cos((Math.floor(k / s) % s) / 5) + (rand() - 0.5)),
    channels: c,
    size: s,
    labels: Int32Array.from({ length: n }, (_, i) => i % c),
    boxes,
    width,
    height,
    threshold: 0.5,
  };
  let cpu = pasteMasks(input);
  const cpuMs = await medianMs(RUNS, () => (cpu = pasteMasks(input)));
  const bufs = { maskPred: uploadBuffer(ctx.device, input.maskPred, 'mask_pred'), labels: uploadBuffer(ctx.device, Int32Array.from(input.labels), 'labels'), boxes: uploadBuffer(ctx.device, boxes, 'boxes') };
  const gpuMs = await medianMs(RUNS, async () => {
    const out = await pasteMasksGpu(ctx, { ...input, ...bufs, hostBoxes: boxes, count: n });
    await ctx.device.queue.onSubmittedWorkDone();
    out.destroy();
  });
  const out = await pasteMasksGpu(ctx, { ...input, ...bufs, hostBoxes: boxes, count: n });
  const gpu = await readBitMasks(ctx, out, n, width, height);
  out.destroy();
  let bad = 0;
  for (let i = 0; i < n; i += 10) {
    const v = pasteMaskValues(input, i);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (maskBit(cpu, i, y, x) !== maskBit(gpu, i, y, x) && Math.abs(v[y * width + x]! - 0.5) > 1e-5) bad++;
  }
  const bits = gpu.data.byteLength;
  const floats = n * width * height * 4;
  table(`Mask paste, median of ${RUNS} (GPU: ${deviceName} via Dawn, dispatch to queue idle; CPU twin: Node ${process.version}, one thread)`, ['what', 'WGSL kernel ms', 'CPU twin ms', 'ratio', 'read back', 'bits differing (every 10th mask)'], [
    [`${n} masks, ${c} classes, 1280x720`, gpuMs.toFixed(1), cpuMs.toFixed(1), (cpuMs / gpuMs).toFixed(1), `${(bits / 1e6).toFixed(2)} MB as bits (floats: ${(floats / 1e6).toFixed(0)} MB, ${(floats / bits).toFixed(0)}x)`, String(bad)],
  ]);
  for (const b of Object.values(bufs)) b.destroy();
  if (bad > 0) {
    console.error(`GPU and CPU disagree on ${bad} pixels away from the threshold`);
    process.exit(1);
  }
}
ctx.device.destroy();

// 2. The default VIS demo against the default MOT config, same frames.
{
  const video = `${repo}../shared/media/street-540p-h264.mp4`;
  const [w, h] = [960, 540];
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', video, '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], { maxBuffer: 1 << 26 });
  const frames = Array.from({ length: raw.length / (w * h * 4) }, (_, i) => new Uint8Array(raw.buffer, raw.byteOffset + i * w * h * 4, w * h * 4));
  ort.env.wasm.numThreads = 1;
  const load = (spec: OnnxModelSpec) => loadModel(ort, new Uint8Array(readFileSync(`${repo}public/models/${spec.file}`)), spec.file, spec, { providers: ['wasm'] });
  const mot = (await loadConfig(`${repo}configs/mot/default.py`, nodeConfigFs)).config;
  const vis = (await loadConfig(`${repo}configs/vis/default.py`, nodeConfigFs)).config;
  const detector = await loadDetectorRunner(ort, mot, load);
  const visRunner = await loadVisRunner(ort, vis, load);
  const motMs: number[] = [];
  const visMs: number[] = [];
  let instances = 0;
  for (let pass = 0; pass < 2; pass++) {
    const run = new MotRun(mot, detector.classNames);
    for (const [i, rgba] of frames.entries()) {
      let t = performance.now();
      await run.step(i, (await detector.detect(rgba, w, h)).detections);
      if (pass === 1) motMs.push(performance.now() - t);
      t = performance.now();
      const r = await visRunner.track(i, rgba, w, h);
      if (pass === 1) {
        visMs.push(performance.now() - t);
        instances += r.detections.ids.filter((id) => id >= 0).length;
      }
    }
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  table(`The default VIS demo vs the default MOT config, street-540p (${frames.length} frames, ms per frame, median of the second pass; wasm EP, one thread)`, ['pipeline', 'ms / frame', 'ratio to MOT', 'instances per frame'], [
    ['configs/mot/default.py (CenterNet + ByteTrack)', med(motMs).toFixed(0), '1.0', ''],
    ['configs/vis/default.py (+ a 256x256 segmentation per tracked person)', med(visMs).toFixed(0), (med(visMs) / med(motMs)).toFixed(2), (instances / frames.length).toFixed(1)],
  ]);
  await detector.release();
  await visRunner.release();
}
