import type { ExportEncoder } from '../media/export-mp4.ts';
import type { OverlayScene } from '../core/structures/overlay-scene.ts';
import type { ExportInput, ExportRequest, ExportResponse } from './export-protocol.ts';

export interface ExportJob {
  result: Promise<{ mp4: Blob; encoder: string; frames: number }>;
  cancel(): void;
}

let worker: Worker | null = null;
let nextJob = 0;
const listeners = new Map<number, (msg: ExportResponse) => void>();

function exportWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./export.worker.ts', import.meta.url), { type: 'module', name: 'export' });
    worker.onmessage = (ev: MessageEvent<ExportResponse>) => listeners.get(ev.data.jobId)?.(ev.data);
  }
  return worker;
}

/** Starts an export in the export worker; `onProgress(done, total)` counts frames. */
export function startExport(input: ExportInput, scenes: ReadonlyMap<number, OverlayScene>, encoder: ExportEncoder, onProgress: (done: number, total: number) => void): ExportJob {
  const jobId = ++nextJob;
  const w = exportWorker();
  const result = new Promise<{ mp4: Blob; encoder: string; frames: number }>((resolve, reject) => {
    listeners.set(jobId, (msg) => {
      if (msg.type === 'progress') return onProgress(msg.done, msg.total);
      listeners.delete(jobId);
      if (msg.type === 'done') resolve({ mp4: msg.mp4, encoder: msg.encoder, frames: msg.frames });
      else reject(Object.assign(new Error(msg.message), { cancelled: msg.cancelled }));
    });
  });
  w.postMessage({ type: 'start', jobId, input, scenes, encoder } satisfies ExportRequest);
  return { result, cancel: () => w.postMessage({ type: 'cancel', jobId } satisfies ExportRequest) };
}
