import { COCO_CLASSES } from '../../core/models/det/coco-classes.ts';
import { useConfigStore } from '../config/config-store.ts';
import { useDetectStore } from '../detect/detect-store.ts';
import { useMotStore } from './mot-store.ts';

/** Which detector classes the MOT run tracks: the config's `classes`, or the ones the user ticks. */
export function ClassPicker() {
  const configClasses = useConfigStore((c) => c.config?.classes);
  const ticked = useMotStore((s) => s.classes);
  const running = useMotStore((s) => s.status === 'running');
  const detectorNames = useDetectStore((s) => s.detector?.classNames);
  const names: readonly string[] = detectorNames ?? COCO_CLASSES;
  const fromConfig = Array.isArray(configClasses) ? configClasses.filter((c): c is string => typeof c === 'string') : typeof configClasses === 'string' ? [configClasses] : null;
  const chosen = ticked ?? fromConfig;
  const toggle = (name: string, on: boolean) => {
    const base = chosen ?? [...names];
    const next = on ? [...base, name] : base.filter((n) => n !== name);
    void useMotStore.getState().setClasses(names.filter((n) => next.includes(n)));
  };
  return (
    <details className="mot-classes" data-testid="mot-classes">
      <summary>
        Classes: <span data-testid="mot-classes-summary">{chosen ? chosen.join(', ') || 'none' : 'all'}</span>
        {ticked ? ' (ticked)' : ' (config)'}
      </summary>
      {ticked && (
        <button type="button" data-testid="mot-classes-reset" disabled={running} onClick={() => void useMotStore.getState().setClasses(null)}>
          Use the config's classes
        </button>
      )}
      <div className="mot-class-grid">
        {names.map((n) => (
          <label key={n}>
            <input type="checkbox" data-testid={`mot-class-${n.replace(/ /g, '-')}`} disabled={running} checked={chosen ? chosen.includes(n) : true} onChange={(e) => toggle(n, e.target.checked)} />
            {n}
          </label>
        ))}
      </div>
    </details>
  );
}
