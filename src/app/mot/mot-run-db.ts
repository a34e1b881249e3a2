// MOT runs kept in IndexedDB, one per video, so a reload (or reopening the same file) brings the tracks back with
// the detections they were made from (the score slider, evaluation and parameter search work without the detector).
import type { VideoInfo } from '../../media/video-info.ts';
import type { MotSessionRecord } from './mot-session.ts';

const DB_NAME = 'mmtrack-web-runs';
const STORE = 'mot-runs';

export interface SavedMotRun extends MotSessionRecord {
  /** {@link videoKey} of the video. */
  key: string;
  videoName: string;
  savedAt: number;
}

/** Identifies a video across reloads: name, size and frame count (a re-encoded file of the same name differs). */
export function videoKey(info: Pick<VideoInfo, 'name' | 'width' | 'height' | 'frameCount' | 'fps'>): string {
  return `${info.name}|${info.width}x${info.height}|${info.frameCount}|${info.fps}`;
}

let opened: Promise<IDBDatabase> | null = null;

function db(): Promise<IDBDatabase> {
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`IndexedDB ${DB_NAME}: ${req.error?.message ?? 'cannot open'}`));
  });
  opened.catch(() => (opened = null));
  return opened;
}

function request<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return db().then(
    (d) =>
      new Promise<T>((resolve, reject) => {
        const req = op(d.transaction(STORE, mode).objectStore(STORE));
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(new Error(`IndexedDB ${DB_NAME}: ${req.error?.message ?? 'request failed'}`));
      }),
  );
}

export function saveMotRun(run: SavedMotRun): Promise<void> {
  return request('readwrite', (s) => s.put(run)).then(() => undefined);
}

export function loadMotRun(key: string): Promise<SavedMotRun | undefined> {
  return request('readonly', (s) => s.get(key) as IDBRequest<SavedMotRun | undefined>);
}

export function deleteMotRun(key: string): Promise<void> {
  return request('readwrite', (s) => s.delete(key)).then(() => undefined);
}
