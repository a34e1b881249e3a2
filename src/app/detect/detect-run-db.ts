// Whole-video detection runs kept in IndexedDB, one per video and detection pipeline (the config's model and onnx
// sections, `pipelineKey`), so a reload or reopening the same file brings every frame's detections back.
import type { Detections } from '../../core/structures/detections.ts';
import { runsRequest } from '../stores/runs-db.ts';

export interface SavedDetectRun {
  /** `videoKey(video)` + '\n' + the pipeline key. */
  key: string;
  videoName: string;
  /** Detections per 0-based frame (a cancelled run keeps the frames it reached). */
  frames: Array<[number, Detections]>;
  /** Whether every frame of the video was detected. */
  complete: boolean;
  savedAt: number;
}

export function saveDetectRun(run: SavedDetectRun): Promise<void> {
  return runsRequest('detect-runs', 'readwrite', (s) => s.put(run)).then(() => undefined);
}

export function loadDetectRun(key: string): Promise<SavedDetectRun | undefined> {
  return runsRequest('detect-runs', 'readonly', (s) => s.get(key) as IDBRequest<SavedDetectRun | undefined>);
}
