import { useEffect } from 'react';
import { RESOLUTIONS, useCameraStore } from './camera-store.ts';

/** Live MOT from a camera: device and resolution, start/stop, what is processed and dropped, the recording. */
export function CameraPanel() {
  const s = useCameraStore();
  const actions = useCameraStore.getState();
  useEffect(() => void actions.listDevices(), [actions]);
  const live = s.status === 'live' || s.status === 'starting';
  return (
    <details className="camera-panel" data-testid="camera-panel">
      <summary>Live camera</summary>
      <label className="row">
        <span>Camera:</span>
        <select data-testid="camera-device" value={s.deviceId ?? ''} disabled={live} onChange={(e) => actions.setDevice(e.target.value || null)}>
          <option value="">default</option>
          {s.devices.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      <label className="row">
        <span>Resolution:</span>
        <select data-testid="camera-resolution" value={s.resolution} disabled={live} onChange={(e) => actions.setResolution(e.target.value)}>
          {RESOLUTIONS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        {live ? (
          <button type="button" data-testid="camera-stop" onClick={() => actions.stop()}>
            Stop
          </button>
        ) : (
          <button type="button" data-testid="camera-start" onClick={() => void actions.start()}>
            Use camera
          </button>
        )}
      </div>
      {s.status !== 'off' && (
        <div className="muted" data-testid="camera-stats">
          {s.stats.processed} frames tracked, {s.stats.dropped} dropped (arrived while busy){s.stats.fps !== null ? `, ${s.stats.fps.toFixed(1)} frames/s` : ''}, {s.stats.tracks} tracks
          {s.stats.width ? ` · ${s.stats.width}x${s.stats.height}` : ''}
        </div>
      )}
      {s.message && (
        <div className="model-error" data-testid="camera-message">
          {s.message}
        </div>
      )}
      {s.recording && !live && (
        <div className="row" data-testid="camera-recording">
          <span className="muted">Recorded {s.recording.frames} frames:</span>
          <button type="button" data-testid="camera-export-mot" onClick={actions.downloadMot}>
            MOT txt
          </button>
          {s.recording.mp4 && (
            <button type="button" data-testid="camera-export-mp4" onClick={actions.downloadMp4} title={s.recording.encoder ?? ''}>
              MP4
            </button>
          )}
        </div>
      )}
    </details>
  );
}

/** The live frames with their tracks, over the player while a camera session runs (and its last frame after). */
export function CameraView() {
  const status = useCameraStore((s) => s.status);
  const shown = status === 'live' || status === 'starting' || (status !== 'off' && useCameraStore.getState().stats.processed > 0);
  return (
    <div className="camera-view" hidden={!shown} data-testid="camera-view">
      <canvas ref={(c) => useCameraStore.getState().setCanvas(c)} />
      {shown && status !== 'live' && (
        <button type="button" className="camera-close" data-testid="camera-close" onClick={() => useCameraStore.setState({ status: 'off' })}>
          Back to the video
        </button>
      )}
    </div>
  );
}
