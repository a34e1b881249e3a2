/**
 * JSON text for every JSON the CLI writes (stdout or a file). JSON has no NaN or infinity: `JSON.stringify` writes
 * them as `null` without a word, Python's `json.dumps` writes `NaN`/`Infinity`, which `JSON.parse` and `jq`
 * refuse. We write `null` — valid for every reader — and say on stderr which keys held what, so a metric that is
 * undefined (no ground truth, a 0/0) is never mistaken for a missing one. The rule print-config follows too.
 */
import { formatIssue, type DatasetIssue } from '../core/datasets/issues.ts';
import type { CliIo } from './command.ts';

/** Dotted paths (`a.b[2]`) of the non-finite numbers in a JSON-like value, with their Python spelling. */
export function nonFiniteNumbers(value: unknown, path = ''): { path: string; text: string }[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [{ path: path || '(the value)', text: Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf' }];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFiniteNumbers(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => nonFiniteNumbers(v, path ? `${path}.${k}` : k));
  }
  return [];
}

/** How many non-finite keys a warning names before it says "and N more". */
const NAMED = 5;

/** `JSON.stringify(value, null, indent)` plus a stderr warning naming the non-finite numbers written as null. */
export function jsonText(value: unknown, io: CliIo, where: string, indent?: number): string {
  const bad = nonFiniteNumbers(value);
  if (bad.length > 0) {
    const named = bad.slice(0, NAMED).map((b) => `${b.path} (${b.text})`).join(', ');
    const more = bad.length > NAMED ? ` and ${bad.length - NAMED} more` : '';
    io.stderr(`warning: ${where}: JSON has no NaN or infinity; written as null: ${named}${more}\n`);
  }
  return `${JSON.stringify(value, null, indent)}\n`;
}

/** Skipped or defaulted rows of the files read, one stderr line each. */
export function reportWarnings(io: CliIo, warnings: readonly DatasetIssue[]): void {
  for (const w of warnings) io.stderr(`warning: ${formatIssue(w)}${w.kept ? '' : ' (row skipped)'}\n`);
}

/** JSON with sorted keys and one-space indent, the layout of the reference `expected.json` files. */
export function printJson(io: CliIo, value: Record<string, unknown>): void {
  const sort = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  io.stdout(jsonText(sort(value), io, 'metrics', 1));
}

