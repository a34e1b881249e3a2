/**
 * Bitonic sort of (key, index) pairs on the GPU, descending key then ascending index, used by NMS
 * (score order, ties by index) and heat-map top-k. Keys are uint32; `floatKey` maps finite floats to
 * order-preserving keys above 0, so key 0 marks padding / excluded entries, which sort last.
 *
 * Blocks of `SORT_BLOCK` pairs are sorted in workgroup memory; longer sorts add global
 * compare-exchange passes for the strides ≥ `SORT_BLOCK` and finish each merge stage in workgroup
 * memory (the usual shared-memory bitonic scheme, as in tfjs-backend-webgpu's `top_k_webgpu.ts` and
 * the NVIDIA CUDA samples' `sortingNetworks`).
 * https://github.com/tensorflow/tfjs/blob/master/tfjs-backend-webgpu/src/top_k_webgpu.ts
 */
import { type KernelContext, kernelProgram } from './kernel-program.ts';

export const SORT_WORKGROUP_SIZE = 256;
/** Pairs sorted per workgroup in shared memory (2 per thread). */
export const SORT_BLOCK = 2 * SORT_WORKGROUP_SIZE;

/** Order-preserving float → uint32 key (finite floats map above 0) and back. */
export const FLOAT_KEY_WGSL = /* wgsl */ `
fn floatKey(v: f32) -> u32 {
  let u = bitcast<u32>(v);
  return select(u | 0x80000000u, ~u, (u & 0x80000000u) != 0u);
}
fn keyFloat(k: u32) -> f32 {
  return bitcast<f32>(select(~k, k & 0x7fffffffu, (k & 0x80000000u) != 0u));
}`;

/** Same keys on the CPU (tests, twins). */
export function floatKey(v: number): number {
  const u = new Uint32Array(Float32Array.of(v).buffer)[0]!;
  return (u & 0x80000000 ? ~u : u | 0x80000000) >>> 0;
}

/**
 * WGSL for sorting one block in workgroup memory: `sharedKey`/`sharedIndex` arrays and `blockSort(k, base)`:
 * k = 0 sorts the block fully; k ≥ SORT_BLOCK runs the in-block strides of merge stage k. `base` is the
 * block's first global position (its bits decide the merge direction).
 */
export const BLOCK_SORT_WGSL = /* wgsl */ `
const SORT_BLOCK: u32 = ${SORT_BLOCK}u;
var<workgroup> sharedKey: array<u32, SORT_BLOCK>;
var<workgroup> sharedIndex: array<u32, SORT_BLOCK>;
// True when pair a must come before pair b: larger key first, then smaller index.
fn before(keyA: u32, indexA: u32, keyB: u32, indexB: u32) -> bool {
  return keyA > keyB || (keyA == keyB && indexA < indexB);
}
fn sharedStep(t: u32, k: u32, j: u32, base: u32) {
  let i = 2u * j * (t / j) + (t % j);
  let l = i + j;
  let forward = ((base + i) & k) == 0u;
  let ki = sharedKey[i]; let ii = sharedIndex[i];
  let kl = sharedKey[l]; let il = sharedIndex[l];
  if (before(kl, il, ki, ii) == forward) {
    sharedKey[i] = kl; sharedIndex[i] = il;
    sharedKey[l] = ki; sharedIndex[l] = ii;
  }
}
fn blockSort(t: u32, k: u32, base: u32) {
  if (k == 0u) {
    for (var kk = 2u; kk <= SORT_BLOCK; kk <<= 1u) {
      for (var j = kk >> 1u; j > 0u; j >>= 1u) {
        sharedStep(t, kk, j, base);
        workgroupBarrier();
      }
    }
  } else {
    for (var j = SORT_BLOCK >> 1u; j > 0u; j >>= 1u) {
      sharedStep(t, k, j, base);
      workgroupBarrier();
    }
  }
}`;

const localProgram = kernelProgram('bitonic-local', SORT_WORKGROUP_SIZE, 'keys: u32 rw, indices: u32 rw', 'k: u32', {
  declarations: BLOCK_SORT_WGSL,
  main: /* wgsl */ `
  let base = workgroupIndex * SORT_BLOCK;
  for (var h = 0u; h < 2u; h++) {
    let s = localIndex + h * WORKGROUP_SIZE;
    sharedKey[s] = keys[base + s];
    sharedIndex[s] = indices[base + s];
  }
  workgroupBarrier();
  blockSort(localIndex, uniforms.k, base);
  for (var h = 0u; h < 2u; h++) {
    let s = localIndex + h * WORKGROUP_SIZE;
    keys[base + s] = sharedKey[s];
    indices[base + s] = sharedIndex[s];
  }`,
});

const globalProgram = kernelProgram('bitonic-global', SORT_WORKGROUP_SIZE, 'keys: u32 rw, indices: u32 rw', 'k: u32, j: u32', {
  declarations: /* wgsl */ `
fn before(keyA: u32, indexA: u32, keyB: u32, indexB: u32) -> bool {
  return keyA > keyB || (keyA == keyB && indexA < indexB);
}`,
  main: /* wgsl */ `
  let t = globalIndex;
  let j = uniforms.j;
  let i = 2u * j * (t / j) + (t % j);
  let l = i + j;
  if (l >= arrayLength(&keys)) { return; }
  let forward = (i & uniforms.k) == 0u;
  let ki = keys[i]; let ii = indices[i];
  let kl = keys[l]; let il = indices[l];
  if (before(kl, il, ki, ii) == forward) {
    keys[i] = kl; indices[i] = il;
    keys[l] = ki; indices[l] = ii;
  }`,
});

/** Smallest sortable length ≥ n: a power of two, at least one block. */
export function bitonicLength(n: number): number {
  let len = SORT_BLOCK;
  while (len < n) len *= 2;
  return len;
}

export interface BitonicSorter {
  /** Records the sort of `length` pairs (a `bitonicLength`) in `keys`/`indices` (uint32 buffers). */
  encode(encoder: GPUCommandEncoder, keys: GPUBuffer, indices: GPUBuffer, length: number): void;
}

export async function bitonicSorter(ctx: KernelContext): Promise<BitonicSorter> {
  const [local, global] = await Promise.all([ctx.compile(localProgram), ctx.compile(globalProgram)]);
  return {
    encode(encoder, keys, indices, length) {
      if (length < SORT_BLOCK || (length & (length - 1)) !== 0) throw new Error(`bitonic sort: length ${length} is not a power of two ≥ ${SORT_BLOCK}`);
      const blocks = length / SORT_BLOCK;
      const resources = [keys, indices];
      ctx.dispatch(encoder, local, { resources, uniforms: { k: 0 }, dispatch: blocks });
      for (let k = 2 * SORT_BLOCK; k <= length; k *= 2) {
        for (let j = k / 2; j >= SORT_BLOCK; j /= 2) {
          ctx.dispatch(encoder, global, { resources, uniforms: { k, j }, dispatch: length / 2 / SORT_WORKGROUP_SIZE });
        }
        ctx.dispatch(encoder, local, { resources, uniforms: { k }, dispatch: blocks });
      }
    },
  };
}
