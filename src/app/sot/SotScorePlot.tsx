import { usePlayerStore } from '../player/player-store.ts';
import { useSotStore, type SotResult } from './sot-store.ts';

/** The tracker's confidence per frame under the timeline; re-initialisations are marked. */
export function SotScorePlot() {
  // The map is changed in place: its version re-renders the plot.
  useSotStore((s) => s.resultsVersion);
  const results = useSotStore((s) => s.results);
  const info = usePlayerStore((s) => s.info);
  if (!info || results.size === 0) return null;
  const n = Math.max(info.frameCount - 1, 1);
  // In frame order without sorting: one pass over the frames.
  const entries: Array<[number, SotResult]> = [];
  for (let f = 0; f < info.frameCount; f++) {
    const r = results.get(f);
    if (r) entries.push([f, r]);
  }
  const pts = entries.filter(([, r]) => !r.init).map(([f, r]) => `${((f / n) * 1000).toFixed(1)},${(40 - Math.min(Math.max(r.score, 0), 1) * 40).toFixed(1)}`);
  return (
    <svg className="sot-score-plot" data-testid="sot-plot" viewBox="0 0 1000 40" preserveAspectRatio="none" aria-label="tracker confidence per frame">
      <polyline points={pts.join(' ')} />
      {entries
        .filter(([, r]) => r.init)
        .map(([f]) => (
          <line key={f} x1={(f / n) * 1000} x2={(f / n) * 1000} y1={0} y2={40} className="reinit" />
        ))}
    </svg>
  );
}
