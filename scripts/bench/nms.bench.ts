// NMS for 1 000 and 10 000 boxes: our WGSL kernel (Dawn in Node; without a GPU that is SwiftShader on
// the CPU), its CPU twin, and onnxruntime-web's NonMaxSuppression op (wasm CPU kernel: ORT has no
// WebGPU NMS), all class-agnostic on the same seeded boxes so the three must keep the same indices.
// Run: npx tsx scripts/bench/nms.bench.ts   (or: npm run bench -- nms)
import * as ort from 'onnxruntime-web';
import { batchedNms } from '../../src/core/ops/nms.ts';
import { randomNmsInput } from '../../src/core/ops/nms-test-data.ts';
import { readBuffer, uploadBuffer } from '../../src/gpu/device.ts';
import { KernelContext } from '../../src/gpu/kernel-program.ts';
import { batchedNmsGpu, NMS_KEPT_COUNT_INDEX } from '../../src/gpu/nms.ts';
import { createNodeGpuDevice } from '../../src/gpu/node-device.node.ts';
import { printTable } from './lib/browser.ts';
import { medianMs } from './lib/timing.ts';

const IOU_THRESHOLD = 0.5;
const SIZES = [1000, 10_000];


// --- A one-node ONNX model (NonMaxSuppression, opset 11), written with a minimal protobuf encoder. ---
class Proto {
  private bytes: number[] = [];
  private varint(v: number): void {
    for (; v >= 0x80; v = Math.floor(v / 128)) this.bytes.push((v % 128) | 0x80);
    this.bytes.push(v);
  }
  int(field: number, v: number): this {
    this.varint(field * 8);
    this.varint(v);
    return this;
  }
  raw(field: number, data: Uint8Array): this {
    this.varint(field * 8 + 2);
    this.varint(data.length);
    this.bytes.push(...data);
    return this;
  }
  str(field: number, s: string): this {
    return this.raw(field, new TextEncoder().encode(s));
  }
  msg(field: number, m: Proto): this {
    return this.raw(field, m.finish());
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
const FLOAT = 1;
const INT64 = 7;
function valueInfo(name: string, elemType: number, dims: (number | string)[]): Proto {
  const shape = new Proto();
  for (const d of dims) shape.msg(1, typeof d === 'number' ? new Proto().int(1, d) : new Proto().str(2, d));
  return new Proto().str(1, name).msg(2, new Proto().msg(1, new Proto().int(1, elemType).msg(2, shape)));
}
function initializer(name: string, elemType: number, data: ArrayBufferView): Proto {
  return new Proto().int(1, 1).int(2, elemType).str(8, name).raw(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}
function nmsModel(maxOutput: number): Uint8Array {
  const node = new Proto().str(1, 'boxes').str(1, 'scores').str(1, 'max_output').str(1, 'iou_threshold').str(2, 'selected').str(3, 'nms').str(4, 'NonMaxSuppression');
  const graph = new Proto()
    .msg(1, node)
    .str(2, 'nms')
    .msg(5, initializer('max_output', INT64, BigInt64Array.of(BigInt(maxOutput))))
    .msg(5, initializer('iou_threshold', FLOAT, Float32Array.of(IOU_THRESHOLD)))
    .msg(11, valueInfo('boxes', FLOAT, [1, 'n', 4]))
    .msg(11, valueInfo('scores', FLOAT, [1, 1, 'n']))
    .msg(12, valueInfo('selected', INT64, ['k', 3]));
  return new Proto().int(1, 7).msg(7, graph).msg(8, new Proto().str(1, '').int(2, 11)).finish();
}

// --- Run ---
const ctx = new KernelContext(await createNodeGpuDevice());
const info = (ctx.device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
const deviceName = info ? [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') : 'unknown';
const rows: (string | number)[][] = [];
for (const n of SIZES) {
  const input = randomNmsInput(n, { seed: 100 + n, numClasses: 1 });
  const options = { iouThreshold: IOU_THRESHOLD, classAgnostic: true };
  const runs = n <= 1000 ? 10 : 3;

  let cpuKeep: Int32Array = new Int32Array(0);
  const cpuMs = await medianMs(runs, () => {
    cpuKeep = batchedNms(input.boxes, input.scores, input.classIds, options).keep;
  });

  const boxes = uploadBuffer(ctx.device, input.boxes, 'boxes');
  const scores = uploadBuffer(ctx.device, input.scores, 'scores');
  const classIds = uploadBuffer(ctx.device, input.classIds, 'classes');
  let gpuKeep: Int32Array = new Int32Array(0);
  // Timed from submit to the kept indices back on the CPU (the read-back a frame needs).
  const gpuMs = await medianMs(runs, async () => {
    const r = await batchedNmsGpu(ctx, { boxes, scores, classIds, count: n }, options);
    const kept = (await readBuffer(ctx.device, r.state, Uint32Array, 3))[NMS_KEPT_COUNT_INDEX]!;
    gpuKeep = await readBuffer(ctx.device, r.keep, Int32Array, kept);
    for (const b of [r.keep, r.dets, r.state]) b.destroy();
    // Pipelines are compiled by the first size; a 10 000-box warm-up costs seconds on SwiftShader.
  }, n === SIZES[0]);

  const session = await ort.InferenceSession.create(nmsModel(n), { executionProviders: ['wasm'] });
  const feeds = { boxes: new ort.Tensor('float32', input.boxes, [1, n, 4]), scores: new ort.Tensor('float32', input.scores, [1, 1, n]) };
  let ortKeep: Int32Array = new Int32Array(0);
  const ortMs = await medianMs(runs, async () => {
    const out = await session.run(feeds);
    const selected = out.selected!.data as BigInt64Array;
    ortKeep = Int32Array.from({ length: selected.length / 3 }, (_, i) => Number(selected[i * 3 + 2]));
  });
  await session.release();

  const same = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((v, i) => v === b[i]);
  rows.push([n, cpuKeep.length, gpuMs.toFixed(1), cpuMs.toFixed(1), ortMs.toFixed(1), same(gpuKeep, cpuKeep) && same(ortKeep, cpuKeep) ? 'yes' : 'NO']);
  for (const b of [boxes, scores, classIds]) b.destroy();
}
printTable(
  `NMS, class-agnostic, IoU ${IOU_THRESHOLD}, median ms (GPU: ${deviceName} via Dawn; ORT ${ort.env.versions.web ?? ''} wasm, ${ort.env.wasm.numThreads ?? 'default'} threads)`,
  ['boxes', 'kept', 'WGSL kernel', 'CPU twin', 'ORT NonMaxSuppression', 'same indices'],
  rows,
);
ctx.device.destroy();
if (rows.some((r) => r[5] !== 'yes')) process.exit(1);
