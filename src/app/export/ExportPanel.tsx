import type { ExportEncoder } from '../../media/export-mp4.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { useExportStore } from './export-store.ts';

/** Export the annotated MP4 (progress + cancel) or a PNG of the frame on screen. */
export function ExportPanel() {
  const info = usePlayerStore((s) => s.info);
  const { encoder, progress, last } = useExportStore();
  const { setEncoder, exportVideo, cancel, exportPng } = useExportStore.getState();
  return (
    <div className="export-panel">
      <button type="button" data-testid="export-video" disabled={!info || !!progress} onClick={() => void exportVideo()}>Export MP4</button>
      <select aria-label="Encoder" data-testid="export-encoder" value={encoder} onChange={(e) => setEncoder(e.target.value as ExportEncoder)} disabled={!!progress}>
        <option value="auto">auto (WebCodecs, else ffmpeg.wasm)</option>
        <option value="webcodecs">WebCodecs only</option>
        <option value="ffmpeg">ffmpeg.wasm</option>
      </select>
      <button type="button" data-testid="export-png" disabled={!info} onClick={() => void exportPng()}>Save frame PNG</button>
      {progress && (
        <span className="export-progress">
          <progress data-testid="export-progress" max={progress.total} value={progress.done} /> {progress.done}/{progress.total}
          <button type="button" data-testid="export-cancel" onClick={cancel}>Cancel</button>
        </span>
      )}
      {!progress && last && (
        <span className="export-last" data-testid="export-done">
          {last.fileName}: {last.frames} frames, {(last.bytes / 1e6).toFixed(2)} MB ({last.encoder})
        </span>
      )}
    </div>
  );
}
