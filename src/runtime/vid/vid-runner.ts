// The VID method of a config (DFF today) behind one interface, as detector-runner.ts does for still-image detectors:
// the CLI and the app load it the same way and only differ in where the ONNX bytes come from. Frames go in with
// their index in the video: the method decides from it which frames are key frames.
import { type ConfigDict, getConfigPath } from '../../core/config/config-value.ts';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import { dffModel, VID_MODELS } from '../../core/models/vid/vid-config.ts';
import { Dff, type DffGraphRole, type DffTimings } from '../../core/models/vid/dff.ts';
import type { Detections } from '../../core/structures/detections.ts';
import type { LoadedModel, OrtTensorModule } from '../model-session.ts';
import { ortRunGraph } from '../detectors/faster-rcnn-cpu.ts';
import type { StageTimings } from '../detectors/stage-timings.ts';

export interface VidFrameResult {
  detections: Detections;
  keyFrame: boolean;
  /** Milliseconds per stage of this frame (see {@link DffTimings}). */
  timings: DffTimings & { total: number };
}

export interface VidRunner {
  /** `model.type`: DFF. */
  readonly type: string;
  readonly classNames: readonly string[];
  readonly keyFrameInterval: number;
  readonly models: readonly LoadedModel[];
  /** Frame `frameIndex` of the video (0-based). Frames of one video come in order; a seek starts at its key frame. */
  detect(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, frameIndex: number): Promise<VidFrameResult>;
  /** The first frame to run before `frameIndex` when jumping there (its key frame). */
  keyFrameOf(frameIndex: number): number;
  release(): Promise<void>;
}

/** A VID frame's stages as the app's timing panel shows them. */
export function vidStageTimings(t: DffTimings, keyFrame: boolean, extra: { preprocess?: number; total: number }): StageTimings {
  const stages = (['backbone', 'flow', 'warp', 'head'] as const).filter((k) => t[k] !== undefined).map((k) => ({ name: k, ms: t[k]! }));
  return { preprocess: extra.preprocess ?? 0, ort: 0, kernels: 0, readback: 0, total: extra.total, video: { keyFrame, stages } };
}

/** Whether the config's model is a VID method (`model.type` DFF, ...). */
export function isVidConfig(config: ConfigDict): boolean {
  const type = getConfigPath(config, 'model.type');
  return typeof type === 'string' && VID_MODELS.has(type);
}

const DFF_ROLES: readonly DffGraphRole[] = ['backbone', 'rpn_head', 'bbox_head', 'motion'];

/** The `onnx` entries the VID method runs, in load order. */
export function vidGraphSpecs(config: ConfigDict): OnnxModelSpec[] {
  const { graphs } = dffModel(config);
  return [graphs.backbone.spec, graphs.rpnHead.spec, graphs.bboxHead.spec, graphs.motion.spec];
}

/** Loads the config's VID method; graphs already loaded are released when a later one fails. */
export async function loadVidRunner(ort: OrtTensorModule, config: ConfigDict, load: (spec: OnnxModelSpec) => Promise<LoadedModel>): Promise<VidRunner> {
  const model = dffModel(config);
  const models: LoadedModel[] = [];
  try {
    for (const spec of vidGraphSpecs(config)) models.push(await load(spec));
  } catch (err) {
    for (const m of models) await m.session.release();
    throw err;
  }
  const sessions = Object.fromEntries(DFF_ROLES.map((role, i) => [role, models[i]!.session])) as Record<DffGraphRole, LoadedModel['session']>;
  const dff = new Dff(model, ortRunGraph<DffGraphRole>(ort, sessions));
  return {
    type: 'DFF',
    classNames: model.detector.classNames,
    keyFrameInterval: model.dff.keyFrameInterval,
    models,
    async detect(rgba, width, height, frameIndex) {
      const t0 = performance.now();
      const r = await dff.detect(rgba, width, height, frameIndex);
      return { detections: r.detections, keyFrame: r.keyFrame, timings: { ...r.timings, total: performance.now() - t0 } };
    },
    keyFrameOf: (i) => dff.keyFrameOf(i),
    async release() {
      for (const m of models) await m.session.release();
    },
  };
}
