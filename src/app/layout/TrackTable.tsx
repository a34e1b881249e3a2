import { trackColor } from '../../core/structures/overlay-scene.ts';

/** One row of a run's track (or instance) list: 0-based frames. */
export interface TrackRow {
  id: number;
  label: string;
  first: number;
  last: number;
  /** Frames in which it is present. */
  length: number;
}

/** The id (with its colour), class, first and last frame (1-based) and length of each track; a click picks one. */
export function TrackTable({ rows, selected, onPick, testId, rowTestId }: { rows: readonly TrackRow[]; selected: number | null; onPick: (row: TrackRow) => void; testId: string; rowTestId: string }) {
  return (
    <table className="track-list" data-testid={testId}>
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
        {rows.map((t) => (
          <tr key={t.id} data-testid={`${rowTestId}-${t.id}`} className={selected === t.id ? 'selected' : ''} onClick={() => onPick(t)}>
            <td>
              <span className="swatch" style={{ background: trackColor(t.id) }} />
              {t.id}
            </td>
            <td>{t.label}</td>
            <td className="num">{t.first + 1}</td>
            <td className="num">{t.last + 1}</td>
            <td className="num">{t.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
