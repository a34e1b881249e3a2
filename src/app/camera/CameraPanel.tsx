import { useEffect, useRef } from 'react';
import type { XywhBox } from '../../core/models/sot/sot-tracker.ts';
import { useConfigModelType } from '../config/config-store.ts';
import { liveMode, RESOLUTIONS, useCameraStore } from './camera-store.ts';

/** Live tracking from a camera (MOT and SOT configs): device and resolution, start/stop, frames, the recording. */
export function CameraPanel() {
  const s = useCameraStore();
  const actions = useCameraStore.getState();
  const modelType = useConfigModelType();
  // Once, and again when a camera is plugged in or out. Not keyed on the store: listing sets the store, and a new
  // state re-running the effect made a loop of enumerateDevices calls that kept ~1.4 of 2 cores busy while idle.
  useEffect(() => {
    const list = () => void useCameraStore.getState().listDevices();
    list();
    navigator.mediaDevices?.addEventListener('devicechange', list);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', list);
  }, []);
  if (!liveMode(modelType)) return null;
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
          <button type="button" data-testid="camera-export-results" onClick={actions.downloadResults}>
            {s.mode === 'mot' ? 'MOT txt' : 'LaSOT txt'}
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

/** The live frames with their tracks, over the player while a camera session runs (and its last frame after). SOT: drag a box on it. */
export function CameraView() {
  const status = useCameraStore((s) => s.status);
  const mode = useCameraStore((s) => s.mode);
  const draft = useCameraStore((s) => s.draft);
  const processed = useCameraStore((s) => s.stats.processed);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const start = useRef<[number, number] | null>(null);
  const shown = status === 'live' || status === 'starting' || (status !== 'off' && processed > 0);
  // CSS pixels → frame pixels (the canvas keeps the frame's aspect ratio when it is scaled down).
  const toFrame = (e: { clientX: number; clientY: number }): [number, number] => {
    const c = canvasRef.current!;
    const r = c.getBoundingClientRect();
    return [Math.min(Math.max(((e.clientX - r.left) / r.width) * c.width, 0), c.width), Math.min(Math.max(((e.clientY - r.top) / r.height) * c.height, 0), c.height)];
  };
  const boxOf = (a: [number, number], b: [number, number]): XywhBox => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1])];
  const drawing = mode === 'sot' && status === 'live';
  const fw = useCameraStore((s) => s.stats.width);
  const fh = useCameraStore((s) => s.stats.height);
  const css = draft && fw && fh ? { left: `${(draft[0] / fw) * 100}%`, top: `${(draft[1] / fh) * 100}%`, width: `${(draft[2] / fw) * 100}%`, height: `${(draft[3] / fh) * 100}%` } : null;
  return (
    <div className="camera-view" hidden={!shown} data-testid="camera-view">
      <div className="camera-frame">
        <canvas
          ref={(el) => {
            canvasRef.current = el;
            useCameraStore.getState().setCanvas(el);
          }}
          data-testid="camera-canvas"
          style={{ cursor: drawing ? 'crosshair' : 'default' }}
          onPointerDown={(e) => {
            if (!drawing) return;
            e.currentTarget.setPointerCapture?.(e.pointerId);
            start.current = toFrame(e);
            useCameraStore.getState().setDraft([...start.current, 0, 0]);
          }}
          onPointerMove={(e) => start.current && useCameraStore.getState().setDraft(boxOf(start.current, toFrame(e)))}
          onPointerUp={(e) => {
            if (!start.current) return;
            useCameraStore.getState().setDraft(boxOf(start.current, toFrame(e)));
            start.current = null;
            useCameraStore.getState().commitDraft();
          }}
        />
        {css && <div className="camera-draft" style={css} />}
      </div>
      {shown && status !== 'live' && (
        <button type="button" className="camera-close" data-testid="camera-close" onClick={() => useCameraStore.setState({ status: 'off' })}>
          Back to the video
        </button>
      )}
    </div>
  );
}
