import { usePlayerStore } from './player-store.ts';

/** Play/pause, frame steps, timeline and the frame counter with video and decode fps. */
export function PlayerControls() {
  const info = usePlayerStore((s) => s.info);
  const currentFrame = usePlayerStore((s) => s.currentFrame);
  const playing = usePlayerStore((s) => s.playing);
  const decodeFps = usePlayerStore((s) => s.decodeFps);
  const marks = usePlayerStore((s) => s.marks);
  const { togglePlay, step, seek } = usePlayerStore.getState();
  const disabled = !info;

  return (
    <div className="player-controls">
      <button type="button" onClick={() => void step(-1)} disabled={disabled} title="Previous frame (←)" aria-label="Previous frame">‹ Prev</button>
      <button type="button" onClick={togglePlay} disabled={disabled} title="Play / pause (space)" data-testid="play-pause">{playing ? 'Pause' : 'Play'}</button>
      <button type="button" onClick={() => void step(1)} disabled={disabled} title="Next frame (→)" aria-label="Next frame">Next ›</button>
      <span className="timeline-wrap">
        <input
          type="range"
          className="timeline"
          data-testid="timeline"
          aria-label="Timeline"
          min={1}
          max={info?.frameCount ?? 1}
          value={info ? currentFrame + 1 : 1}
          disabled={disabled}
          onChange={(e) => void seek(Number(e.target.value) - 1)}
        />
        {info && marks && (
          <span className="timeline-marks" data-testid="timeline-marks" title={marks.label} aria-label={`${marks.label}: frames ${marks.frames.map((f) => f + 1).join(', ')}`}>
            {marks.frames.map((f) => (
              <span key={f} className="timeline-mark" data-frame={f + 1} style={{ left: `${info.frameCount > 1 ? (f / (info.frameCount - 1)) * 100 : 0}%` }} />
            ))}
          </span>
        )}
      </span>
      <span className="frame-counter">
        frame <span data-testid="current-frame">{info ? currentFrame + 1 : 0}</span> / <span data-testid="frame-count">{info?.frameCount ?? 0}</span>
      </span>
      <span className="fps" title="Video frame rate · decoder throughput">
        {info ? `${info.fps.toFixed(2)} fps` : '– fps'} · decode <span data-testid="decode-fps">{decodeFps ? decodeFps.toFixed(1) : '–'}</span> fps
      </span>
    </div>
  );
}
