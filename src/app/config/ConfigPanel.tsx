import { useEffect, useMemo } from 'react';
import { choiceLabel, groupChoices, USER_PREFIX } from './config-files.ts';
import { type ConfigState, configStore, useConfigStore } from './config-store.ts';
import { ConfigTree } from './ConfigTree.tsx';
import './config.css';

// `webkitdirectory` is not in React's input props; it turns a file input into a folder picker.
const folderPicker = { webkitdirectory: '' } as Record<string, string>;

/**
 * The left panel's config section: choose a bundled config or load your own (files with their `_base_` files, or a
 * folder), override values with `--cfg-options` syntax, and read the merged config as a foldable tree.
 */
export function ConfigPanel() {
  const state = useConfigStore((s) => s);
  useEffect(() => void configStore.getState().ensureSelected(), []);
  return <ConfigPanelView state={state} />;
}

/** {@link ConfigPanel} for a given store state (what the panel renders; actions come with the state). */
export function ConfigPanelView({ state }: { state: ConfigState }) {
  const { choices, selected, status, config, error, optionsText, options, optionsError, openDepth, usedFiles } = state;
  const actions = state;
  const groups = useMemo(() => groupChoices(choices), [choices]);
  const highlight = useMemo(() => new Set(options.map((o) => o.key)), [options]);
  const hasPicked = choices.some((p) => p.startsWith(USER_PREFIX));
  const problems = [error, optionsError].filter((e): e is string => e !== null);

  return (
    <div className="cfg-panel">
      <select data-testid="config-select" className="cfg-select" value={selected ?? ''} onChange={(e) => void actions.select(e.target.value)} aria-label="Config">
        {selected === null && <option value="">Choose a config...</option>}
        {groups.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.paths.map((p) => (
              <option key={p} value={p}>
                {choiceLabel(p)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <div className="cfg-load">
        <label className="button" title="Pick a config together with its _base_ files">
          Load config...
          <input
            data-testid="config-file-input"
            type="file"
            multiple
            accept=".py,.json,.yaml,.yml"
            hidden
            onChange={(e) => {
              const input = e.currentTarget;
              void actions.pickFiles(input.files ?? []).finally(() => (input.value = ''));
            }}
          />
        </label>
        <label className="button" title="Pick a folder of configs (its _base_ folder included)">
          Load folder...
          <input
            data-testid="config-folder-input"
            type="file"
            hidden
            {...folderPicker}
            onChange={(e) => {
              const input = e.currentTarget;
              void actions.pickFiles(input.files ?? []).finally(() => (input.value = ''));
            }}
          />
        </label>
        {hasPicked && (
          <button type="button" onClick={() => void actions.clearPickedFiles()}>
            Forget
          </button>
        )}
      </div>
      <form
        className="cfg-options"
        onSubmit={(e) => {
          e.preventDefault();
          actions.applyOptions();
        }}
      >
        <input
          data-testid="cfg-options-input"
          type="text"
          spellCheck={false}
          placeholder="model.tracker.obj_score_thr=0.5"
          title="Overrides, as after --cfg-options: a.b.c=value, list.0.key=value, [a,b], None, True..."
          value={optionsText}
          onChange={(e) => actions.setOptionsText(e.target.value)}
        />
        <button type="submit">Apply</button>
      </form>
      {problems.length > 0 && (
        <div className="cfg-error" data-testid="config-error" role="alert">
          {problems.map((problem) => {
            // The problem wraps; the quoted source line and its caret keep their columns (and scroll).
            const cut = problem.indexOf('\n  ');
            return (
              <div key={problem} className="cfg-error-item">
                <p className="cfg-error-text">{cut < 0 ? problem : problem.slice(0, cut)}</p>
                {cut >= 0 && <pre className="cfg-error-source">{problem.slice(cut + 1)}</pre>}
              </div>
            );
          })}
        </div>
      )}
      {status === 'loading' && <p className="cfg-muted">Loading...</p>}
      {config && (
        <>
          <div className="cfg-tree-bar">
            <span className="cfg-muted" title={usedFiles.join('\n')}>
              {usedFiles.length} file{usedFiles.length === 1 ? '' : 's'}
            </span>
            <button type="button" onClick={() => actions.setOpenDepth(openDepth === 0 ? 1 : 0)}>
              {openDepth === 0 ? 'Unfold top' : 'Fold all'}
            </button>
            <button type="button" onClick={() => actions.setOpenDepth(99)}>
              Unfold all
            </button>
          </div>
          <ConfigTree key={`${selected ?? ''}:${openDepth}`} config={config} openDepth={openDepth} highlight={highlight} />
        </>
      )}
    </div>
  );
}
