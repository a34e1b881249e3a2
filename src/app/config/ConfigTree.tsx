import type { ConfigDict, ConfigValue } from '../../core/config/config-value.ts';

/** Short arrays of plain values stay on one line (`[0.5, 1.0, 2.0]`). */
const INLINE_ARRAY_CHARS = 60;

/** A value the way it is written in a config: `'text'`, `True`, `None`, `0.5`. */
export function formatScalar(value: null | boolean | number | string): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function isScalar(value: ConfigValue): value is null | boolean | number | string {
  return value === null || typeof value !== 'object';
}

function inlineArray(value: ConfigValue[]): string | null {
  if (!value.every(isScalar)) return null;
  const text = `[${value.map((v) => formatScalar(v)).join(', ')}]`;
  return text.length <= INLINE_ARRAY_CHARS ? text : null;
}

/** The folded summary of a dict or list: `dict(type='ResNet', ...)`, `[3 items]`. */
function summary(value: ConfigDict | ConfigValue[]): string {
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  const keys = Object.keys(value);
  const type = value.type;
  if (typeof type === 'string') return `dict(type='${type}'${keys.length > 1 ? ', ...' : ''})`;
  return `dict(${keys.length} key${keys.length === 1 ? '' : 's'})`;
}

function scalarClass(value: null | boolean | number | string): string {
  return value === null ? 'cfg-none' : typeof value === 'string' ? 'cfg-str' : typeof value === 'number' ? 'cfg-num' : 'cfg-bool';
}

interface NodeProps {
  name: string;
  value: ConfigValue;
  /** Dotted path as `--cfg-options` writes it (`data.train.pipeline.0.type`). */
  path: string;
  depth: number;
  openDepth: number;
  highlight: ReadonlySet<string>;
}

function Node({ name, value, path, depth, openDepth, highlight }: NodeProps) {
  const overridden = highlight.has(path) ? ' cfg-overridden' : '';
  if (isScalar(value)) {
    return (
      <div className={`cfg-leaf${overridden}`} role="treeitem" title={path}>
        <span className="cfg-key">{name}</span>
        <span className="cfg-eq">=</span>
        <span className={`cfg-value ${scalarClass(value)}`}>{formatScalar(value)}</span>
      </div>
    );
  }
  const inline = Array.isArray(value) ? inlineArray(value) : null;
  const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
  if (inline !== null || empty) {
    return (
      <div className={`cfg-leaf${overridden}`} role="treeitem" title={path}>
        <span className="cfg-key">{name}</span>
        <span className="cfg-eq">=</span>
        <span className="cfg-value cfg-list">{inline ?? (Array.isArray(value) ? '[]' : 'dict()')}</span>
      </div>
    );
  }
  const entries: [string, ConfigValue][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  return (
    <details className={`cfg-node${overridden}`} open={depth < openDepth} role="treeitem">
      <summary title={path}>
        <span className="cfg-key">{name}</span>
        <span className="cfg-summary">{summary(value)}</span>
      </summary>
      <div className="cfg-children" role="group">
        {entries.map(([key, child]) => (
          <Node key={key} name={key} value={child} path={`${path}.${key}`} depth={depth + 1} openDepth={openDepth} highlight={highlight} />
        ))}
      </div>
    </details>
  );
}

export interface ConfigTreeProps {
  config: ConfigDict;
  /** Levels unfolded at first (0: everything folded). */
  openDepth: number;
  /** Paths set by the overrides, marked in the tree. */
  highlight?: ReadonlySet<string>;
}

/** The merged config as a read-only, foldable tree (native `<details>`); hovering a key shows its dotted path. */
export function ConfigTree({ config, openDepth, highlight = new Set() }: ConfigTreeProps) {
  return (
    <div className="cfg-tree" data-testid="config-tree" role="tree">
      {Object.entries(config).map(([key, value]) => (
        <Node key={key} name={key} value={value} path={key} depth={0} openDepth={openDepth} highlight={highlight} />
      ))}
    </div>
  );
}
