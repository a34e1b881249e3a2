import { TrackTable } from '../layout/TrackTable.tsx';
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
      <TrackTable
        rows={tracks.map((t) => ({ id: t.id, label: String(names[t.label] ?? t.label), first: t.firstFrame, last: t.lastFrame, length: t.length }))}
        selected={selected}
        onPick={(t) => useMotStore.getState().selectTrack(selected === t.id ? null : t.id)}
        testId="track-list"
        rowTestId="track-row"
      />
    </div>
  );
}
