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
import { type LoadedModel, loadModel, ModelLoadError, type LoadOptions, type OrtModule } from '../model-session.ts';
import { sha256Hex } from '../sha256.ts';
import { OnnxFeatureBackend } from './feature-onnx-backend.ts';
import { makeGraphDimsSymbolic } from './onnx-symbolic-dims.ts';
import { SharedBackboneBackend, type SiameseStageTimings, TwoBranchBackend, type OrtTensorModule } from './siamese-onnx-backends.ts';

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

/**
 * Dims the config leaves open (`None` or a name) become symbolic in the model before loading, so a graph exported
 * for one crop size also runs the other (NanoTrack's backbone: exported at 255, also fed the 127 template).
 */
export function openDims(spec: OnnxModelSpec): Record<string, Record<number, string>> {
  const dims: Record<string, Record<number, string>> = {};
  for (const t of [...spec.inputs, ...spec.outputs]) {
    t.shape?.forEach((d, i) => {
      if (d === null || typeof d === 'string') (dims[t.name] ??= {})[i] = typeof d === 'string' ? d : `${t.name}_dim${i}`;
    });
  }
  return dims;
}

export async function loadSotTracker(ort: OrtModule & OrtTensorModule, settings: SotModelSettings, readModel: ReadModelFile, options: LoadOptions): Promise<LoadedSotTracker> {
  const models: LoadedModel[] = [];
  const load = async (spec: OnnxModelSpec) => {
    const file = await readModel(spec);
    const dims = openDims(spec);
    let model: LoadedModel;
    if (Object.keys(dims).length === 0) model = await loadModel(ort, file.bytes, file.name, spec, options);
    else {
      // A pinned sha256 is the file's as distributed: check it before the in-memory edit.
      if (spec.sha256) {
        const actual = await sha256Hex(file.bytes);
        if (actual !== spec.sha256) throw new ModelLoadError(file.name, [`sha256 is ${actual}, the config (onnx.${spec.role}.sha256) pins ${spec.sha256}`]);
      }
      const { sha256: _pin, ...unpinned } = spec;
      model = await loadModel(ort, makeGraphDimsSymbolic(file.bytes, dims), file.name, unpinned, options);
    }
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

