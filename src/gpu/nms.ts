/**
 * Class-aware batched NMS on the GPU, MMCV `batched_nms` semantics (see the CPU twin
 * `src/core/ops/nms.ts` for the exact rules), for 10 000+ boxes.
 *
 * Algorithm (the bit-matrix scheme of torchvision's CUDA `nms_kernel`, with the final pass on the GPU):
 * 1. `nms-init` (1 thread per box): score filter; sort keys (score as an order-preserving uint32, 0 for
 *    non-candidates); candidate count m; max coordinate of the candidates with `atomicMax` on keys
 *    (MMCV's class offsets).
 * 2. Bitonic sort of (key, index), descending key then ascending index (`bitonic-sort.ts`): the
 *    candidates in score order, ties by index, come first.
 * 3. `nms-gather`: the class-offset box of each sorted candidate; `nms-args` sizes step 4 from m
 *    (indirect dispatch).
 * 4. `nms-iou-mask`: for sorted rows p and columns q > p, bit q of row p is set when box q is
 *    suppressed by box p. A workgroup takes 256 rows × 256 columns (8 uint32 words per row) with the
 *    column boxes in shared memory; blocks below the diagonal exit at once.
 * 5. `nms-suppress` (one workgroup): walks the rows in blocks of 32. Thread 0 resolves a block
 *    sequentially against the running `removed` bit set (the in-block part of the mask), then all
 *    threads OR the kept rows' masks into the later words of `removed` in parallel. Kept boxes are
 *    written in order until `maxNum`.
 * The mask takes m * ceil(m / 256) * 32 bytes (13 MB for 10 000 boxes, 51 MB for 20 000).
 */
import { checkIouThreshold, type BatchedNmsOptions } from '../core/ops/nms.ts';
import { createKernelBuffer } from './device.ts';
import { bitonicLength, bitonicSorter, FLOAT_KEY_WGSL } from './bitonic-sort.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';

export const NMS_WORKGROUP_SIZE = 256;
/** Rows and columns of the IoU mask per workgroup. */
const MASK_BLOCK = 256;
/** Largest number of uint32 words of the `removed` bit set in workgroup memory (8 KiB): 65 536 candidates. */
const MAX_MASK_WORDS = 2048;

const CANDIDATE_WGSL = /* wgsl */ `
fn isCandidate(i: u32) -> bool {
  return uniforms.scoreThreshold <= 0.0 || scores[i] > uniforms.scoreThreshold;
}`;

// state: [0] candidate count m, [1] max-coordinate key, [2] kept count.
const initProgram = kernelProgram('nms-init', NMS_WORKGROUP_SIZE, 'boxes: f32, scores: f32, state: atomic<u32> rw, sortKeys: u32 rw, sortIndices: u32 rw', 'n: u32, length: u32, scoreThreshold: f32', {
  declarations: FLOAT_KEY_WGSL + CANDIDATE_WGSL,
  main: /* wgsl */ `
  let i = globalIndex;
  if (i >= uniforms.length) { return; }
  sortIndices[i] = i;
  if (i >= uniforms.n || !isCandidate(i)) {
    sortKeys[i] = 0u;
    return;
  }
  sortKeys[i] = floatKey(scores[i]);
  atomicAdd(&state[0], 1u);
  let b = i * 4u;
  atomicMax(&state[1], floatKey(max(max(boxes[b], boxes[b + 1u]), max(boxes[b + 2u], boxes[b + 3u]))));`,
});

const gatherProgram = kernelProgram('nms-gather', NMS_WORKGROUP_SIZE, 'boxes: f32, classIds: i32, state: u32, sortIndices: u32, sortedBoxes: f32 rw', 'classAgnostic: u32', {
  declarations: FLOAT_KEY_WGSL,
  main: /* wgsl */ `
  let p = globalIndex;
  if (p >= state[0]) { return; }
  let i = sortIndices[p];
  var offset = 0.0;
  if (uniforms.classAgnostic == 0u) { offset = f32(classIds[i]) * (keyFloat(state[1]) + 1.0); }
  for (var c = 0u; c < 4u; c++) { sortedBoxes[p * 4u + c] = boxes[i * 4u + c] + offset; }`,
});

const argsProgram = kernelProgram('nms-args', 1, 'state: u32, args: u32 rw', '', {
  main: /* wgsl */ `
  let blocks = (state[0] + ${MASK_BLOCK - 1}u) / ${MASK_BLOCK}u;
  args[0] = blocks;
  args[1] = blocks;
  args[2] = 1u;`,
});

const IOU_WGSL = /* wgsl */ `
fn area(b: vec4f) -> f32 { return (b.z - b.x) * (b.w - b.y); }
// MMCV nms_cpu, offset = 0: true when box b (lower score) is suppressed by box a. With a threshold
// >= 0, a pair without intersection never suppresses (0 / union is 0, or NaN for 0 / 0).
fn suppresses(a: vec4f, areaA: f32, b: vec4f, areaB: f32, threshold: f32) -> bool {
  let wh = max(min(a.zw, b.zw) - max(a.xy, b.xy), vec2f(0.0));
  let inter = wh.x * wh.y;
  if (inter == 0.0) { return false; }
  let unionArea = (areaA + areaB) - inter;
  return unionArea == 0.0 || inter / unionArea > threshold;
}
fn sortedBox(p: u32) -> vec4f {
  return vec4f(sortedBoxes[p * 4u], sortedBoxes[p * 4u + 1u], sortedBoxes[p * 4u + 2u], sortedBoxes[p * 4u + 3u]);
}`;

const maskProgram = kernelProgram('nms-iou-mask', MASK_BLOCK, 'state: u32, sortedBoxes: f32, mask: u32 rw', 'iouThreshold: f32', {
  declarations: `${IOU_WGSL}
var<workgroup> columnBoxes: array<vec4f, WORKGROUP_SIZE>;
var<workgroup> columnAreas: array<f32, WORKGROUP_SIZE>;
var<workgroup> candidateCount: u32;`,
  // Dispatched (indirectly) as blocks x blocks: workgroupIndex = rowBlock * blocks + columnBlock.
  main: /* wgsl */ `
  // The candidate count must be uniform for the barrier below: read it through workgroup memory.
  if (localIndex == 0u) { candidateCount = state[0]; }
  let m = workgroupUniformLoad(&candidateCount);
  let blocks = (m + WORKGROUP_SIZE - 1u) / WORKGROUP_SIZE;
  let columnBlock = workgroupIndex % blocks;
  let rowBlock = workgroupIndex / blocks;
  // Below the diagonal: no column follows any row of the block.
  if (columnBlock < rowBlock) { return; }
  let firstColumn = columnBlock * WORKGROUP_SIZE;
  if (firstColumn + localIndex < m) {
    let b = sortedBox(firstColumn + localIndex);
    columnBoxes[localIndex] = b;
    columnAreas[localIndex] = area(b);
  }
  workgroupBarrier();
  let row = rowBlock * WORKGROUP_SIZE + localIndex;
  if (row >= m) { return; }
  let words = (m + 31u) / 32u;
  let a = sortedBox(row);
  let areaA = area(a);
  for (var w = 0u; w < WORKGROUP_SIZE / 32u; w++) {
    let word = columnBlock * (WORKGROUP_SIZE / 32u) + w;
    if (word >= words) { break; }
    // Columns q with row < q < m.
    let first = select(0u, row + 1u - word * 32u, row + 1u > word * 32u);
    let end = min(32u, m - word * 32u);
    var bits = 0u;
    for (var k = first; k < end; k++) {
      if (suppresses(a, areaA, columnBoxes[w * 32u + k], columnAreas[w * 32u + k], uniforms.iouThreshold)) { bits |= 1u << k; }
    }
    mask[row * words + word] = bits;
  }`,
});

const suppressProgram = kernelProgram('nms-suppress', NMS_WORKGROUP_SIZE, 'boxes: f32, scores: f32, state: u32 rw, sortIndices: u32, mask: u32, keep: i32 rw, dets: f32 rw', 'capacity: u32', {
  declarations: /* wgsl */ `
var<workgroup> removed: array<u32, ${MAX_MASK_WORDS}>;
var<workgroup> candidateCount: u32;
var<workgroup> keptBits: u32;
var<workgroup> keptCount: u32;`,
  main: /* wgsl */ `
  if (localIndex == 0u) { candidateCount = state[0]; keptCount = 0u; }
  let m = workgroupUniformLoad(&candidateCount);
  let words = (m + 31u) / 32u;
  for (var w = localIndex; w < words; w += WORKGROUP_SIZE) { removed[w] = 0u; }
  workgroupBarrier();
  for (var block = 0u; block < words; block++) {
    if (workgroupUniformLoad(&keptCount) >= uniforms.capacity) { break; }
    if (localIndex == 0u) {
      // Sequential within the block: row p is kept unless an earlier kept row removed it.
      var r = removed[block];
      var kept = 0u;
      var count = keptCount;
      for (var k = 0u; k < 32u; k++) {
        let p = block * 32u + k;
        if (p >= m || count >= uniforms.capacity) { break; }
        if ((r & (1u << k)) != 0u) { continue; }
        kept |= 1u << k;
        r |= mask[p * words + block];
        let i = sortIndices[p];
        keep[count] = i32(i);
        for (var c = 0u; c < 4u; c++) { dets[count * 5u + c] = boxes[i * 4u + c]; }
        dets[count * 5u + 4u] = scores[i];
        count++;
      }
      removed[block] = r;
      keptBits = kept;
      keptCount = count;
    }
    workgroupBarrier();
    // Parallel over the later words: OR in the masks of the rows just kept.
    let kept = keptBits;
    for (var w = block + 1u + localIndex; w < words; w += WORKGROUP_SIZE) {
      var acc = removed[w];
      for (var k = 0u; k < 32u; k++) {
        if ((kept & (1u << k)) != 0u) { acc |= mask[(block * 32u + k) * words + w]; }
      }
      removed[w] = acc;
    }
    workgroupBarrier();
  }
  let total = workgroupUniformLoad(&keptCount);
  for (var k = total + localIndex; k < uniforms.capacity; k += WORKGROUP_SIZE) {
    keep[k] = -1;
    for (var c = 0u; c < 5u; c++) { dets[k * 5u + c] = 0.0; }
  }
  if (localIndex == 0u) { state[2] = total; }`,
});

export interface NmsGpuInputs {
  /** float32 `[n, 4]` x1, y1, x2, y2. */
  boxes: GPUBuffer;
  /** float32 `[n]`. */
  scores: GPUBuffer;
  /** int32 `[n]` class per box (ignored when class-agnostic). */
  classIds: GPUBuffer;
  /** Number of boxes n. */
  count: number;
}

export interface NmsGpuResult {
  /** int32 `[capacity]`: kept indices by descending score, then -1. */
  keep: GPUBuffer;
  /** float32 `[capacity, 5]`: x1, y1, x2, y2, score of the kept boxes, then zeros. */
  dets: GPUBuffer;
  /** uint32 `[3]`: candidate count, max-coordinate key, kept count (element 2). */
  state: GPUBuffer;
  /** Rows of `keep`/`dets`: min(maxNum, n), or n without maxNum. */
  capacity: number;
}

/** Index of the kept count in `NmsGpuResult.state`. */
export const NMS_KEPT_COUNT_INDEX = 2;

/** Bytes of the IoU bit matrix for n candidates. */
export function nmsMaskBytes(n: number): number {
  return n * Math.ceil(n / MASK_BLOCK) * (MASK_BLOCK / 8);
}

/** Runs batched NMS. All result buffers are owned by the caller. */
export async function batchedNmsGpu(ctx: KernelContext, inputs: NmsGpuInputs, options: BatchedNmsOptions): Promise<NmsGpuResult> {
  const n = inputs.count;
  checkIouThreshold(options.iouThreshold);
  if (n > MAX_MASK_WORDS * 32) throw new Error(`NMS: ${n} boxes; the GPU kernel takes at most ${MAX_MASK_WORDS * 32}`);
  const maskBytes = nmsMaskBytes(n);
  const limit = Math.min(ctx.device.limits.maxStorageBufferBindingSize, ctx.device.limits.maxBufferSize);
  if (maskBytes > limit) throw new Error(`NMS: ${n} boxes need a ${maskBytes}-byte IoU mask; this device binds at most ${limit} bytes`);
  const capacity = options.maxNum !== undefined && options.maxNum > 0 ? Math.min(options.maxNum, n) : n;
  const scoreThreshold = Math.max(options.scoreThreshold ?? 0, 0);
  const length = bitonicLength(n);
  const sorter = await bitonicSorter(ctx);
  const [init, gather, args, mask, suppress] = await Promise.all([
    ctx.compile(initProgram),
    ctx.compile(gatherProgram),
    ctx.compile(argsProgram),
    ctx.compile(maskProgram),
    ctx.compile(suppressProgram),
  ]);
  return ctx.submit('batched-nms', (encoder) => {
    const state = createKernelBuffer(ctx.device, 12, 'nms state');
    const keep = createKernelBuffer(ctx.device, capacity * 4, 'nms keep');
    const dets = createKernelBuffer(ctx.device, capacity * 20, 'nms dets');
    const sortKeys = ctx.scratch(length * 4, 'nms sort keys');
    const sortIndices = ctx.scratch(length * 4, 'nms sort indices');
    const sortedBoxes = ctx.scratch(n * 16, 'nms sorted boxes');
    const maskBuffer = ctx.scratch(maskBytes, 'nms iou mask');
    const indirect = ctx.device.createBuffer({ label: 'nms dispatch', size: 12, usage: 0x100 /* INDIRECT */ | 0x80 /* STORAGE */ });
    ctx.releaseAfterSubmit(indirect);
    if (n > 0) {
      ctx.dispatch(encoder, init, { resources: [inputs.boxes, inputs.scores, state, sortKeys, sortIndices], uniforms: { n, length, scoreThreshold }, dispatch: length / NMS_WORKGROUP_SIZE });
      sorter.encode(encoder, sortKeys, sortIndices, length);
      ctx.dispatch(encoder, gather, {
        resources: [inputs.boxes, inputs.classIds, state, sortIndices, sortedBoxes],
        uniforms: { classAgnostic: options.classAgnostic ? 1 : 0 },
        dispatch: Math.ceil(n / NMS_WORKGROUP_SIZE),
      });
      ctx.dispatch(encoder, args, { resources: [state, indirect], dispatch: 1 });
      ctx.dispatch(encoder, mask, { resources: [state, sortedBoxes, maskBuffer], uniforms: { iouThreshold: options.iouThreshold }, dispatch: { indirect } });
    }
    ctx.dispatch(encoder, suppress, { resources: [inputs.boxes, inputs.scores, state, sortIndices, maskBuffer, keep, dets], uniforms: { capacity }, dispatch: 1 });
    return { keep, dets, state, capacity };
  });
}
