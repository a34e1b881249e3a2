/**
 * A VIS config's model, loaded for CPU runs (the CLI; the app's wasm EP): MaskTrack R-CNN (`model.type=
 * 'MaskTrackRCNN'`, four graphs). Each frame gives the detections with their track ids and their masks at frame size.
 */
import type { ConfigDict } from '../../core/config/config-value.ts';
import { getConfigPath } from '../../core/config/config-value.ts';
import type { OnnxModelSpec } from '../../core/config/onnx-spec.ts';
import { maskTrackRcnnModel } from '../../core/models/vis/masktrack-rcnn-config.ts';
import { MaskTrackRcnn, type VisFrameResult, type VisGraphRole } from '../../core/models/vis/masktrack-rcnn.ts';
import { ortRunGraph } from '../detectors/faster-rcnn-cpu.ts';
import type { LoadedModel, OrtTensorModule } from '../model-session.ts';

export const VIS_MODEL_TYPES: readonly string[] = ['MaskTrackRCNN'];

export function isVisConfig(config: ConfigDict): boolean {
  const type = getConfigPath(config, 'model.type');
  return typeof type === 'string' && VIS_MODEL_TYPES.includes(type);
}

export interface VisRunner {
  type: string;
  classNames: readonly string[];
  /** Frame `frameId` (0 starts a video) of RGBA pixels. */
  track(frameId: number, rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<VisFrameResult>;
  release(): Promise<void>;
}

/** Loads the config's graphs with `load` (sessions already loaded are released when a later one fails). */
export async function loadVisRunner(ort: OrtTensorModule, config: ConfigDict, load: (spec: OnnxModelSpec) => Promise<LoadedModel>): Promise<VisRunner> {
  const model = maskTrackRcnnModel(config);
  const roles: [VisGraphRole, OnnxModelSpec][] = [
    ['backbone', model.detector.graphs.backbone.spec],
    ['bbox_head', model.detector.graphs.bboxHead.spec],
    ['mask_head', model.graphs.maskHead.spec],
    ['track_head', model.graphs.trackHead.spec],
  ];
  const loaded: LoadedModel[] = [];
  const release = async () => {
    for (const m of loaded) await m.session.release();
  };
  try {
    for (const [, spec] of roles) loaded.push(await load(spec));
  } catch (err) {
    await release();
    throw err;
  }
  const sessions = Object.fromEntries(roles.map(([role], i) => [role, loaded[i]!.session])) as Record<VisGraphRole, LoadedModel['session']>;
  const runner = new MaskTrackRcnn(model, ortRunGraph(ort, sessions));
  return { type: 'MaskTrackRCNN', classNames: model.detector.settings.classNames, track: (frameId, rgba, w, h) => runner.track(rgba, w, h, frameId), release };
}
