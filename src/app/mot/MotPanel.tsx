import { useConfigModelType } from '../config/config-store.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { MotEvalSearch } from './MotEvalSearch.tsx';
import { useMotStore } from './mot-store.ts';

const MOT_MODEL_TYPES = new Set(['ByteTrack', 'DeepSORT', 'Tracktor']);

/** Run the chosen MOT config over the video (progress, frames/s, cancel) and export its tracks. */
export function MotPanel() {
  const modelType = useConfigModelType();
  const hasVideo = usePlayerStore((s) => s.info !== null);
  const { status, progress, fps, error, tracks, gridNote, restoredAt } = useMotStore();
  const { track, cancel, exportMotTxt, exportCocoVid } = useMotStore.getState();
  if (typeof modelType !== 'string' || !MOT_MODEL_TYPES.has(modelType)) return null;
  return (
    <div className="mot-panel">
      <div className="row">
        <button type="button" data-testid="track-run" disabled={!hasVideo || status === 'running'} onClick={() => void track()}>
          Track ({modelType})
        </button>
        {status === 'running' && (
          <button type="button" data-testid="track-cancel" onClick={cancel}>
            Cancel
          </button>
        )}
        {status === 'done' && (
          <>
            <button type="button" data-testid="export-mot" onClick={exportMotTxt}>
              MOT txt
            </button>
            <button type="button" data-testid="export-cocovid" onClick={exportCocoVid}>
              CocoVID JSON
            </button>
          </>
        )}
      </div>
      {progress && (
        <div className="row">
          <progress data-testid="track-progress" max={progress.total} value={progress.done} />
          <span>
            {progress.done}/{progress.total} · {fps ? `${fps.toFixed(1)} frames/s` : '…'}
          </span>
        </div>
      )}
      <div className="muted" data-testid="track-status">
        {status === 'done' && `${tracks.length} tracks`}
        {status === 'cancelled' && 'Tracking cancelled.'}
        {status === 'error' && <span className="model-error">{error}</span>}
      </div>
      {status === 'done' && error && <div className="model-error">{error}</div>}
      {restoredAt !== null && (
        <div className="muted" data-testid="mot-restored">
          Run restored from this browser's storage (tracked {new Date(restoredAt).toLocaleString()}).
        </div>
      )}
      {gridNote && (
        <div className="muted" data-testid="mot-grid-note">
          {gridNote}
        </div>
      )}
      {status === 'done' && <MotEvalSearch />}
    </div>
  );
}
