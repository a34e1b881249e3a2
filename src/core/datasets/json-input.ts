import { DatasetError, type IssueCollector } from './issues.ts';

/** Parses JSON text, turning a syntax error into a DatasetError with the line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(msg);
    let line: number | undefined;
    let col: number | undefined;
    if (pos) {
      const at = Number(pos[1]);
      const before = text.slice(0, at);
      line = before.split('\n').length;
      col = at - before.lastIndexOf('\n');
    }
    throw new DatasetError(line !== undefined ? { file, line, message: `invalid JSON at column ${col}: ${msg}` } : { file, message: `invalid JSON: ${msg}` });
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
