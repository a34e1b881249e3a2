import { getConfigPath } from '../../core/config/config-value.ts';
import { MOT_MODEL_TRACKERS } from '../../core/models/mot/build-mot-tracker.ts';
import { useConfigModelType, useConfigStore } from '../config/config-store.ts';
import { useDetectStore } from '../detect/detect-store.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { ClassPicker } from './ClassPicker.tsx';
import { MotCompare } from './MotCompare.tsx';
import { MotEvalSearch } from './MotEvalSearch.tsx';
import { useMotStore } from './mot-store.ts';


/** Run the chosen MOT config over the video (progress, frames/s, cancel) and export its tracks. */
export function MotPanel() {
  const modelType = useConfigModelType();
  const hasVideo = usePlayerStore((s) => s.info !== null);
  const { status, progress, fps, error, tracks, gridNote, restoredAt, minScore } = useMotStore();
  const { track, cancel, exportMotTxt, exportCocoVid } = useMotStore.getState();
  const reidType = useConfigStore((c) => (c.config ? getConfigPath(c.config, 'model.reid.type') : undefined));
  const reidFile = useConfigStore((c) => (c.config ? getConfigPath(c.config, 'onnx.reid.file') : undefined));
  if (typeof modelType !== 'string' || !(modelType in MOT_MODEL_TRACKERS)) return null;
  return (
    <div className="mot-panel">
      {reidType === 'BaseReID' && (
        <label className="row" title={`the trained ReID network this config names (onnx.reid.file: ${typeof reidFile === 'string' ? reidFile : '?'}), exported to ONNX: crops [N, 3, h, w] → embeddings [N, D]`}>
          <span>ReID model:</span>
          <input type="file" accept=".onnx" data-testid="reid-model-input" onChange={(e) => e.target.files?.[0] && void useDetectStore.getState().loadReidFile(e.target.files[0])} />
        </label>
      )}
      <ClassPicker />
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
      {minScore !== null && (status === 'done' || status === 'running') && (
        <div className="muted">
          tracked the detections with score ≥ <span data-testid="mot-min-score">{minScore.toFixed(2)}</span> (the score slider re-tracks)
        </div>
      )}
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
      {status === 'done' && <MotCompare />}
    </div>
  );
}
