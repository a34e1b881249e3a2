import { type CentreView, useViewStore } from './view-store.ts';

const TABS: Array<[CentreView, string]> = [
  ['video', 'Video'],
  ['eval', 'Evaluation'],
  ['logs', 'Training logs'],
  ['reports', 'Reports'],
];

/** Switches the centre area between the player and the other views. */
export function ViewTabs({ extra = [] }: { extra?: Array<[CentreView, string]> }) {
  const view = useViewStore((s) => s.view);
  return (
    <nav className="view-tabs" aria-label="Views">
      {[...TABS, ...extra].map(([id, label]) => (
        <button key={id} type="button" className={view === id ? 'active' : ''} aria-pressed={view === id} data-testid={`view-${id}`} onClick={() => useViewStore.getState().setView(id)}>
          {label}
        </button>
      ))}
    </nav>
  );
}
