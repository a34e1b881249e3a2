/**
 * A ready single object tracker from a config and its ONNX files: the one call the CLI and the app's worker make.
 *
 * ```ts
 * import * as ort from 'onnxruntime-web';
 * const settings = sotModelSettings(config);            // throws ConfigError on a bad config
 * const sot = await loadSotTracker(ort, settings, (spec) => fetchBytes(spec.file), { providers: ['wasm'] });
 * await sot.tracker.init(frame0, [x, y, w, h]);         // frame: { data: RGBA bytes, width, height }
 * const { box, score } = await sot.tracker.track(frame1); // box: [x, y, w, h] frame pixels
 * await sot.release();
 * ```
 */
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import { SiameseTracker, siameseBanDecoder, siameseRpnDecoder } from '../../core/models/sot/siamese-tracker.ts';
import type { SotModelSettings } from '../../core/models/sot/sot-models.ts';
import { SiamFcTracker } from '../../core/models/sot/siamfc-tracker.ts';
import type { SingleObjectTracker, SotFrame, XywhBox } from '../../core/models/sot/sot-tracker.ts';
import { loadModelOpenDims } from '../model-open-dims.ts';
import type { LoadedModel, LoadOptions, OrtModule, OrtTensorModule } from '../model-session.ts';
import { OnnxFeatureBackend } from './feature-onnx-backend.ts';
import { SharedBackboneBackend, type SiameseStageTimings, TwoBranchBackend } from './siamese-onnx-backends.ts';

/** Reads the bytes of one `onnx.ROLE` file (the CLI reads the model directory; the app its cache or dropped files). */
export type ReadModelFile = (spec: OnnxModelSpec) => Promise<{ bytes: Uint8Array; name: string }>;

export interface LoadedSotTracker {
  tracker: SingleObjectTracker;
  /**
   * A fresh tracker of the same type on the same sessions, with other test-time parameters (what
   * `search-params` varies); the settings' `onnx` entries are not reloaded.
   */
  withSettings(settings: SotModelSettings): SingleObjectTracker;
  models: LoadedModel[];
  /** Milliseconds of the networks in the last `init`/`track` call. */
  timings: SiameseStageTimings;
  release(): Promise<void>;
}

export { openDims } from '../model-open-dims.ts';

export async function loadSotTracker(ort: OrtModule & OrtTensorModule, settings: SotModelSettings, readModel: ReadModelFile, options: LoadOptions): Promise<LoadedSotTracker> {
  const models: LoadedModel[] = [];
  const load = async (spec: OnnxModelSpec) => {
    const file = await readModel(spec);
    const model = await loadModelOpenDims(ort, file.bytes, file.name, spec, options);
    models.push(model);
    return { session: model.session, spec };
  };
  const release = async () => {
    for (const m of models) await m.session.release();
  };
  try {
    switch (settings.type) {
      case 'SiamRPN': {
        const backend = new TwoBranchBackend(ort, await load(settings.onnx.template), await load(settings.onnx.search));
        const make = (s: SotModelSettings) => {
          if (s.type !== 'SiamRPN') throw new Error(`SOT: a ${s.type} config for a SiamRPN model`);
          return new SiameseTracker({ ...s.test, reference: 'mmtracking' }, backend, siameseRpnDecoder(s.anchors, s.bboxCoder));
        };
        return { tracker: make(settings), withSettings: make, models, timings: backend.timings, release };
      }
      case 'NanoTrack': {
        const backend = new SharedBackboneBackend(ort, await load(settings.onnx.backbone), await load(settings.onnx.head));
        const make = (s: SotModelSettings) => {
          if (s.type !== 'NanoTrack') throw new Error(`SOT: a ${s.type} config for a NanoTrack model`);
          return new SiameseTracker({ ...s.test, reference: 'pysot' }, backend, siameseBanDecoder(s.test.stride, s.test.scoreSize));
        };
        return { tracker: make(settings), withSettings: make, models, timings: backend.timings, release };
      }
      case 'SiamFC': {
        const backend = new OnnxFeatureBackend(ort, await load(settings.onnx.backbone));
        const make = (s: SotModelSettings) => {
          if (s.type !== 'SiamFC') throw new Error(`SOT: a ${s.type} config for a SiamFC model`);
          const tracker = new SiamFcTracker(s.test, backend);
          // Per-frame network time is the sum over the scales.
          return {
            init: (frame: SotFrame, box: XywhBox) => (backend.resetTimings(), tracker.init(frame, box)),
            track: (frame: SotFrame) => (backend.resetTimings(), tracker.track(frame)),
          };
        };
        return { tracker: make(settings), withSettings: make, models, timings: backend.timings, release };
      }
    }
  } catch (err) {
    await release();
    throw err;
  }
}

