/**
 * The values a parsed MMCV/MMTracking config holds: JSON-like data. Python tuples and lists both become arrays,
 * `None` becomes `null`; Python ints and floats both become numbers (JSON does not tell them apart either).
 */
export type ConfigValue = null | boolean | number | string | ConfigValue[] | ConfigDict;

/** A Python `dict` (or `dict(...)` call) of a config: string keys, insertion order kept. */
export interface ConfigDict {
  [key: string]: ConfigValue;
}

/** MMCV's marker key: `_delete_=True` in a child dict replaces the base dict instead of merging into it. */
export const DELETE_KEY = '_delete_';

/** The key that names a config's base files. */
export const BASE_KEY = '_base_';

export function isConfigDict(value: ConfigValue | undefined): value is ConfigDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python's name for a value's type, for error messages written the way MMTracking users read them. */
export function pythonTypeName(value: ConfigValue | undefined): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'None';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** A short Python-like rendering of a value for error messages (`'abc'`, `[1, 2]`, `dict(...)`). */
export function previewValue(value: ConfigValue, maxLength = 60): string {
  const text = renderPython(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}

function renderPython(value: ConfigValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(renderPython).join(', ')}]`;
  return `dict(${Object.entries(value).map(([k, v]) => `${k}=${renderPython(v)}`).join(', ')})`;
}

/**
 * The config as JSON text with keys sorted at every level (stable output for diffs and tests), 2-space indent.
 * Non-finite numbers (`1e400`, `float('inf')`) are written as `null`, valid JSON for every reader, and reported to
 * `onNonFinite` with their dotted path so the caller can say so.
 */
export function configToJson(value: ConfigValue, indent = 2, onNonFinite: (path: string, value: number) => void = () => undefined): string {
  const pad = (depth: number) => ' '.repeat(indent * depth);
  const write = (v: ConfigValue, depth: number, path: string): string => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return JSON.stringify(v);
      // JSON has no inf/nan (JSON.parse and jq refuse Python's Infinity/NaN): null, and the caller says where.
      onNonFinite(path, v);
      return 'null';
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((item, i) => pad(depth + 1) + write(item, depth + 1, `${path}[${i}]`)).join(',\n')}\n${pad(depth)}]`;
    }
    const keys = Object.keys(v).sort();
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${pad(depth + 1)}${JSON.stringify(k)}: ${write(v[k] as ConfigValue, depth + 1, path ? `${path}.${k}` : k)}`).join(',\n')}\n${pad(depth)}}`;
  };
  return write(value, 0, '');
}

/** Python's spelling of a non-finite float (for messages). */
export const pythonFloatText = (v: number): string => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');

/** Deep copy (configs are treated as immutable, but callers that want to mutate get their own copy). */
export function cloneConfig<T extends ConfigValue>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => cloneConfig(v)) as T;
  const out: ConfigDict = {};
  for (const [k, v] of Object.entries(value)) out[k] = cloneConfig(v);
  return out as T;
}

/** Looks up a dotted path (`model.tracker.obj_score_thr`, list indices as numbers) in a config. */
export function getConfigPath(root: ConfigValue, path: string): ConfigValue | undefined {
  let node: ConfigValue | undefined = root;
  for (const part of path.split('.')) {
    if (Array.isArray(node) && /^\d+$/.test(part)) node = node[Number(part)];
    else if (isConfigDict(node) && Object.hasOwn(node, part)) node = node[part];
    else return undefined;
  }
  return node;
}
