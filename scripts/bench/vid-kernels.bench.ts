// The GPU kernels of DFF and Temporal RoI Align at MMTracking's sizes (R50-DC5 on a 1000x600 frame: image padded to
// 608x1008, one 512-channel map at stride 16, 38x63; FlowNet on the half-size pair, predict_flow 76x126; 300 RoIs; RPN
// nms_pre 6000; TRoI's 14 references; the most similar RoI align on a slice, see 5.): our WGSL
// kernel (Dawn in Node; without a GPU that is SwiftShader on the CPU) against its CPU twin, each checked equal.
// Run: npx tsx scripts/bench/vid-kernels.bench.ts   (or: npm run bench -- vid-kernels)
// On a machine with a GPU Dawn picks it (Vulkan); VK_ICD_FILENAMES chooses the driver.
import { flowWarpFeats } from '../../src/core/ops/flow-warp.ts';
import { flownetOutputFlow, flownetPrepare, type FlowNetPrepareOptions } from '../../src/core/ops/flownet-prepare.ts';
import { batchedNms } from '../../src/core/ops/nms.ts';
import { randomNmsInput } from '../../src/core/ops/nms-test-data.ts';
import { roiAlign, type FeatureMap } from '../../src/core/ops/roi-align.ts';
import { seededRandom } from '../../src/core/ops/seeded-random.ts';
import { mostSimilarRoiAlign, similarityMap } from '../../src/core/ops/most-similar-roi-align.ts';
import { temporalAttentionAggregate } from '../../src/core/ops/temporal-attention.ts';
import { createKernelBuffer, readBuffer, uploadBuffer } from '../../src/gpu/device.ts';
import { mostSimilarRoiAlignGpu, similarityMapGpu } from '../../src/gpu/most-similar-roi-align.ts';
import { temporalAttentionGpu } from '../../src/gpu/temporal-attention.ts';
import { flowWarpFeatsGpu } from '../../src/gpu/flow-warp.ts';
import { flownetPrepareGpu } from '../../src/gpu/flownet-prepare.ts';
import { KernelContext } from '../../src/gpu/kernel-program.ts';
import { batchedNmsGpu, NMS_KEPT_COUNT_INDEX } from '../../src/gpu/nms.ts';
import { createNodeGpuDevice } from '../../src/gpu/node-device.node.ts';
import { maxAbsDiff } from '../../src/gpu/parity-testing.node.ts';
import { roiAlignGpu } from '../../src/gpu/roi-align.ts';
import { medianMs } from './lib/timing.ts';

const RUNS = Number(process.env.BENCH_VID_KERNEL_RUNS ?? 5);


const random = (n: number, seed: number, scale = 2) => {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (rand() - 0.5) * scale);
};

const ctx = new KernelContext(await createNodeGpuDevice());
const device = ctx.device;
const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
const deviceName = info ? [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') : 'unknown';
const rows: (string | number)[][] = [];
const failures: string[] = [];
const ratio = (cpu: number, gpu: number) => (cpu / gpu >= 10 ? (cpu / gpu).toFixed(0) : (cpu / gpu).toFixed(1));
const checkDiff = (what: string, d: number) => {
  if (!(d <= 1e-4)) failures.push(`${what}: max |GPU - CPU| = ${d}`);
  return d.toExponential(1);
};

/** GPU time: from the first dispatch to the queue being idle (the work itself, no read-back). */
async function gpuMedian(fn: () => Promise<{ destroy(): void }[]>): Promise<number> {
  return medianMs(RUNS, async () => {
    const out = await fn();
    await device.queue.onSubmittedWorkDone();
    for (const b of out) b.destroy();
  });
}

// 1. FlowNet input: two 608x1008 frames → [1, 6, 304, 504].
{
  const [h, w] = [608, 1008];
  const cur = { data: random(3 * h * w, 1, 4), shape: [1, 3, h, w] as const };
  const ref = { data: random(3 * h * w, 2, 4), shape: [1, 3, h, w] as const };
  const o: FlowNetPrepareOptions = { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], flowMean: [0.411, 0.432, 0.45], flowStd: [255, 255, 255], imgShape: [600, 1000], imgScaleFactor: 0.5 };
  const cb = uploadBuffer(device, cur.data, 'current');
  const rb = uploadBuffer(device, ref.data, 'reference');
  let cpu = flownetPrepare(cur, ref, o);
  const cpuMs = await medianMs(RUNS, () => (cpu = flownetPrepare(cur, ref, o)));
  const gpuMs = await gpuMedian(async () => [(await flownetPrepareGpu(ctx, { buffer: cb, shape: cur.shape }, { buffer: rb, shape: ref.shape }, o)).buffer]);
  const check = await flownetPrepareGpu(ctx, { buffer: cb, shape: cur.shape }, { buffer: rb, shape: ref.shape }, o);
  const diff = maxAbsDiff(await readBuffer(device, check.buffer, Float32Array, cpu.data.length), cpu.data);
  check.buffer.destroy();
  rows.push(['FlowNet prepare_imgs', '2 x 3x608x1008 → 6x304x504', gpuMs.toFixed(2), cpuMs.toFixed(1), ratio(cpuMs, gpuMs), checkDiff('prepare', diff)]);
  cb.destroy();
  rb.destroy();
}

// 2. Warp of the key frame's 512x38x63 map by predict_flow 76x126 (resize x8, scale x40, resize 1/16, warp: fused).
{
  const feats: FeatureMap = { data: random(512 * 38 * 63, 3), shape: [1, 512, 38, 63] };
  const predict: FeatureMap = { data: random(2 * 76 * 126, 4, 0.4), shape: [1, 2, 76, 126] };
  const fb = uploadBuffer(device, feats.data, 'features');
  const pb = uploadBuffer(device, predict.data, 'predict_flow');
  const source = { imgScaleFactor: 0.5, flowScaleFactor: 5 };
  let cpu = flowWarpFeats(feats, flownetOutputFlow(predict, 0.5, 5));
  const cpuMs = await medianMs(RUNS, () => (cpu = flowWarpFeats(feats, flownetOutputFlow(predict, 0.5, 5))));
  const gpuMs = await gpuMedian(async () => [(await flowWarpFeatsGpu(ctx, { buffer: fb, shape: feats.shape }, { buffer: pb, shape: predict.shape }, source)).buffer]);
  const check = await flowWarpFeatsGpu(ctx, { buffer: fb, shape: feats.shape }, { buffer: pb, shape: predict.shape }, source);
  const diff = maxAbsDiff(await readBuffer(device, check.buffer, Float32Array, cpu.length), cpu);
  check.buffer.destroy();
  rows.push(['flow warp from predict_flow', '512x38x63 by 2x76x126', gpuMs.toFixed(2), cpuMs.toFixed(1), ratio(cpuMs, gpuMs), checkDiff('warp', diff)]);
  pb.destroy();

  // 3. RoIAlign of 300 RoIs on the same map (7x7, sampling_ratio 2, stride 16).
  const rand = seededRandom(5);
  const rois = Float32Array.from({ length: 300 * 5 }, (_, i) => {
    const k = i % 5;
    if (k === 0) return 0;
    const base = k % 2 === 1 ? rand() * 900 : rand() * 540;
    return k <= 2 ? base : base + 20 + rand() * 300;
  });
  for (let r = 0; r < 300; r++) {
    rois[r * 5 + 3] = Math.max(rois[r * 5 + 3]!, rois[r * 5 + 1]! + 8);
    rois[r * 5 + 4] = Math.max(rois[r * 5 + 4]!, rois[r * 5 + 2]! + 8);
  }
  const options = { outputSize: 7, spatialScale: 1 / 16, samplingRatio: 2, aligned: true };
  const rb = uploadBuffer(device, rois, 'rois');
  let cpuRoi = roiAlign(feats, rois, options);
  const cpuRoiMs = await medianMs(RUNS, () => (cpuRoi = roiAlign(feats, rois, options)));
  const gpuRoiMs = await gpuMedian(async () => [await roiAlignGpu(ctx, { buffer: fb, shape: feats.shape }, rb, 300, options)]);
  const roiCheck = await roiAlignGpu(ctx, { buffer: fb, shape: feats.shape }, rb, 300, options);
  const roiDiff = maxAbsDiff(await readBuffer(device, roiCheck, Float32Array, cpuRoi.length), cpuRoi);
  roiCheck.destroy();
  rows.push(['RoIAlign', '300 RoIs x 512x7x7', gpuRoiMs.toFixed(2), cpuRoiMs.toFixed(1), ratio(cpuRoiMs, gpuRoiMs), checkDiff('RoIAlign', roiDiff)]);
  rb.destroy();
  fb.destroy();
}

// 4. The RPN's NMS: 6000 boxes (nms_pre), IoU 0.7, one level.
{
  const n = 6000;
  const input = randomNmsInput(n, { seed: 6, numClasses: 1 });
  const options = { iouThreshold: 0.7, classAgnostic: false };
  let cpuKeep = batchedNms(input.boxes, input.scores, input.classIds, options).keep;
  const cpuMs = await medianMs(RUNS, () => (cpuKeep = batchedNms(input.boxes, input.scores, input.classIds, options).keep));
  const boxes = uploadBuffer(device, input.boxes, 'boxes');
  const scores = uploadBuffer(device, input.scores, 'scores');
  const classIds = uploadBuffer(device, input.classIds, 'classes');
  const run = () => batchedNmsGpu(ctx, { boxes, scores, classIds, count: n }, options);
  const gpuMs = await gpuMedian(async () => {
    const r = await run();
    return [r.keep, r.dets, r.state];
  });
  const r = await run();
  const kept = (await readBuffer(device, r.state, Uint32Array, 3))[NMS_KEPT_COUNT_INDEX]!;
  const gpuKeep = await readBuffer(device, r.keep, Int32Array, kept);
  for (const b of [r.keep, r.dets, r.state, boxes, scores, classIds]) b.destroy();
  const same = gpuKeep.length === cpuKeep.length && gpuKeep.every((v, i) => v === cpuKeep[i]);
  if (!same) failures.push('NMS: different kept indices');
  rows.push(['NMS (RPN)', `${n} boxes → ${cpuKeep.length}`, gpuMs.toFixed(2), cpuMs.toFixed(1), ratio(cpuMs, gpuMs), same ? 'same indices' : 'DIFFERENT']);
}

// 5. Temporal RoI Align's most similar RoI align: 64 RoIs' 49 sample points against one reference map (512x38x63),
// top 2. A frame of MMTracking's TRoI runs this for 300 RoIs against 15 maps: ~70x this row.
{
  const [n, c, h, w] = [64, 512, 38, 63];
  const roi = { data: random(n * c * 49, 7), shape: [n, c, 7, 7] as const };
  const map = { data: random(c * h * w, 8), shape: [1, c, h, w] as const };
  const rb = uploadBuffer(device, roi.data, 'roi feats');
  const mb = uploadBuffer(device, map.data, 'map');
  let cpu = mostSimilarRoiAlign(roi, [similarityMap(map)], 2);
  const cpuMs = await medianMs(RUNS, () => (cpu = mostSimilarRoiAlign(roi, [similarityMap(map)], 2)));
  const run = async () => {
    const out = createKernelBuffer(device, n * c * 49 * 4, 'ms-roi-align');
    const norms = await similarityMapGpu(ctx, { buffer: mb, shape: map.shape });
    await mostSimilarRoiAlignGpu(ctx, { buffer: rb, shape: roi.shape }, [norms], 2, out, 0);
    return [out, norms.norms];
  };
  const gpuMs = await gpuMedian(run);
  const [check, norms] = await run();
  const diff = maxAbsDiff(await readBuffer(device, check!, Float32Array, cpu.length), cpu);
  for (const b of [check!, norms!, rb, mb]) b.destroy();
  rows.push(['most similar RoI align (TRoI)', `64 RoIs x 49 pts vs 512x38x63, top 2`, gpuMs.toFixed(2), cpuMs.toFixed(1), ratio(cpuMs, gpuMs), checkDiff('most similar RoI align', diff)]);
}

// 6. Temporal RoI Align's temporal attention: 300 RoIs over 16 frames (the frame, 14 references, itself as the last),
// 512x7x7, 4 blocks.
{
  const shape = { frames: 16, rois: 300, channels: 512, points: 49 };
  const size = 16 * 300 * 512 * 49;
  const x = random(size, 9);
  const e = random(size, 10);
  const xb = uploadBuffer(device, x, 'x');
  const eb = uploadBuffer(device, e, 'embeds');
  let cpu = temporalAttentionAggregate(x, e, shape, 4);
  const cpuMs = await medianMs(RUNS, () => (cpu = temporalAttentionAggregate(x, e, shape, 4)));
  const gpuMs = await gpuMedian(async () => [await temporalAttentionGpu(ctx, xb, eb, shape, 4)]);
  const check = await temporalAttentionGpu(ctx, xb, eb, shape, 4);
  const diff = maxAbsDiff(await readBuffer(device, check, Float32Array, cpu.length), cpu);
  for (const b of [check, xb, eb]) b.destroy();
  rows.push(['temporal attention (TRoI)', '300 RoIs x 16 frames x 512x7x7', gpuMs.toFixed(2), cpuMs.toFixed(1), ratio(cpuMs, gpuMs), checkDiff('temporal attention', diff)]);
}

const header = ['kernel', 'size', 'WGSL kernel ms', 'CPU twin ms', 'ratio', 'max |GPU - CPU|'];
const cells = [header, ...rows.map((r) => r.map(String))];
const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
console.log(`\nDFF's and Temporal RoI Align's kernels at MMTracking's sizes, median of ${RUNS} (GPU: ${deviceName} via Dawn; GPU time = dispatch to queue idle; CPU twins: Node ${process.version}, one thread)`);
for (const [k, r] of cells.entries()) {
  console.log(`| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`);
  if (k === 0) console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
}
device.destroy();
if (failures.length > 0) {
  console.error(`GPU and CPU disagree: ${failures.join('; ')}`);
  process.exit(1);
}
