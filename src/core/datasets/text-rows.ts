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

/**
 * A text file's content: as a string, or as its UTF-8 bytes straight from the file. The numeric scanners read
 * bytes: a 10 MB MOTChallenge file then needs no decoding into a string at all.
 */
export type TextBytes = string | Uint8Array;

// Every JS runtime the app and the CLI run on has these; the core is compiled without DOM types, so it declares
// only what it uses.
const textCodec = globalThis as unknown as {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new () => { decode(bytes: Uint8Array): string };
};

/**
 * The UTF-8 bytes of a text, as a plain Uint8Array: a Node Buffer is viewed as one, so that indexing and
 * `indexOf` stay the typed array's own (Buffer's `indexOf` is several times slower per call).
 */
export function utf8Bytes(text: TextBytes): Uint8Array {
  if (typeof text === 'string') return new textCodec.TextEncoder().encode(text);
  return Object.getPrototypeOf(text) === Uint8Array.prototype ? text : new Uint8Array(text.buffer, text.byteOffset, text.byteLength);
}

const POW10 = Float64Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * Streams the numeric rows of a text table without building per-row arrays (MOTChallenge files have ~10⁵ rows):
 * `onRow(values, count, line)` gets a reused buffer of the row's numbers (fields past `maxFields` are counted, not
 * stored); a field that is not a number goes to `onBad` instead. Separators and skipped lines as {@link splitRows}.
 */
export function scanNumericRows(
  text: TextBytes,
  maxFields: number,
  onRow: (values: Float64Array, count: number, line: number) => void,
  onBad: (line: number, message: string) => void,
): void {
  const bytes = utf8Bytes(text);
  const values = new Float64Array(maxFields);
  // A UTF-8 byte order mark is skipped.
  let pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 0;
  const n = bytes.length;
  while (pos < n) {
    line++;
    let end = bytes.indexOf(10, pos);
    if (end < 0) end = n;
    let count = 0;
    let bad: string | undefined;
    let i = pos;
    while (i < end) {
      let c = bytes[i]!;
      // skip separators: space, tab, CR, comma
      if (c === 32 || c === 9 || c === 13 || c === 44) {
        i++;
        continue;
      }
      if (count === 0 && c === 35) break; // '#' comment line
      const start = i;
      // Fast path for plain decimals (-12.345): mantissa / 10^k is exactly what Number() returns, because both
      // are exact doubles (≤ 15 digits) and one IEEE division rounds correctly.
      // The sign is applied as a factor and skipped by adding 0 or 1, not on a branch that files without a
      // negative number never take: V8 would compile the scanner without feedback for that branch and throw the
      // compiled code away at the first negative number.
      const minus = c === 45 ? 1 : 0;
      const sign = 1 - 2 * minus;
      i += minus;
      let mant = 0;
      let digits = 0;
      let frac = -1;
      while (i < end) {
        c = bytes[i]!;
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
        v = sign * (frac > 0 ? mant / POW10[frac]! : mant);
      } else {
        while (i < end) {
          c = bytes[i]!;
          if (c === 32 || c === 9 || c === 13 || c === 44) break;
          i++;
        }
        const field = new textCodec.TextDecoder().decode(bytes.subarray(start, i));
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
