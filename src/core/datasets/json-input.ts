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

/** Parses JSON text, turning a syntax error into a DatasetError with the line and column. */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 120) : String(err);
    const at = jsonErrorOffset(body);
    if (at < 0) throw new DatasetError({ file, message: `invalid JSON: ${msg}` });
    const before = body.slice(0, at);
    const line = before.split('\n').length;
    const col = at - before.lastIndexOf('\n');
    const near = at >= body.length ? 'unexpected end of file' : `unexpected ${JSON.stringify(body[at])}`;
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
