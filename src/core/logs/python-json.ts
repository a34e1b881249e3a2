/**
 * JSON as Python's `json.loads` reads it: standard JSON plus the bare `NaN`, `Infinity` and `-Infinity` that
 * Python's `json.dumps` writes by default, so an MMCV log whose loss diverged (`"loss": NaN`) still parses.
 * Reference: https://docs.python.org/3/library/json.html#infinite-and-nan-number-values
 */

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; reason: string };

// A string no log writes, standing in for a non-finite number while JSON.parse runs.
const SENTINEL = '\u0000py-float\u0000';
// The same inside JSON text: a raw control character is not allowed in a JSON string, its escape is.
const SENTINEL_JSON = '\\u0000py-float\\u0000';
const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

function restoreNonFinite(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(SENTINEL)) {
    const n = NON_FINITE[value.slice(SENTINEL.length)];
    if (n !== undefined) return n;
  }
  return value;
}

/** Replaces bare NaN / Infinity / -Infinity outside strings by sentinel strings; null when there are none. */
function quoteNonFinite(text: string): string | null {
  let out = '';
  let from = 0;
  let inString = false;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    let token: string | null = null;
    if (c === 0x4e && text.startsWith('NaN', i)) token = 'NaN';
    else if (c === 0x49 && text.startsWith('Infinity', i)) token = 'Infinity';
    else if (c === 0x2d && text.startsWith('-Infinity', i)) token = '-Infinity';
    if (token === null) continue;
    out += `${text.slice(from, i)}"${SENTINEL_JSON}${token}"`;
    i += token.length - 1;
    from = i + 1;
    found = true;
  }
  return found ? out + text.slice(from) : null;
}

/** Parses one JSON text the way Python's `json.loads` does (see the module comment). Never throws. */
export function parsePythonJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const quoted = text.includes('NaN') || text.includes('Infinity') ? quoteNonFinite(text) : null;
    if (quoted !== null) {
      try {
        return { ok: true, value: JSON.parse(quoted, restoreNonFinite) };
      } catch {
        // fall through: report the error of the original text
      }
    }
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
