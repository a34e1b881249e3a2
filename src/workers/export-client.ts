import type { ExportEncoder } from '../media/export-mp4.ts';
import type { OverlayScene } from '../core/structures/overlay-scene.ts';
import type { ExportApi, ExportInput, ExportResult } from './export-protocol.ts';
import { type Job, RpcClient } from './rpc.ts';

export type ExportJob = Job<ExportResult>;

const client = new RpcClient<ExportApi>('export', () => new Worker(new URL('./export.worker.ts', import.meta.url), { type: 'module', name: 'export' }));

/** Starts an export in the export worker; `onProgress(done, total)` counts frames. */
export function startExport(input: ExportInput, scenes: ReadonlyMap<number, OverlayScene>, encoder: ExportEncoder, onProgress: (done: number, total: number) => void): ExportJob {
  return client.start('export', { input, scenes, encoder }, { onProgress: ([done, total]) => onProgress(done, total) });
}
