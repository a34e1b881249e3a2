// The VID method of a config (DFF, FGFA) behind one interface, as detector-runner.ts does for still-image detectors:
// the CLI and the app load it the same way and only differ in where the ONNX bytes come from. Frames are asked for
// by index: DFF reads the frame itself (its key frame must have run first), FGFA the frames of its window.
import { type ConfigDict, getConfigPath } from '../../core/config/config-value.ts';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import { type ImageMeta, imageMeta, type TensorData } from '../../core/models/det/faster-rcnn.ts';
import { Dff, type DffGraphRole } from '../../core/models/vid/dff.ts';
import { DffCenterNet, type DffCenterNetRole } from '../../core/models/vid/dff-centernet.ts';
import { Fgfa, type FgfaGraphRole, type FgfaTimings, fixStrideReach, type PreparedFrames } from '../../core/models/vid/fgfa.ts';
import { dffCenterNetModel, dffModel, fgfaModel, type SelsaModel, selsaModel, selsaRoles, VID_MODELS, vidDetectorType, vidSettings } from '../../core/models/vid/vid-config.ts';
import { adaptiveStrideReferences, Selsa, type SelsaGraphRole, type SelsaTimings } from '../../core/models/vid/selsa.ts';
import { type PreprocessOptions } from '../../core/ops/preprocess.ts';
import { preprocessImageFast } from '../../core/ops/preprocess-fast.ts';
import type { Detections } from '../../core/structures/detections.ts';
import type { LoadedModel, OrtTensorModule } from '../model-session.ts';
import { ortRunGraph } from '../detectors/faster-rcnn-cpu.ts';
import type { StageTimings } from '../detectors/stage-timings.ts';

/** A decoded frame as RGBA bytes. */
export interface RgbaFrame {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** A video's frames by index (`null` past its end); a VID method asks for the ones it reads. */
export interface RgbaFrames {
  get(index: number): Promise<RgbaFrame | null>;
  /** The video's length, when known (SELSA's references span the whole video and need it). */
  readonly count?: number;
}

export interface VidFrameResult {
  detections: Detections;
  /** DFF: whether the backbone ran on this frame. FGFA, SELSA: always false. */
  keyFrame: boolean;
  /** FGFA: the frames aggregated; SELSA: its reference frames. */
  window?: number[];
  /**
   * Milliseconds per stage of this frame, in order (DFF: backbone or flow + warp, head; DFF on CenterNet also
   * preprocess and postprocess; FGFA: backbone, flow, warp, aggregate, head).
   */
  stages: { name: string; ms: number }[];
  total: number;
}

export interface VidRunner {
  /** `model.type`: DFF, FGFA or SELSA. */
  readonly type: 'DFF' | 'FGFA' | 'SELSA';
  /** The method built on `type`, when it is not `type` itself: 'Temporal RoI Align' (SELSA with a TemporalRoIAlign). */
  readonly variant?: string;
  readonly classNames: readonly string[];
  /** DFF's key-frame interval; null for FGFA. */
  readonly keyFrameInterval: number | null;
  /** The detector's pre-processing (the app's ReID crops default to its normalisation). */
  readonly preprocess: PreprocessOptions;
  /** How many frames before and after a frame the method reads (a caller that buffers frames keeps these). */
  readonly reach: { before: number; after: number };
  /**
   * SELSA: the frames it reads besides the current one, for a video of `count` frames (its references, read at the
   * first frame): a caller reading the video in order keeps these.
   */
  referencesOf?(count: number): number[];
  readonly models: readonly LoadedModel[];
  /** Frame `frameIndex` of the video (0-based); DFF: frames come in order from their key frame. */
  detect(frameIndex: number, frames: RgbaFrames): Promise<VidFrameResult>;
  release(): Promise<void>;
}

/** A VID frame's stages as the app's timing panel shows them. */
export function vidStageTimings(r: Pick<VidFrameResult, 'keyFrame' | 'stages' | 'window'>, extra: { preprocess?: number; total: number }): StageTimings {
  return { preprocess: extra.preprocess ?? 0, ort: 0, kernels: 0, readback: 0, total: extra.total, video: { keyFrame: r.keyFrame, stages: r.stages, ...(r.window && { window: r.window }) } };
}

/** The stages FGFA's and SELSA's runners (CPU and GPU) report, in the timing panel's order. */
export const FGFA_STAGES = ['backbone', 'flow', 'warp', 'aggregate', 'head'] as const satisfies readonly (keyof FgfaTimings)[];
export const SELSA_STAGES = ['references', 'backbone', 'aggregate', 'head'] as const satisfies readonly (keyof SelsaTimings)[];

/** The method built on SELSA, when it is not SELSA itself. */
export function selsaVariant(model: SelsaModel): string | undefined {
  return model.detector.rcnn.roiExtractor.temporal ? 'Temporal RoI Align' : undefined;
}

/** Named stages of a timings record, in the given order, those that ran. */
export function stagesOf<T extends object>(t: T, order: readonly (keyof T & string)[]): { name: string; ms: number }[] {
  return order.filter((k) => t[k] !== undefined).map((k) => ({ name: k, ms: t[k] as number }));
}

/** Whether the config's model is a VID method (`model.type` DFF, FGFA, SELSA). */
export function isVidConfig(config: ConfigDict): boolean {
  const type = getConfigPath(config, 'model.type');
  return typeof type === 'string' && VID_MODELS.has(type);
}

const DFF_ROLES: readonly DffGraphRole[] = ['backbone', 'rpn_head', 'bbox_head', 'motion'];
const FGFA_ROLES: readonly FgfaGraphRole[] = [...DFF_ROLES, 'aggregator'];

/** The `onnx` entries the VID method runs, in load order. */
export function vidGraphSpecs(config: ConfigDict): OnnxModelSpec[] {
  if (vidDetectorType(config) === 'CenterNet') {
    const model = dffCenterNetModel(config);
    return [model.backbone.spec, model.detector.onnx];
  }
  const method = vidSettings(config).method;
  if (method === 'DFF') {
    const { graphs } = dffModel(config);
    return [graphs.backbone.spec, graphs.rpnHead.spec, graphs.bboxHead.spec, graphs.motion.spec];
  }
  if (method === 'SELSA') {
    const { graphs } = selsaModel(config);
    return [graphs.backbone.spec, graphs.rpnHead.spec, graphs.bboxHead.spec, graphs.bboxHeadRef.spec, ...(graphs.embedNetwork ? [graphs.embedNetwork.spec] : [])];
  }
  const { graphs } = fgfaModel(config);
  return [graphs.backbone.spec, graphs.rpnHead.spec, graphs.bboxHead.spec, graphs.motion.spec, graphs.aggregator.spec];
}

/** Loads the config's VID method on the CPU path; graphs already loaded are released when a later one fails. */
export async function loadVidRunner(ort: OrtTensorModule, config: ConfigDict, load: (spec: OnnxModelSpec) => Promise<LoadedModel>): Promise<VidRunner> {
  const method = vidSettings(config).method;
  const models: LoadedModel[] = [];
  try {
    for (const spec of vidGraphSpecs(config)) models.push(await load(spec));
  } catch (err) {
    for (const m of models) await m.session.release();
    throw err;
  }
  const release = async () => {
    for (const m of models) await m.session.release();
  };
  /** A DFF runner: one frame at a time, from its key frame; `stages` names its timings in order. */
  const dffRunner = <T extends object>(
    d: { detect(rgba: Uint8Array | Uint8ClampedArray, w: number, h: number, frameId: number): Promise<{ detections: Detections; keyFrame: boolean; timings: T }> },
    info: { classNames: readonly string[]; preprocess: PreprocessOptions; keyFrameInterval: number },
    stages: readonly (keyof T & string)[],
  ): VidRunner => ({
    type: 'DFF',
    ...info,
    reach: { before: 0, after: 0 },
    models,
    async detect(frameIndex, frames) {
      const t0 = performance.now();
      const frame = await frames.get(frameIndex);
      if (!frame) throw new Error(`DFF: frame ${frameIndex} is past the end of the video`);
      const r = await d.detect(frame.data, frame.width, frame.height, frameIndex);
      return { detections: r.detections, keyFrame: r.keyFrame, stages: stagesOf(r.timings, stages), total: performance.now() - t0 };
    },
    release,
  });
  if (vidDetectorType(config) === 'CenterNet') {
    const model = dffCenterNetModel(config);
    const sessions = { backbone: models[0]!.session, head: models[1]!.session } satisfies Record<DffCenterNetRole, LoadedModel['session']>;
    const info = { classNames: model.detector.classNames, preprocess: model.detector.preprocess, keyFrameInterval: model.dff.keyFrameInterval };
    return dffRunner(new DffCenterNet(model, ortRunGraph<DffCenterNetRole>(ort, sessions)), info, ['preprocess', 'backbone', 'flow', 'warp', 'head', 'postprocess']);
  }
  if (method === 'DFF') {
    const model = dffModel(config);
    const sessions = Object.fromEntries(DFF_ROLES.map((role, i) => [role, models[i]!.session])) as Record<DffGraphRole, LoadedModel['session']>;
    const info = { classNames: model.detector.classNames, preprocess: model.preprocess, keyFrameInterval: model.dff.keyFrameInterval };
    return dffRunner(new Dff(model, ortRunGraph<DffGraphRole>(ort, sessions)), info, ['backbone', 'flow', 'warp', 'head']);
  }
  if (method === 'SELSA') {
    const model = selsaModel(config);
    const sessions = Object.fromEntries(models.map((m, i) => [selsaRoles(model.detector)[i]!, m.session])) as Record<SelsaGraphRole, LoadedModel['session']>;
    const selsa = new Selsa(model, ortRunGraph<SelsaGraphRole>(ort, sessions));
    const sampling = model.selsa;
    return {
      type: 'SELSA',
      ...(selsaVariant(model) && { variant: selsaVariant(model) }),
      classNames: model.detector.classNames,
      preprocess: model.preprocess,
      keyFrameInterval: null,
      ...(sampling.sampler === 'test_with_adaptive_stride'
        ? { reach: { before: 0, after: 0 }, referencesOf: (count: number) => adaptiveStrideReferences(count, sampling.numRefImgs) }
        : { reach: fixStrideReach(sampling) }),
      models,
      async detect(frameIndex, frames) {
        const t0 = performance.now();
        const r = await selsa.detect(frameIndex, frames.count, preparedFrames(frames, model.preprocess));
        return { detections: r.detections, keyFrame: false, window: r.references, stages: stagesOf(r.timings, SELSA_STAGES), total: performance.now() - t0 };
      },
      release,
    };
  }
  const model = fgfaModel(config);
  const sessions = Object.fromEntries(FGFA_ROLES.map((role, i) => [role, models[i]!.session])) as Record<FgfaGraphRole, LoadedModel['session']>;
  const fgfa = new Fgfa(model, ortRunGraph<FgfaGraphRole>(ort, sessions));
  // Pre-processed frames of the window, kept while the window can still reach them.
  const prepared = new Map<number, Promise<PreparedFrame | null>>();
  return {
    type: 'FGFA',
    classNames: model.detector.classNames,
    preprocess: model.preprocess,
    keyFrameInterval: null,
    reach: fgfa.reach,
    models,
    async detect(frameIndex, frames) {
      const t0 = performance.now();
      for (const k of [...prepared.keys()]) if (k < frameIndex - fgfa.reach.before) prepared.delete(k);
      const r = await fgfa.detect(frameIndex, preparedFrames(frames, model.preprocess, prepared));
      return { detections: r.detections, keyFrame: false, window: r.window, stages: stagesOf(r.timings, FGFA_STAGES), total: performance.now() - t0 };
    },
    release,
  };
}

type PreparedFrame = { image: TensorData; meta: ImageMeta };

/** Frames pre-processed for a two-stage detector on demand (each once while in `cache`). */
function preparedFrames(frames: RgbaFrames, preprocess: PreprocessOptions, cache = new Map<number, Promise<PreparedFrame | null>>()): PreparedFrames {
  return {
    get(i) {
      const known = cache.get(i);
      if (known) return known;
      const p = frames.get(i).then((f): PreparedFrame | null => {
        if (!f) return null;
        const { data, geometry: g } = preprocessImageFast(f.data, f.width, f.height, preprocess);
        return { image: { data, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, meta: imageMeta(g) };
      });
      cache.set(i, p);
      return p;
    },
  };
}
