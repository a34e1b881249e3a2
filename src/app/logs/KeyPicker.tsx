import { useLogsStore } from './logs-store.ts';
import { availableKeys } from './logs-actions.ts';

/** A checkbox per numeric key found in the dropped logs. */
export function KeyPicker() {
  const keys = useLogsStore((s) => availableKeys(s).join('\n'));
  const selected = useLogsStore((s) => s.selectedKeys);
  const perEpoch = useLogsStore((s) => new Set(s.runs.flatMap((r) => r.summary?.perEpochKeys ?? [])).size);
  const dispatch = useLogsStore((s) => s.dispatch);
  if (!keys) return <p className="placeholder">Keys appear once a log is read.</p>;
  return (
    <fieldset className="logs-keys">
      <legend>Keys{perEpoch ? ' (● per epoch)' : ''}</legend>
      {keys.split('\n').map((key) => (
        <label key={key}>
          <input type="checkbox" data-testid={`logs-key-${key}`} checked={selected.includes(key)} onChange={() => dispatch({ type: 'toggle-key', key })} />
          {key}
        </label>
      ))}
    </fieldset>
  );
}
