import type { InferenceSession } from 'onnxruntime-web';
import { type FgfaFrameResult, type FgfaGraphRole, type FgfaTimings, fixStrideWindow } from '../../core/models/vid/fgfa.ts';
import type { FgfaModel } from '../../core/models/vid/vid-config.ts';
import { flownetOptions, graphOutput } from '../../core/models/vid/vid-graph.ts';
import { createKernelBuffer } from '../../gpu/device.ts';
import { embedAggregateGpu } from '../../gpu/embed-aggregate.ts';
import { flowWarpFeatsGpu } from '../../gpu/flow-warp.ts';
import { flownetPrepareGpu } from '../../gpu/flownet-prepare.ts';
import type { KernelContext } from '../../gpu/kernel-program.ts';
import { gpuTwoStageDetections } from '../detectors/faster-rcnn-gpu.ts';
import { asGpuMap, type GpuOutput, type GpuTensor, keepOutputs, type OrtGpuModule, runOnGpu } from '../detectors/ort-gpu-run.ts';
import type { GpuPreparedFrame, GpuPreparedFrames } from './gpu-frames.ts';

/** Runs one of FGFA's graphs on GPU inputs; outputs stay on the GPU. */
export type FgfaGpuRunGraph = (role: FgfaGraphRole, feeds: Record<string, GpuTensor>) => Promise<Record<string, GpuOutput>>;

/** A {@link FgfaGpuRunGraph} over onnxruntime-web sessions on the WebGPU EP. */
export function ortFgfaGpuRunGraph(ort: OrtGpuModule, sessions: Record<FgfaGraphRole, InferenceSession>): FgfaGpuRunGraph {
  return (role, feeds) => runOnGpu(ort, sessions[role], feeds, `FGFA ${role}`);
}

type Map4 = ReturnType<typeof asGpuMap>;
const map4 = (t: GpuTensor, what: string): Map4 => asGpuMap(t, what, 'FGFA');

/**
 * FGFA on one GPUDevice shared with onnxruntime-web, steps as in `src/core/models/vid/fgfa.ts`. The frames of the
 * window stay on the GPU (pre-processed image and backbone maps) while a window can reach them; per frame, each
 * window frame's FlowNet input is prepared by our kernel, its `predict_flow` warps that frame's maps in our fused
 * warp kernel, the window's maps are stacked by GPU copies, embedded by the `aggregator` graph and summed by our
 * aggregation kernel, and the aggregated maps feed the `rpn_head` graph and the Faster R-CNN GPU tail. What comes back
 * to the CPU is what that tail reads back.
 */
export class FgfaGpuRunner {
  /** Frames of the current window (and ahead): their image and backbone maps. */
  private readonly cache = new Map<number, { frame: GpuPreparedFrame; feats: GpuOutput[] }>();
  private last: number | null = null;

  constructor(
    readonly model: FgfaModel,
    private readonly run: FgfaGpuRunGraph,
    private readonly kernels: KernelContext,
  ) {}

  /** A frame of the window, through the backbone once. */
  private async cached(id: number, frames: GpuPreparedFrames, t: number): Promise<{ frame: GpuPreparedFrame; feats: GpuOutput[] }> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const frame = await frames.get(id);
    if (!frame) throw new Error(id === t ? `FGFA: frame ${t} is past the end of the video` : `FGFA: frame ${id} of frame ${t}'s window is missing`);
    const { backbone } = this.model.graphs;
    let out: Record<string, GpuOutput>;
    try {
      out = await this.run('backbone', { [backbone.input]: frame.image });
    } catch (err) {
      frame.dispose();
      throw err;
    }
    let feats: GpuOutput[];
    try {
      feats = keepOutputs(out, backbone.features, 'backbone', 'FGFA');
    } catch (err) {
      frame.dispose();
      throw err;
    }
    const entry = { frame, feats };
    this.cache.set(id, entry);
    return entry;
  }

  private evict(id: number): void {
    const e = this.cache.get(id);
    if (!e) return;
    e.frame.dispose();
    for (const f of e.feats) f.dispose();
    this.cache.delete(id);
  }

  /** Detections on frame t; `frames` gives the pre-processed frames of its window (each disposed when evicted). */
  async detect(t: number, frames: GpuPreparedFrames): Promise<FgfaFrameResult> {
    if (!Number.isInteger(t) || t < 0) throw new Error(`FGFA: frame_id must be an int >= 0, got ${t}`);
    const { graphs, fgfa, detector } = this.model;
    const timings: FgfaTimings = { backbone: 0, flow: 0, warp: 0, aggregate: 0, head: 0 };
    const probe = async (i: number) => {
      if (this.cache.has(i)) return true;
      if (frames.has) return frames.has(i);
      const f = await frames.get(i);
      f?.dispose();
      return f !== null;
    };
    if (!(await probe(t))) throw new Error(`FGFA: frame ${t} is past the end of the video`);
    const w = await fixStrideWindow(t, fgfa, this.last, probe);
    this.last = w.last;
    const window = w.ids;
    const center = -fgfa.frameRange[0];
    for (const id of [...this.cache.keys()]) if (id < window[0]! && id !== t) this.evict(id);
    // 1. Backbone of every frame of the window not seen yet.
    const t0 = performance.now();
    const unique = [...new Set(window)];
    for (const id of unique) await this.cached(id, frames, t);
    const current = await this.cached(t, frames, t);
    timings.backbone = performance.now() - t0;
    const owned: GPUBuffer[] = [];
    const outputs: GpuOutput[] = [];
    try {
      // 2. Flow from frame t to each window frame, and that frame's maps warped by it.
      const m = fgfa.motion;
      const image = map4(current.frame.image, 'the image');
      const warped = new Map<number, Map4[]>();
      for (const id of unique) {
        const f0 = performance.now();
        const ref = this.cache.get(id)!;
        const pair = await flownetPrepareGpu(this.kernels, image, map4(ref.frame.image, `frame ${id}`), flownetOptions(this.model.preprocess, m, current.frame.meta.imgShape));
        owned.push(pair.buffer);
        const out = await this.run('motion', { [graphs.motion.input]: { buffer: pair.buffer, dims: pair.shape } });
        outputs.push(...Object.values(out));
        const predict = map4(graphOutput(out, graphs.motion.output, 'motion', 'FGFA'), 'predict_flow');
        const f1 = performance.now();
        const maps: Map4[] = [];
        for (const [l, f] of ref.feats.entries()) {
          const warp = await flowWarpFeatsGpu(this.kernels, map4(f, `feature map ${l}`), predict, { imgScaleFactor: m.imgScaleFactor, flowScaleFactor: m.flowScaleFactor });
          owned.push(warp.buffer);
          maps.push(warp);
        }
        warped.set(id, maps);
        timings.flow += f1 - f0;
        timings.warp += performance.now() - f1;
      }
      // 3. Per level: the window's maps stacked (frame t's own at the centre), their embeddings, the weighted sum.
      const a0 = performance.now();
      const aggregated: Map4[] = [];
      for (const [l, own] of current.feats.entries()) {
        const [, c, h, wd] = map4(own, `feature map ${l}`).shape;
        const bytes = c * h * wd * 4;
        const stack = createKernelBuffer(this.kernels.device, window.length * bytes, 'fgfa window');
        owned.push(stack);
        await this.kernels.submit('fgfa window', (encoder) => {
          window.forEach((id, j) => encoder.copyBufferToBuffer(j === center ? own.buffer : warped.get(id)![l]!.buffer, 0, stack, j * bytes, bytes));
        });
        const shape = [window.length, c, h, wd] as const;
        const out = await this.run('aggregator', { [graphs.aggregator.input]: { buffer: stack, dims: shape } });
        outputs.push(...Object.values(out));
        const embeds = map4(graphOutput(out, graphs.aggregator.output, 'aggregator', 'FGFA'), 'embeddings');
        const agg = await embedAggregateGpu(this.kernels, { buffer: stack, shape }, embeds, center);
        owned.push(agg.buffer);
        aggregated.push(agg);
      }
      timings.aggregate = performance.now() - a0;
      // 4. RPN and the two-stage tail on the aggregated maps.
      const h0 = performance.now();
      const rpnOut = await this.run('rpn_head', Object.fromEntries(graphs.rpnHead.inputs.map((n, i) => [n, { buffer: aggregated[i]!.buffer, dims: aggregated[i]!.shape }])));
      outputs.push(...Object.values(rpnOut));
      const pick = (n: string) => graphOutput(rpnOut, n, 'rpn_head', 'FGFA');
      const twoStage = { kernels: this.kernels, rpn: detector.rpn, rcnn: detector.rcnn, bboxHead: graphs.bboxHead, runBboxHead: (feeds: Record<string, GpuTensor>) => this.run('bbox_head', feeds) };
      const nFeat = detector.rcnn.roiExtractor.featmapStrides.length;
      const r = await gpuTwoStageDetections(twoStage, aggregated.slice(0, nFeat), graphs.rpnHead.cls.map(pick), graphs.rpnHead.reg.map(pick), current.frame.meta, { ort: 0, readback: 0 });
      timings.head = performance.now() - h0;
      return { ...r, window, timings };
    } finally {
      for (const o of outputs) o.dispose();
      for (const b of owned) b.destroy();
    }
  }

  /** Gives back every cached frame's buffers (call before dropping the runner, or for a new video). */
  release(): void {
    for (const id of [...this.cache.keys()]) this.evict(id);
    this.last = null;
  }

  /** Frames whose buffers are held now (tests). */
  get held(): number {
    return this.cache.size;
  }
}
