/**
 * MMCV 1.x's `Config._merge_a_into_b` (https://github.com/open-mmlab/mmcv/blob/v1.7.0/mmcv/utils/config.py):
 * the child's keys are merged into the base recursively; dicts merge, lists and scalars replace; a child dict with
 * `_delete_=True` replaces the base dict. A child dict over a base value that is not a dict is an error (set
 * `_delete_=True` to replace it). With `allowListKeys` (used for `--cfg-options`), a digit key indexes into a base
 * list. Unlike MMCV, `_delete_` never survives into the result, and replacing a list element by a scalar works.
 * Nothing is mutated: changed dicts and lists are copies.
 */
import { type ConfigDict, type ConfigValue, DELETE_KEY, isConfigDict, previewValue, pythonTypeName } from './config-value.ts';
import { configOrigin, isConfigTuple, markConfigTuple, setConfigOrigin } from './python-evaluator.ts';

export interface MergeOptions {
  /** `--cfg-options` mode: `pipeline.0.type` indexes into lists. */
  allowListKeys?: boolean;
  /** Dotted path of the dicts being merged, for messages (`model.detector`). */
  path?: string;
  /** Raises the error for a problem found at the child's `value` (the caller knows files and sources). */
  fail: (problem: string, value: ConfigValue) => never;
}

/** Merges `child` into `base` (neither is changed) and returns the merged dict. */
export function mergeConfig(child: ConfigDict, base: ConfigDict, options: MergeOptions): ConfigDict {
  return mergeInto(child, base, options.path ?? '', options) as ConfigDict;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function deleteFlag(dict: ConfigDict, path: string, options: MergeOptions): boolean {
  if (!Object.hasOwn(dict, DELETE_KEY)) return false;
  const flag = dict[DELETE_KEY];
  if (typeof flag !== 'boolean') options.fail(`${join(path, DELETE_KEY)} must be True or False, got ${pythonTypeName(flag)}`, dict);
  return flag;
}

function mergeInto(child: ConfigDict, base: ConfigDict | ConfigValue[], path: string, options: MergeOptions): ConfigDict | ConfigValue[] {
  const out: ConfigDict | ConfigValue[] = Array.isArray(base) ? [...base] : { ...base };
  setConfigOrigin(out, configOrigin(child) ?? configOrigin(base));
  if (Array.isArray(out) && isConfigTuple(base)) markConfigTuple(out);
  for (const [key, value] of Object.entries(child)) {
    if (key === DELETE_KEY) continue;
    const here = join(path, key);
    if (Array.isArray(out)) {
      if (!options.allowListKeys || !/^\d+$/.test(key)) {
        options.fail(`${path} is a list in the base config; '${key}' is not an index into it${options.allowListKeys ? ` (use ${join(path, '0')}...)` : ''}`, child);
      }
      const index = Number(key);
      if (index >= out.length) options.fail(`index ${index} exceeds the length of the list ${path} (length ${out.length})`, child);
      const current = out[index] as ConfigValue;
      out[index] = isConfigDict(value) ? mergeValue(value, current, here, options) : stripDeleteKeys(value);
      continue;
    }
    out[key] = isConfigDict(value) && Object.hasOwn(out, key) ? mergeValue(value, out[key] as ConfigValue, here, options) : stripDeleteKeys(value);
  }
  return out;
}

/** A child dict meets a base value at `path`. */
function mergeValue(child: ConfigDict, base: ConfigValue, path: string, options: MergeOptions): ConfigValue {
  if (deleteFlag(child, path, options)) return stripDeleteKeys(child);
  if (isConfigDict(base) || (options.allowListKeys && Array.isArray(base))) return mergeInto(child, base, path, options);
  if (options.allowListKeys) {
    return options.fail(`${path} is ${pythonTypeName(base)} ${previewValue(base)} in the config, so it has no '${Object.keys(child)[0] ?? ''}' to set`, child);
  }
  return options.fail(
    `${path} is a dict in the child config but ${pythonTypeName(base)} in the base config; set ${DELETE_KEY}=True in it to replace the base value`,
    child,
  );
}

/** Removes every `_delete_` key (MMCV leaves one behind where there was nothing to delete; we never do). */
export function stripDeleteKeys(value: ConfigValue): ConfigValue {
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((v) => {
      const s = stripDeleteKeys(v);
      if (s !== v) changed = true;
      return s;
    });
    if (!changed) return value;
    setConfigOrigin(items, configOrigin(value));
    if (isConfigTuple(value)) markConfigTuple(items);
    return items;
  }
  if (!isConfigDict(value)) return value;
  let changed = Object.hasOwn(value, DELETE_KEY);
  const out: ConfigDict = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === DELETE_KEY) continue;
    const s = stripDeleteKeys(v);
    if (s !== v) changed = true;
    out[k] = s;
  }
  if (!changed) return value;
  setConfigOrigin(out, configOrigin(value));
  return out;
}
