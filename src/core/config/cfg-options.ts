/**
 * `--cfg-options KEY=VALUE ...` exactly as MMCV 1.x's `DictAction` parses them
 * (https://github.com/open-mmlab/mmcv/blob/v1.7.0/mmcv/utils/config.py, `DictAction._parse_iterable`) and
 * `Config.merge_from_dict(options, allow_list_keys=True)` applies them:
 *
 * - `a.b.c=value` sets a nested key (missing dicts are created); `data.train.pipeline.0.type=X` indexes lists;
 * - the value loses surrounding `'`/`"` characters and all spaces; `[a,b]`/`(a,b)` (nested too:
 *   `"[(a,b),(c,d)]"`) and bare `a,b` become lists; elements and plain values are parsed as int, then float
 *   (`inf`, `nan` included), then `true`/`false` in any case, then `None`; anything else stays a string.
 *
 * Where MMCV would crash (a missing `=`, unbalanced brackets, an index past the end, a key through a number),
 * this raises a {@link ConfigError} naming the option.
 */
import { ConfigError } from './config-error.ts';
import type { ConfigDict, ConfigValue } from './config-value.ts';
import { mergeConfig } from './merge.ts';
import { assertSafeKey, markConfigTuple } from './python-evaluator.ts';

export interface CfgOption {
  /** Dotted key, e.g. `model.tracker.obj_score_thr` or `data.train.pipeline.0.type`. */
  key: string;
  value: ConfigValue;
  /** The option as written (`key=value`), for messages. */
  text: string;
}

/** Parses `KEY=VALUE` strings (one per option, as the shell passes them). */
export function parseCfgOptions(args: readonly string[]): CfgOption[] {
  return args.map((text) => {
    const eq = text.indexOf('=');
    if (eq < 0) throw new ConfigError(`--cfg-options '${text}': expected KEY=VALUE (e.g. model.backbone.norm_eval=False)`);
    const key = text.slice(0, eq);
    if (key === '' || key.split('.').some((part) => part === '')) {
      throw new ConfigError(`--cfg-options '${text}': the key '${key}' has an empty part; write dotted keys like a.b.c`);
    }
    for (const part of key.split('.')) {
      assertSafeKey(part, (problem) => {
        throw new ConfigError(`--cfg-options '${text}': ${problem}`);
      });
    }
    try {
      return { key, value: parseCfgOptionValue(text.slice(eq + 1)), text };
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigError(`--cfg-options '${text}': ${err.problem}`);
      throw err;
    }
  });
}

/** MMCV's `DictAction._parse_iterable`: the value of one option. */
export function parseCfgOptionValue(raw: string): ConfigValue {
  let val = stripQuotes(raw).replace(/ /g, '');
  let tuple = false;
  if (val.startsWith('(') && val.endsWith(')')) {
    val = val.slice(1, -1);
    tuple = true;
  } else if (val.startsWith('[') && val.endsWith(']')) {
    val = val.slice(1, -1);
  } else if (!val.includes(',')) {
    return parseScalar(val);
  }
  const values: ConfigValue[] = [];
  while (val.length > 0) {
    const comma = nextTopLevelComma(val);
    values.push(parseCfgOptionValue(val.slice(0, comma)));
    val = val.slice(comma + 1);
  }
  if (tuple) markConfigTuple(values);
  return values;
}

/** Python's `str.strip('\'"')`: removes every leading and trailing quote character. */
function stripQuotes(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s[a] === "'" || s[a] === '"')) a++;
  while (b > a && (s[b - 1] === "'" || s[b - 1] === '"')) b--;
  return s.slice(a, b);
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** MMCV's `find_next_comma`: the first comma with balanced brackets before it (or the end). */
function nextTopLevelComma(s: string): number {
  if (count(s, '(') !== count(s, ')') || count(s, '[') !== count(s, ']')) throw new ConfigError(`imbalanced brackets in '${s}'`);
  let round = 0;
  let square = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ',' && round === 0 && square === 0) return i;
    if (c === '(') round++;
    else if (c === ')') round--;
    else if (c === '[') square++;
    else if (c === ']') square--;
  }
  return s.length;
}

const PY_INT = /^[+-]?\d+(?:_\d+)*$/;
const PY_DIGITS = String.raw`\d+(?:_\d+)*`;
const PY_FLOAT = new RegExp(`^[+-]?(?:(?:${PY_DIGITS}(?:\\.(?:${PY_DIGITS})?)?|\\.${PY_DIGITS})(?:[eE][+-]?${PY_DIGITS})?)$`);
const PY_SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/** MMCV's `DictAction._parse_int_float_bool`: Python's `int()`, then `float()`, then booleans and `None`. */
function parseScalar(val: string): ConfigValue {
  if (PY_INT.test(val)) {
    const n = Number(val.replace(/_/g, ''));
    if (!Number.isSafeInteger(n)) throw new ConfigError(`integer '${val}' is too large to represent exactly (more than 2^53)`);
    return n;
  }
  if (PY_FLOAT.test(val)) return Number(val.replace(/_/g, ''));
  const special = PY_SPECIAL_FLOAT.exec(val);
  if (special) {
    if ((special[2] as string).toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  const lower = val.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (val === 'None') return null;
  return val;
}

/** Applies the options in order to `config` (which is not changed) and returns the result. */
export function applyCfgOptions(config: ConfigDict, options: readonly CfgOption[]): ConfigDict {
  let out = config;
  for (const option of options) {
    const parts = option.key.split('.');
    let nested: ConfigValue = option.value;
    for (let i = parts.length - 1; i >= 0; i--) nested = { [parts[i] as string]: nested };
    out = mergeConfig(nested as ConfigDict, out, {
      allowListKeys: true,
      fail: (problem) => {
        throw new ConfigError(`--cfg-options '${option.text}': ${problem}`);
      },
    });
  }
  return out;
}

/**
 * Splits an options line the way a POSIX shell would (whitespace separates, `'...'` and `"..."` group and are
 * removed, `\` escapes), so the app's text box accepts exactly what users type after `--cfg-options`.
 */
export function splitCfgOptionsText(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ConfigError(`unterminated ' quote in the options: ${text}`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) j++;
        word += text[j];
      }
      if (j >= text.length) throw new ConfigError(`unterminated " quote in the options: ${text}`);
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
