// Finished runs kept in IndexedDB, one per video (and, for detection, per pipeline), so that a reload or reopening the
// same file brings them back: MOT runs (mot-run-db.ts) and whole-video detection runs (detect-run-db.ts).
import type { VideoInfo } from '../../media/video-info.ts';

const DB_NAME = 'mmtrack-web-runs';
/** Version 1 had the MOT store only; version 2 adds detection runs. */
const DB_VERSION = 2;
export type RunStore = 'mot-runs' | 'detect-runs';
const STORES: readonly RunStore[] = ['mot-runs', 'detect-runs'];

/** Identifies a video across reloads: name, size and frame count (a re-encoded file of the same name differs). */
export function videoKey(info: Pick<VideoInfo, 'name' | 'width' | 'height' | 'frameCount' | 'fps'>): string {
  return `${info.name}|${info.width}x${info.height}|${info.frameCount}|${info.fps}`;
}

let opened: Promise<IDBDatabase> | null = null;

function db(): Promise<IDBDatabase> {
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      for (const s of STORES) if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s, { keyPath: 'key' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`IndexedDB ${DB_NAME}: ${req.error?.message ?? 'cannot open'}`));
  });
  opened.catch(() => (opened = null));
  return opened;
}

/** One request on one of the run stores. */
export function runsRequest<T>(store: RunStore, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return db().then(
    (d) =>
      new Promise<T>((resolve, reject) => {
        const req = op(d.transaction(store, mode).objectStore(store));
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(new Error(`IndexedDB ${DB_NAME}: ${req.error?.message ?? 'request failed'}`));
      }),
  );
}
