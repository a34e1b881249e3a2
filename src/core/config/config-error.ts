/** A position in a config file: 1-based line and column (columns count UTF-16 code units, tabs count as one). */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/**
 * Every user-facing failure of the config system: a malformed file, an unsupported Python construct, a bad merge,
 * a bad `--cfg-options` entry, an unknown registry type. The message starts with `file:line:col:` when the place
 * is known and ends with the offending source line and a caret under the column.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** The problem alone, without location or source excerpt. */
  readonly problem: string;
  readonly location: SourceLocation | undefined;
  /** The offending source line (when the location is in a parsed file). */
  readonly sourceLine: string | undefined;

  constructor(problem: string, location?: SourceLocation | { file: string }, source?: string) {
    const loc = location && 'line' in location ? location : undefined;
    const sourceLine = loc && source !== undefined ? lineAt(source, loc.line) : undefined;
    super(formatMessage(problem, location, loc, sourceLine));
    this.problem = problem;
    this.location = loc;
    this.sourceLine = sourceLine;
  }
}

/** Characters of a source line shown in a message. */
const EXCERPT_WIDTH = 120;

function formatMessage(problem: string, where: SourceLocation | { file: string } | undefined, loc: SourceLocation | undefined, sourceLine: string | undefined): string {
  const prefix = loc ? `${loc.file}:${loc.line}:${loc.col}: ` : where ? `${where.file}: ` : '';
  let text = prefix + problem;
  if (loc && sourceLine !== undefined) {
    const gutter = `${loc.line} | `;
    // A very long line is shown as a window around the column ('…' marks what is cut).
    const from = sourceLine.length > EXCERPT_WIDTH ? Math.max(0, Math.min(loc.col - 1 - EXCERPT_WIDTH / 2, sourceLine.length - EXCERPT_WIDTH)) : 0;
    const head = from > 0 ? '…' : '';
    const shown = head + sourceLine.slice(from, from + EXCERPT_WIDTH) + (from + EXCERPT_WIDTH < sourceLine.length ? '…' : '');
    // Keep tabs in the caret line so the caret lines up under tab-indented source.
    const lead = (head + sourceLine.slice(from, Math.max(from, loc.col - 1))).replace(/[^\t]/g, ' ');
    text += `\n  ${gutter}${shown}\n  ${' '.repeat(gutter.length)}${lead}^`;
  }
  return text;
}

function lineAt(source: string, line: number): string | undefined {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = nextLineStart(source, start);
    if (next < 0) return undefined;
    start = next;
  }
  let end = start;
  while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end++;
  return source.slice(start, end);
}

function nextLineStart(source: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '\n') return i + 1;
    if (c === '\r') return source[i + 1] === '\n' ? i + 2 : i + 1;
  }
  return -1;
}
