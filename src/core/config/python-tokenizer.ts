/**
 * Tokenizer for the subset of Python that MMCV/MMTracking config files use: names, int/float literals, string
 * literals (single, double and triple quotes, `r`/`u` prefixes, escapes), operators, brackets with implicit line
 * joining, backslash continuations and comments. It follows Python's lexical rules
 * (https://docs.python.org/3/reference/lexical_analysis.html) but never executes anything; whatever it does not
 * support is a {@link ConfigError} pointing at the offending text.
 */
import { ConfigError } from './config-error.ts';

/** `error` ends the token list when {@link tokenizePython} is asked to defer its first lexical error. */
export type TokenKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'end' | 'error';

export interface Token {
  kind: TokenKind;
  /** The token's source text (for strings: with prefix and quotes). */
  text: string;
  line: number;
  col: number;
  /** Numbers: the value. Strings: the decoded text. */
  value?: number | string;
  /** The lexical error, on an `error` token. */
  error?: ConfigError;
}

const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...',
  '**', '//', '==', '!=', '<=', '>=', '->', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', ':=', '<<', '>>',
  '(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '=', '+', '-', '*', '/', '%', '<', '>', '&', '|', '^', '~', '@',
];
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const DIGITS = String.raw`\d(?:_?\d)*`;
const NUMBER_RE = new RegExp(
  String.raw`0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+` +
    `|(?:${DIGITS}\\.(?:${DIGITS})?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?` +
    `|${DIGITS}[eE][+-]?${DIGITS}` +
    `|${DIGITS}`,
  'y',
);
const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

/**
 * Splits `source` (the text of `file`) into tokens; throws {@link ConfigError} on the first lexical error, or with
 * `deferErrors` ends the list with an `error` token carrying it (so a parser reports errors in source order).
 */
export function tokenizePython(source: string, file: string, options: { deferErrors?: boolean } = {}): Token[] {
  const tokenizer = new Tokenizer(source, file);
  try {
    return tokenizer.run();
  } catch (err) {
    if (!options.deferErrors || !(err instanceof ConfigError)) throw err;
    const at = err.location ?? { line: 1, col: 1 };
    return [...tokenizer.done, { kind: 'error', text: '', line: at.line, col: at.col, error: err }];
  }
}

class Tokenizer {
  private readonly src: string;
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private readonly tokens: Token[] = [];
  private readonly brackets: Token[] = [];

  constructor(
    private readonly original: string,
    private readonly file: string,
  ) {
    // Python reads \r\n and \r as \n; the BOM is not part of the text.
    this.src = original.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  }

  /** The tokens read so far. */
  get done(): Token[] {
    return this.tokens;
  }

  private fail(problem: string, line = this.line, col = this.i - this.lineStart + 1): never {
    throw new ConfigError(problem, { file: this.file, line, col }, this.src);
  }

  private push(kind: TokenKind, text: string, line: number, col: number, value?: number | string): void {
    const token: Token = { kind, text, line, col };
    if (value !== undefined) token.value = value;
    this.tokens.push(token);
  }

  private newlineAt(index: number): void {
    this.line++;
    this.lineStart = index + 1;
  }

  private get pendingLogicalLine(): boolean {
    const last = this.tokens[this.tokens.length - 1];
    return last !== undefined && last.kind !== 'newline';
  }

  run(): Token[] {
    const s = this.src;
    let atLineStart = true;
    while (this.i < s.length) {
      if (atLineStart && this.brackets.length === 0) {
        atLineStart = false;
        let j = this.i;
        while (s[j] === ' ' || s[j] === '\t' || s[j] === '\f') j++;
        const next = s[j];
        if (j > this.i && next !== undefined && next !== '\n' && next !== '#') {
          this.i = j;
          this.fail('unexpected indent: top-level statements of a config start in column 1 (blocks like if/for/def are not supported)');
        }
        this.i = j;
        continue;
      }
      const c = s[this.i] as string;
      if (c === ' ' || c === '\t' || c === '\f') {
        this.i++;
      } else if (c === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === '\n') {
        if (this.brackets.length === 0 && this.pendingLogicalLine) this.push('newline', '\n', this.line, this.i - this.lineStart + 1);
        this.newlineAt(this.i);
        this.i++;
        atLineStart = true;
      } else if (c === '\\') {
        if (s[this.i + 1] !== '\n') this.fail('unexpected character after line continuation character');
        this.newlineAt(this.i + 1);
        this.i += 2;
      } else if (NAME_START.test(c)) {
        this.nameOrString();
      } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[this.i + 1] ?? ''))) {
        this.number();
      } else if (c === '"' || c === "'") {
        this.string('');
      } else {
        this.operator();
      }
    }
    const open = this.brackets[this.brackets.length - 1];
    if (open) this.fail(`'${open.text}' was never closed`, open.line, open.col);
    const col = this.i - this.lineStart + 1;
    if (this.pendingLogicalLine) this.push('newline', '', this.line, col);
    this.push('end', '', this.line, col);
    return this.tokens;
  }

  private nameOrString(): void {
    const s = this.src;
    const start = this.i;
    let j = this.i;
    while (j < s.length && NAME_PART.test(s[j] as string)) j++;
    const word = s.slice(start, j);
    if ((s[j] === '"' || s[j] === "'") && /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/.test(word)) {
      this.string(word);
      return;
    }
    this.push('name', word, this.line, start - this.lineStart + 1);
    this.i = j;
  }

  private number(): void {
    const s = this.src;
    const start = this.i;
    const col = start - this.lineStart + 1;
    NUMBER_RE.lastIndex = start;
    const m = NUMBER_RE.exec(s);
    if (!m) this.fail(`invalid number literal`);
    const text = m[0];
    const after = s[start + text.length] ?? '';
    if (after === 'j' || after === 'J') this.fail(`complex number literals are not supported: '${text}${after}'`, this.line, col);
    if (NAME_PART.test(after) || after === '.') this.fail(`invalid number literal '${text}${after}'`, this.line, col);
    const clean = text.replace(/_/g, '');
    const isInt = /^0[xXoObB]/.test(clean) || /^\d+$/.test(clean);
    if (/^0\d/.test(clean) && /^\d+$/.test(clean) && !/^0+$/.test(clean)) {
      this.fail(`leading zeros in decimal integer literals are not permitted: '${text}'`, this.line, col);
    }
    const value = /^0[xXoObB]/.test(clean) ? Number(clean.slice(0, 2).toLowerCase() + clean.slice(2)) : Number(clean);
    if (isInt && !Number.isSafeInteger(value)) {
      this.fail(`integer literal '${text}' is too large to represent exactly (more than 2^53)`, this.line, col);
    }
    this.push('number', text, this.line, col, value);
    this.i = start + text.length;
  }

  private string(prefix: string): void {
    const s = this.src;
    const startLine = this.line;
    const startCol = this.i - this.lineStart + 1;
    const tokenStart = this.i;
    const lower = prefix.toLowerCase();
    if (lower.includes('b')) this.fail(`bytes literals (${prefix}'...') are not supported in configs`, startLine, startCol);
    if (lower.includes('f')) this.fail(`f-strings are not supported: configs are parsed, never executed; use '+' to join strings`, startLine, startCol);
    const raw = lower.includes('r');
    let j = this.i + prefix.length;
    const quote = s[j] as string;
    const triple = s.startsWith(quote.repeat(3), j);
    j += triple ? 3 : 1;
    let out = '';
    for (;;) {
      if (j >= s.length) {
        this.fail(triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal', startLine, startCol);
      }
      const c = s[j] as string;
      if (c === quote && (!triple || s.startsWith(quote.repeat(3), j))) {
        j += triple ? 3 : 1;
        break;
      }
      if (c === '\n') {
        if (!triple) this.fail('unterminated string literal (a quote is missing before the end of the line)', startLine, startCol);
        out += c;
        this.newlineAt(j);
        j++;
        continue;
      }
      if (c !== '\\') {
        out += c;
        j++;
        continue;
      }
      // Backslash escapes.
      const e = s[j + 1];
      if (e === undefined) {
        j++;
        continue;
      }
      if (raw) {
        // A raw string keeps the backslash; it still stops the next quote from ending the string.
        out += c + e;
        if (e === '\n') this.newlineAt(j + 1);
        j += 2;
        continue;
      }
      j += 2;
      switch (e) {
        case '\n':
          this.newlineAt(j - 1);
          break;
        case '\\': out += '\\'; break;
        case "'": out += "'"; break;
        case '"': out += '"'; break;
        case 'a': out += '\x07'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case 'x':
        case 'u':
        case 'U': {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = s.slice(j, j + len);
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) {
            this.fail(`invalid \\${e} escape in string: expected ${len} hex digits`, this.line, j - 1 - this.lineStart);
          }
          const code = parseInt(hex, 16);
          if (code > 0x10ffff) this.fail(`invalid \\U escape: U+${hex} is beyond Unicode`, this.line, j - 1 - this.lineStart);
          out += String.fromCodePoint(code);
          j += len;
          break;
        }
        case 'N':
          this.fail('\\N{...} escapes are not supported in config strings', this.line, j - 1 - this.lineStart);
          break;
        default:
          if (/[0-7]/.test(e)) {
            let oct = e;
            while (oct.length < 3 && /[0-7]/.test(s[j] ?? '')) oct += s[j++];
            out += String.fromCharCode(parseInt(oct, 8));
          } else {
            // Python keeps unknown escapes as written.
            out += c + e;
          }
      }
    }
    this.push('string', s.slice(tokenStart, j), startLine, startCol, out);
    this.i = j;
  }

  private operator(): void {
    const s = this.src;
    const col = this.i - this.lineStart + 1;
    const op = OPERATORS.find((o) => s.startsWith(o, this.i));
    if (op === undefined) {
      const ch = String.fromCodePoint(s.codePointAt(this.i) ?? 0);
      const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      const hint = (ch.codePointAt(0) ?? 0) > 0x7f ? ' outside a string or comment (a full-width character, or a file saved in another encoding?)' : '';
      this.fail(`unexpected character '${ch}' (${code})${hint}`);
    }
    if (op === '(' || op === '[' || op === '{') {
      this.push('op', op, this.line, col);
      this.brackets.push(this.tokens[this.tokens.length - 1] as Token);
    } else if (op === ')' || op === ']' || op === '}') {
      const open = this.brackets.pop();
      if (!open) this.fail(`unmatched '${op}'`);
      if (open.text !== CLOSING[op]) this.fail(`closing '${op}' does not match '${open.text}' opened at line ${open.line}, column ${open.col}`);
      this.push('op', op, this.line, col);
    } else {
      this.push('op', op, this.line, col);
    }
    this.i += op.length;
  }
}
