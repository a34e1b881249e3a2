/**
 * YOLOX decoding on the GPU (CPU twin: `yoloxCandidates` in `src/core/models/det/yolox.ts`), straight from the
 * head's output buffers that ORT left on the GPU, so only the NMS survivors are read back.
 * 1. `yolox-decode`, one dispatch per level, one thread per cell: the best class (first among equals), score =
 *    sigmoid(objectness) · sigmoid(best class logit), the box (centre = pred·s + prior, size = exp(pred)·s, divided
 *    by `scale_factor`), and whether the score passes `score_thr`; written at the cell's prior index.
 * 2. `yolox-compact`, one workgroup: the passing priors, in prior order (a workgroup prefix sum per block of 256),
 *    packed to the front of the candidate buffers, and their count. Prior order matters: NMS breaks score ties by
 *    index, as the CPU twin (and MMCV) do.
 */
import type { YoloxSettings } from '../core/models/det/yolox-config.ts';
import { createKernelBuffer } from './device.ts';
import { type KernelContext, kernelProgram } from './kernel-program.ts';

const WORKGROUP_SIZE = 256;

const decodeProgram = kernelProgram('yolox-decode', WORKGROUP_SIZE, 'cls: f32, reg: f32, obj: f32, boxes: f32 rw, scores: f32 rw, labels: i32 rw, valid: u32 rw', 'height: u32, width: u32, numClasses: u32, offset: u32, stride: f32, scaleX: f32, scaleY: f32, scoreThr: f32', {
  declarations: /* wgsl */ `
fn sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }`,
  main: /* wgsl */ `
  let plane = uniforms.height * uniforms.width;
  if (globalIndex >= plane) { return; }
  let p = globalIndex;
  var best = 0u;
  var bestScore = sigmoid(cls[p]);
  for (var c = 1u; c < uniforms.numClasses; c++) {
    let v = sigmoid(cls[c * plane + p]);
    if (v > bestScore) { best = c; bestScore = v; }
  }
  let score = sigmoid(obj[p]) * bestScore;
  let o = uniforms.offset + p;
  let s = uniforms.stride;
  let cx = reg[p] * s + f32(p % uniforms.width) * s;
  let cy = reg[plane + p] * s + f32(p / uniforms.width) * s;
  let bw = exp(reg[2u * plane + p]) * s;
  let bh = exp(reg[3u * plane + p]) * s;
  boxes[o * 4u] = (cx - bw / 2.0) / uniforms.scaleX;
  boxes[o * 4u + 1u] = (cy - bh / 2.0) / uniforms.scaleY;
  boxes[o * 4u + 2u] = (cx + bw / 2.0) / uniforms.scaleX;
  boxes[o * 4u + 3u] = (cy + bh / 2.0) / uniforms.scaleY;
  scores[o] = score;
  labels[o] = i32(best);
  valid[o] = select(0u, 1u, score >= uniforms.scoreThr);`,
});

const compactProgram = kernelProgram('yolox-compact', WORKGROUP_SIZE, 'valid: u32, boxes: f32, scores: f32, labels: i32, outBoxes: f32 rw, outScores: f32 rw, outLabels: i32 rw, count: u32 rw', 'n: u32', {
  declarations: /* wgsl */ `
var<workgroup> scan: array<u32, WORKGROUP_SIZE>;`,
  main: /* wgsl */ `
  var base = 0u;
  for (var start = 0u; start < uniforms.n; start += WORKGROUP_SIZE) {
    let i = start + localIndex;
    var flag = 0u;
    if (i < uniforms.n) { flag = valid[i]; }
    scan[localIndex] = flag;
    workgroupBarrier();
    // Inclusive prefix sum over the block (Hillis-Steele).
    for (var off = 1u; off < WORKGROUP_SIZE; off = off * 2u) {
      var add = 0u;
      if (localIndex >= off) { add = scan[localIndex - off]; }
      workgroupBarrier();
      scan[localIndex] = scan[localIndex] + add;
      workgroupBarrier();
    }
    if (flag == 1u) {
      let o = base + scan[localIndex] - 1u;
      outScores[o] = scores[i];
      outLabels[o] = labels[i];
      for (var c = 0u; c < 4u; c++) { outBoxes[o * 4u + c] = boxes[i * 4u + c]; }
    }
    base = base + workgroupUniformLoad(&scan[WORKGROUP_SIZE - 1u]);
  }
  if (localIndex == 0u) { count[0] = base; }`,
});

/** One level of the head's outputs in GPU buffers (NCHW, batch 1). */
export interface YoloxLevelBuffers {
  cls: GPUBuffer;
  reg: GPUBuffer;
  obj: GPUBuffer;
  height: number;
  width: number;
}

export interface YoloxCandidatesGpuResult {
  /** float32 `[capacity*4]`, int32 / float32 `[capacity]`: the first `count[0]` rows are the candidates, in prior order (caller destroys). */
  boxes: GPUBuffer;
  scores: GPUBuffer;
  labels: GPUBuffer;
  /** uint32 `[1]`: how many priors passed (caller destroys). */
  count: GPUBuffer;
  /** Rows of the candidate buffers: the number of priors. */
  capacity: number;
}

/** Decodes every level and packs the priors whose score passes `score_thr`. Level shapes are checked by the caller. */
export async function yoloxCandidatesGpu(ctx: KernelContext, levels: readonly YoloxLevelBuffers[], s: YoloxSettings, scaleFactor: readonly [number, number]): Promise<YoloxCandidatesGpuResult> {
  if (levels.length !== s.strides.length) throw new Error(`YOLOX: ${levels.length} levels for ${s.strides.length} strides`);
  const n = levels.reduce((sum, l) => sum + l.height * l.width, 0);
  const [decode, compact] = await Promise.all([ctx.compile(decodeProgram), ctx.compile(compactProgram)]);
  return ctx.submit('yolox-decode', (encoder) => {
    const dense = { boxes: ctx.scratch(n * 16, 'yolox boxes'), scores: ctx.scratch(n * 4, 'yolox scores'), labels: ctx.scratch(n * 4, 'yolox labels'), valid: ctx.scratch(n * 4, 'yolox valid') };
    let offset = 0;
    levels.forEach((l, i) => {
      const plane = l.height * l.width;
      ctx.dispatch(encoder, decode, {
        resources: [l.cls, l.reg, l.obj, dense.boxes, dense.scores, dense.labels, dense.valid],
        uniforms: { height: l.height, width: l.width, numClasses: s.numClasses, offset, stride: s.strides[i]!, scaleX: scaleFactor[0], scaleY: scaleFactor[1], scoreThr: s.scoreThr },
        dispatch: Math.ceil(plane / WORKGROUP_SIZE),
      });
      offset += plane;
    });
    const out = {
      boxes: createKernelBuffer(ctx.device, n * 16, 'yolox candidate boxes'),
      scores: createKernelBuffer(ctx.device, n * 4, 'yolox candidate scores'),
      labels: createKernelBuffer(ctx.device, n * 4, 'yolox candidate labels'),
      count: createKernelBuffer(ctx.device, 4, 'yolox candidate count'),
      capacity: n,
    };
    ctx.dispatch(encoder, compact, { resources: [dense.valid, dense.boxes, dense.scores, dense.labels, out.boxes, out.scores, out.labels, out.count], uniforms: { n }, dispatch: 1 });
    return out;
  });
}
