import type { OverlayScene } from '../core/structures/overlay-scene.ts';
import type { ExportEncoder } from '../media/export-mp4.ts';

/** The frames to export: a playable video (WebCodecs path) or an image folder. */
export type ExportInput = { kind: 'video'; name: string; blob: Blob } | { kind: 'images'; name: string; files: File[] };

export type ExportRequest =
  | { type: 'start'; jobId: number; input: ExportInput; scenes: ReadonlyMap<number, OverlayScene>; encoder: ExportEncoder }
  | { type: 'cancel'; jobId: number };

export type ExportResponse =
  | { type: 'progress'; jobId: number; done: number; total: number }
  | { type: 'done'; jobId: number; mp4: Blob; encoder: string; frames: number }
  | { type: 'failed'; jobId: number; message: string; cancelled: boolean };
