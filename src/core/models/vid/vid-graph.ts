/** What the VID methods' runners share around their graphs: the clock, tensor checks and graph outputs by name. */
import type { PreprocessOptions } from '../../ops/preprocess.ts';
import type { FlowNetPrepareOptions } from '../../ops/flownet-prepare.ts';
import type { FeatureMap } from '../../ops/roi-align.ts';
import type { TensorData } from '../det/faster-rcnn.ts';
import type { FlowNetSettings } from './motion-config.ts';

// core/ has no DOM types; every runtime it runs in (browsers, workers, Node) has performance.now.
export const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

/** A `[N, C, H, W]` tensor as a feature map; `method` prefixes the error. */
export function asFeatureMap(t: TensorData, what: string, method: string): FeatureMap {
  if (t.dims.length !== 4) throw new Error(`${method}: ${what} must be [N, C, H, W], got [${t.dims.join(', ')}]`);
  return { data: t.data, shape: t.dims as unknown as FeatureMap['shape'] };
}

/** Output `name` of graph `role`, or an error naming what the graph returned. */
export function graphOutput<T>(outputs: Record<string, T>, name: string, role: string, method: string): T {
  const t = outputs[name];
  if (!t) throw new Error(`${method}: the ${role} graph returned ${Object.keys(outputs).join(', ') || 'nothing'}, not '${name}'`);
  return t;
}

/** FlowNet's input preparation for a frame of `imgShape` under the detector's Normalize and the motion model. */
export function flownetOptions(preprocess: PreprocessOptions, motion: FlowNetSettings, imgShape: readonly [number, number]): FlowNetPrepareOptions {
  return { mean: preprocess.mean, std: preprocess.std, flowMean: motion.flowImgNormMean, flowStd: motion.flowImgNormStd, imgShape, imgScaleFactor: motion.imgScaleFactor };
}

/** The key frame frame `frameId` follows under DFF's `key_frame_interval` (itself when it is a key frame). */
export function keyFrameOf(frameId: number, interval: number): number {
  return frameId - (frameId % interval);
}
