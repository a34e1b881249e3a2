import type { OverlayScene } from '../core/structures/overlay-scene.ts';
import type { ExportEncoder } from '../media/export-mp4.ts';
import type { Method } from './rpc.ts';

/** The frames to export: a playable video (WebCodecs path) or an image folder. */
export type ExportInput = { kind: 'video'; name: string; blob: Blob } | { kind: 'images'; name: string; files: File[] };

export interface ExportArgs {
  input: ExportInput;
  scenes: ReadonlyMap<number, OverlayScene>;
  encoder: ExportEncoder;
}

export interface ExportResult {
  mp4: Blob;
  encoder: string;
  frames: number;
}

/** The export worker's API; progress is `[done, total]` frames. */
export type ExportApi = {
  export: Method<ExportArgs, ExportResult, [done: number, total: number]>;
};
