// MOT runs kept in IndexedDB, one per video, so a reload (or reopening the same file) brings the tracks back with
// the detections they were made from (the score slider, evaluation and parameter search work without the detector).
import { runsRequest } from '../stores/runs-db.ts';
import type { MotSessionRecord } from './mot-session.ts';

export { videoKey } from '../stores/runs-db.ts';

export interface SavedMotRun extends MotSessionRecord {
  /** {@link videoKey} of the video. */
  key: string;
  videoName: string;
  savedAt: number;
}

export function saveMotRun(run: SavedMotRun): Promise<void> {
  return runsRequest('mot-runs', 'readwrite', (s) => s.put(run)).then(() => undefined);
}

export function loadMotRun(key: string): Promise<SavedMotRun | undefined> {
  return runsRequest('mot-runs', 'readonly', (s) => s.get(key) as IDBRequest<SavedMotRun | undefined>);
}

export function deleteMotRun(key: string): Promise<void> {
  return runsRequest('mot-runs', 'readwrite', (s) => s.delete(key)).then(() => undefined);
}
