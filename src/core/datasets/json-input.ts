import { DatasetError, type IssueCollector } from './issues.ts';

/**
 * Offset of the first JSON syntax error in `text` (a small recursive-descent scan, run only after JSON.parse
 * failed, because engines differ in whether their messages carry a position).
 */
class JsonSyntaxAt extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at ${offset}`);
  }
}

export function jsonErrorOffset(text: string): number {
  let p = 0;
  const ws = (): void => {
    while (p < text.length && ' \t\n\r'.includes(text[p]!)) p++;
  };
  const fail = (): never => {
    throw new JsonSyntaxAt(p);
  };
  const str = (): void => {
    if (text[p] !== '"') fail();
    p++;
    while (p < text.length && text[p] !== '"') {
      if (text.charCodeAt(p) < 0x20) fail();
      if (text[p] === '\\') {
        p++;
        if (text[p] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(p + 1, p + 5))) fail();
          p += 4;
        } else if (!'"\\/bfnrt'.includes(text[p] ?? 'x')) fail();
      }
      p++;
    }
    if (p >= text.length) fail();
    p++;
  };
  const value = (): void => {
    ws();
    const c = text[p];
    if (c === '{') {
      p++;
      ws();
      if (text[p] === '}') {
        p++;
        return;
      }
      for (;;) {
        ws();
        str();
        ws();
        if (text[p] !== ':') fail();
        p++;
        value();
        ws();
        if (text[p] === ',') p++;
        else if (text[p] === '}') {
          p++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      p++;
      ws();
      if (text[p] === ']') {
        p++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[p] === ',') p++;
        else if (text[p] === ']') {
          p++;
          return;
        } else fail();
      }
    } else if (c === '"') str();
    else {
      const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(p, p + 400));
      if (!m) fail();
      p += m![0].length;
    }
  };
  try {
    value();
    ws();
    if (p < text.length) fail();
  } catch (err) {
    if (err instanceof JsonSyntaxAt) return err.offset;
    throw err;
  }
  return -1;
}

/**
 * How deeply JSON data may nest. COCO, YouTube-VIS and eval output nest under ten levels; the limit keeps a hostile
 * file (`[[[[...`) from overflowing the stack of whatever walks the parsed value (configs use the same 100).
 */
export const MAX_JSON_NESTING = 100;

/** Offset of the bracket that opens level MAX_JSON_NESTING + 1, or -1 (one pass, strings skipped, no recursion). */
export function jsonNestingOffset(text: string, max = MAX_JSON_NESTING): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string, escapes included.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

function lineAndColumn(body: string, at: number): { line: number; col: number } {
  const before = body.slice(0, at);
  return { line: before.split('\n').length, col: at - before.lastIndexOf('\n') };
}

/** Parses JSON text, turning a syntax error or too deep a nesting into a DatasetError with the line and column. */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const deep = jsonNestingOffset(body);
  if (deep >= 0) {
    const { line, col } = lineAndColumn(body, deep);
    throw new DatasetError({ file, line, message: `JSON nested more than ${MAX_JSON_NESTING} levels deep at column ${col}` });
  }
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 120) : String(err);
    const at = jsonErrorOffset(body);
    if (at < 0) throw new DatasetError({ file, message: `invalid JSON: ${msg}` });
    const { line, col } = lineAndColumn(body, at);
    const nonFinite = /^-?(?:NaN|Infinity)/.exec(body.slice(at, at + 9))?.[0];
    const near =
      at >= body.length
        ? 'unexpected end of file'
        : nonFinite
          ? `${nonFinite} is not JSON (Python's json.dumps writes it for a non-finite float; write null or a number)`
          : `unexpected ${JSON.stringify(body[at])}`;
    throw new DatasetError({ file, line, message: `invalid JSON at column ${col}: ${near}` });
  }
}

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The array at `root[key]`, or a DatasetError naming the path. */
export function requireArray(root: JsonObject, key: string, issues: IssueCollector, prefix = ''): unknown[] {
  const v = root[key];
  if (!Array.isArray(v)) issues.fail({ path: `${prefix}${key}`, message: v === undefined ? `missing '${key}' list` : `'${key}' must be a list` });
  return v;
}

/** A finite number field, or a message saying what is wrong (undefined when fine). */
export function numberProblem(v: unknown, key: string, { integer = false, optional = false } = {}): string | undefined {
  if (v === undefined) return optional ? undefined : `missing '${key}'`;
  if (typeof v !== 'number' || !Number.isFinite(v)) return `'${key}' must be a finite number, got ${JSON.stringify(v)}`;
  if (integer && !Number.isInteger(v)) return `'${key}' must be an integer, got ${v}`;
  return undefined;
}

/** Checks `[x, y, w, h]` of finite numbers. */
export function bboxProblem(v: unknown, key = 'bbox'): string | undefined {
  if (!Array.isArray(v) || v.length !== 4 || v.some((c) => typeof c !== 'number' || !Number.isFinite(c))) {
    return `'${key}' must be [x, y, w, h] of finite numbers, got ${JSON.stringify(v)?.slice(0, 80)}`;
  }
  return undefined;
}
