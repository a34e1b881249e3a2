import { trackColor } from '../../core/structures/overlay-scene.ts';
import { useMotStore } from './mot-store.ts';

/** The tracks of the run: id, class, first/last frame, length; a click highlights the track and seeks to it. */
export function TrackList() {
  const tracks = useMotStore((s) => s.tracks);
  const selected = useMotStore((s) => s.selectedTrack);
  const names = useMotStore((s) => s.classNames);
  if (tracks.length === 0) return <p className="placeholder">No tracks yet.</p>;
  return (
    <div className="track-list-wrap">
      <div className="muted">
        <span data-testid="track-count">{tracks.length}</span> tracks
      </div>
      <table className="track-list" data-testid="track-list">
        <thead>
          <tr>
            <th>id</th>
            <th>class</th>
            <th>first</th>
            <th>last</th>
            <th>len</th>
          </tr>
        </thead>
        <tbody>
          {tracks.map((t) => (
            <tr key={t.id} data-testid={`track-row-${t.id}`} className={selected === t.id ? 'selected' : ''} onClick={() => useMotStore.getState().selectTrack(selected === t.id ? null : t.id)}>
              <td>
                <span className="swatch" style={{ background: trackColor(t.id) }} />
                {t.id}
              </td>
              <td>{names[t.label] ?? t.label}</td>
              <td className="num">{t.firstFrame + 1}</td>
              <td className="num">{t.lastFrame + 1}</td>
              <td className="num">{t.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
