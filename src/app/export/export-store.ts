import { create } from 'zustand';
import { sceneMap } from '../../core/structures/overlay-scene.ts';
import type { ExportEncoder } from '../../media/export-mp4.ts';
import { renderAnnotatedFrame } from '../../media/render-frame.ts';
import { startExport, type ExportJob } from '../../workers/export-client.ts';
import type { ExportInput } from '../../workers/export-protocol.ts';
import { isCancelled } from '../../workers/rpc.ts';
import { derivedName, downloadBlob } from '../download.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { useOverlayStore } from '../stores/overlay-store.ts';

export interface ExportState {
  encoder: ExportEncoder;
  /** Frames done / total while an export runs. */
  progress: { done: number; total: number } | null;
  /** Last finished export, for the status line. */
  last: { fileName: string; encoder: string; frames: number; bytes: number } | null;
  error: string | null;
  setEncoder: (e: ExportEncoder) => void;
  exportVideo: () => Promise<void>;
  cancel: () => void;
  exportPng: () => Promise<void>;
}

let job: ExportJob | null = null;

export const useExportStore = create<ExportState>()((set, get) => ({
  encoder: 'auto',
  progress: null,
  last: null,
  error: null,
  setEncoder: (encoder) => set({ encoder }),

  async exportVideo() {
    const { info, input, playable } = usePlayerStore.getState();
    if (!info || !input || get().progress) return;
    const source: ExportInput =
      input.kind === 'images' ? { kind: 'images', name: input.name, files: input.files } : { kind: 'video', name: info.name, blob: playable ?? input.file };
    set({ progress: { done: 0, total: info.frameCount }, error: null });
    job = startExport(source, sceneMap(useOverlayStore.getState().scenes, info.frameCount), get().encoder, (done, total) => set({ progress: { done, total } }));
    try {
      const r = await job.result;
      const fileName = derivedName(info.name, '-annotated', 'mp4');
      downloadBlob(r.mp4, fileName);
      set({ last: { fileName, encoder: r.encoder, frames: r.frames, bytes: r.mp4.size } });
    } catch (err) {
      set({ error: isCancelled(err) ? null : err instanceof Error ? err.message : String(err) });
    } finally {
      job = null;
      set({ progress: null });
    }
  },

  cancel() {
    job?.cancel();
  },

  async exportPng() {
    const { info, image, currentFrame } = usePlayerStore.getState();
    if (!info || !image) return;
    const canvas = new OffscreenCanvas(info.width, info.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    renderAnnotatedFrame(ctx, image, info.width, info.height, useOverlayStore.getState().scenes.get(currentFrame));
    const png = await canvas.convertToBlob({ type: 'image/png' });
    downloadBlob(png, derivedName(info.name, `-frame${String(currentFrame + 1).padStart(6, '0')}`, 'png'));
  },
}));
