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
    // Plain comma-separated lines (the common case) skip the regex.
    const fields = /[\s]/.test(raw) ? raw.split(/\s*[,\t ]\s*|\s+/).filter((f) => f !== '') : raw.split(',');
    rows.push({ line: i + 1, fields });
  }
  return rows;
}

/**
 * Parses a decimal number the way numpy's loadtxt does (`nan`, `NaN`, `inf` accepted); returns undefined for
 * anything else, so the caller can report the row.
 */
export function parseNumber(field: string): number | undefined {
  const fast = +field;
  // `+''` is 0 and `+' '` too: only trust the fast path for non-empty fields.
  if (fast === fast && field !== '' && field.charCodeAt(0) > 32) return fast;
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

const POW10 = Float64Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * Streams the numeric rows of a text table without building per-row arrays (MOTChallenge files have ~10⁵ rows):
 * `onRow(values, count, line)` gets a reused buffer of the row's numbers (fields past `maxFields` are counted, not
 * stored); a field that is not a number goes to `onBad` instead. Separators and skipped lines as {@link splitRows}.
 */
export function scanNumericRows(
  text: string,
  maxFields: number,
  onRow: (values: Float64Array, count: number, line: number) => void,
  onBad: (line: number, message: string) => void,
): void {
  const values = new Float64Array(maxFields);
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  const n = text.length;
  while (pos < n) {
    line++;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    let count = 0;
    let bad: string | undefined;
    let i = pos;
    while (i < end) {
      let c = text.charCodeAt(i);
      // skip separators: space, tab, CR, comma
      if (c === 32 || c === 9 || c === 13 || c === 44) {
        i++;
        continue;
      }
      if (count === 0 && c === 35) break; // '#' comment line
      const start = i;
      // Fast path for plain decimals (-12.345): mantissa / 10^k is exactly what Number() returns, because both
      // are exact doubles (≤ 15 digits) and one IEEE division rounds correctly.
      let neg = false;
      if (c === 45) {
        neg = true;
        i++;
      }
      let mant = 0;
      let digits = 0;
      let frac = -1;
      while (i < end) {
        c = text.charCodeAt(i);
        if (c >= 48 && c <= 57) {
          mant = mant * 10 + (c - 48);
          digits++;
          if (frac >= 0) frac++;
        } else if (c === 46 && frac < 0) frac = 0;
        else break;
        i++;
      }
      let v: number | undefined;
      if (digits > 0 && digits <= 15 && (i === end || c === 32 || c === 9 || c === 13 || c === 44)) {
        v = frac > 0 ? mant / POW10[frac]! : mant;
        if (neg) v = -v;
      } else {
        while (i < end) {
          c = text.charCodeAt(i);
          if (c === 32 || c === 9 || c === 13 || c === 44) break;
          i++;
        }
        const field = text.slice(start, i);
        v = parseNumber(field);
        if (v === undefined) bad ??= `column ${count + 1} is not a number: '${field}'`;
      }
      if (v !== undefined && count < maxFields) values[count] = v;
      count++;
    }
    if (bad !== undefined) onBad(line, bad);
    else if (count > 0) onRow(values, count, line);
    pos = end + 1;
  }
}
