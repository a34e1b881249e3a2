/**
 * A VIS config's model, loaded for CPU runs (the CLI; the app's wasm EP): MaskTrack R-CNN (`model.type=
 * 'MaskTrackRCNN'`, four graphs) or the default person-mask demo (`'PersonMaskDemo'`: a MOT config's detector and
 * tracker, and a person segmentation graph run on each tracked box). Each frame gives the detections with their
 * track ids and their masks at frame size.
 */
import type { ConfigDict } from '../../core/config/config-value.ts';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import type { PreprocessOptions } from '../../core/ops/preprocess.ts';
import { maskTrackRcnnModel } from '../../core/models/vis/masktrack-rcnn-config.ts';
import { MaskTrackRcnn, type VisFrameResult, type VisGraphRole } from '../../core/models/vis/masktrack-rcnn.ts';
import { ortRunGraph } from '../detectors/faster-rcnn-cpu.ts';
import type { LoadedModel, OrtTensorModule } from '../model-session.ts';
import { MotRun } from '../../core/models/mot/mot-run.ts';
import { reidCrops } from '../../core/models/mot/reid-settings.ts';
import { cropMasks, cropWindows, isPersonMaskDemoConfig, personMaskDemoSettings } from '../../core/models/vis/person-mask-demo.ts';
import { emptyBitMasks, maskArea } from '../../core/structures/bit-masks.ts';
import { loadDetectorGraphs, loadDetectorRunner } from '../detectors/detector-runner.ts';

export { isVisConfig, VIS_MODEL_TYPES } from '../../core/models/vis/vis-config.ts';

export interface VisRunner {
  type: string;
  classNames: readonly string[];
  /** The detector's pre-processing (for a config's other parts, e.g. a ReID crop). */
  preprocess: PreprocessOptions;
  /** Its graphs, loaded, in the order of `detectorGraphSpecs`. */
  models: readonly LoadedModel[];
  /** Frame `frameId` (0 starts a video) of RGBA pixels. */
  track(frameId: number, rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<VisFrameResult>;
  release(): Promise<void>;
}

/** Loads the config's graphs with `load` (sessions already loaded are released when a later one fails). */
export async function loadVisRunner(ort: OrtTensorModule, config: ConfigDict, load: (spec: OnnxModelSpec) => Promise<LoadedModel>): Promise<VisRunner> {
  if (isPersonMaskDemoConfig(config)) return loadPersonMaskDemo(ort, config, load);
  const model = maskTrackRcnnModel(config);
  // The four graphs of detectorGraphSpecs, in order; those loaded are released when a later one fails.
  const loaded = await loadDetectorGraphs(config, load);
  const release = async () => {
    for (const m of loaded) await m.session.release();
  };
  const sessions = Object.fromEntries(loaded.map((m) => [m.role, m.session])) as Record<VisGraphRole, LoadedModel['session']>;
  const runner = new MaskTrackRcnn(model, ortRunGraph(ort, sessions));
  return { type: 'MaskTrackRCNN', classNames: model.detector.settings.classNames, preprocess: model.detector.preprocess, models: loaded, track: (frameId, rgba, w, h) => runner.track(rgba, w, h, frameId), release };
}

/** The person-mask demo (src/core/models/vis/person-mask-demo.ts): steps 1-3 per frame. */
async function loadPersonMaskDemo(ort: OrtTensorModule, config: ConfigDict, load: (spec: OnnxModelSpec) => Promise<LoadedModel>): Promise<VisRunner> {
  const s = personMaskDemoSettings(config);
  const detector = await loadDetectorRunner(ort, s.mot, load);
  let segmentor: LoadedModel;
  let run: MotRun;
  try {
    run = new MotRun(s.mot, detector.classNames);
    segmentor = await load(s.segmentor);
  } catch (err) {
    await detector.release();
    throw err;
  }
  const input = s.segmentor.inputs[0]!.name;
  const output = s.segmentor.outputs[0]!.name;
  const plane = s.size * s.size;
  const norm = { mean: [0, 0, 0], std: [255, 255, 255], toRgb: true } as const;
  return {
    type: 'PersonMaskDemo',
    classNames: detector.classNames,
    preprocess: detector.preprocess,
    models: [...detector.models, segmentor],
    async track(frameId, rgba, width, height) {
      // 1.
      if (frameId === 0 && run.frames.size > 0) run = new MotRun(s.mot, detector.classNames);
      const tracked = await run.step(frameId, (await detector.detect(rgba, width, height)).detections);
      const n = tracked.scores.length;
      const ids = tracked.ids ?? new Int32Array(n);
      if (n === 0) return { detections: { ...tracked, ids }, masks: emptyBitMasks(0, width, height) };
      // 2.
      const crops = cropWindows(tracked.boxes, width, height, s.cropScale);
      const pixels = reidCrops(rgba, width, height, crops, [s.size, s.size], norm);
      const probs: Float32Array[] = [];
      for (let i = 0; i < n; i++) {
        const feed = new ort.Tensor('float32', pixels.subarray(i * 3 * plane, (i + 1) * 3 * plane), [1, 3, s.size, s.size]);
        const out = await segmentor.session.run({ [input]: feed });
        const t = out[output];
        if (!t || t.type !== 'float32' || (t.data as Float32Array).length !== plane) throw new Error(`onnx.segmentor: the graph returned ${t ? `${t.type} [${t.dims.join(', ')}]` : 'nothing'} for '${output}', expected float32 [1, 1, ${s.size}, ${s.size}]`);
        probs.push(t.data as Float32Array);
        feed.dispose();
      }
      // 3. A person with no pixel above the threshold in its box is no instance on this frame (id -1; the tracker
      // keeps the track): an empty mask can match nothing in YouTube-VIS's IoU, not even itself.
      const masks = cropMasks(probs, crops, tracked.boxes, width, height, s.size, s.threshold);
      const kept = Int32Array.from(ids, (id, i) => (maskArea(masks, i) > 0 ? id : -1));
      return { detections: { ...tracked, ids: kept }, masks };
    },
    async release() {
      await detector.release();
      await segmentor.session.release();
    },
  };
}
