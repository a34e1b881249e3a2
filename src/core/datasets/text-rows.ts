import type { IssueCollector } from './issues.ts';

/** One non-empty line of a text annotation file, split into fields. `line` is 1-based. */
export interface TextRow {
  line: number;
  fields: string[];
}

/**
 * Splits a text table into rows of fields. Fields are separated by commas, tabs or spaces (OTB mixes them);
 * blank lines and `#` comment lines are skipped; a UTF-8 BOM and CRLF line ends are accepted.
 */
export function splitRows(text: string): TextRow[] {
  const rows: TextRow[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(/\s*[,\t ]\s*|\s+/).filter((f) => f !== '');
    rows.push({ line: i + 1, fields });
  }
  return rows;
}

/**
 * Parses a decimal number the way numpy's loadtxt does (`nan`, `NaN`, `inf` accepted); returns undefined for
 * anything else, so the caller can report the row.
 */
export function parseNumber(field: string): number | undefined {
  const f = field.trim();
  if (f === '') return undefined;
  const lower = f.toLowerCase();
  if (lower === 'nan' || lower === '+nan' || lower === '-nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  const n = Number(f);
  return Number.isNaN(n) ? undefined : n;
}

/** Parses all fields of a row as numbers, reporting the first bad one; undefined when the row was skipped. */
export function parseNumericRow(row: TextRow, issues: IssueCollector): number[] | undefined {
  const out: number[] = new Array<number>(row.fields.length);
  for (let k = 0; k < row.fields.length; k++) {
    const v = parseNumber(row.fields[k]!);
    if (v === undefined) {
      issues.warn({ line: row.line, message: `column ${k + 1} is not a number: '${row.fields[k]}'` });
      return undefined;
    }
    out[k] = v;
  }
  return out;
}
