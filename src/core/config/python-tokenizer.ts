/**
 * Tokenizer for the subset of Python that MMCV/MMTracking config files use: names, int/float literals, string
 * literals (single, double and triple quotes, `r`/`u` prefixes, escapes), operators, brackets with implicit line
 * joining, backslash continuations and comments. It follows Python's lexical rules
 * (https://docs.python.org/3/reference/lexical_analysis.html) but never executes anything; whatever it does not
 * support is a {@link ConfigError} pointing at the offending text.
 */
import { ConfigError } from './config-error.ts';

/** `error` ends the token list when {@link tokenizePython} is asked to defer its first lexical error. */
export type TokenKind = 'name' | 'number' | 'string' | 'fstring' | 'op' | 'newline' | 'end' | 'error';

/** An f-string's pieces: literal text, and replacement fields whose expressions the parser reads. */
export type FStringPart = string | FStringField;

export interface FStringField {
  /** The expression's source text; `line`/`col` are where it starts. */
  source: string;
  line: number;
  col: number;
  conversion?: 'r' | 's' | 'a';
  /** `{x=}`: the text written before the value (`'x='`). */
  debug?: string;
  /** The format spec, itself literal text and fields. */
  spec: FStringPart[];
}

interface StringLiteral {
  quote: string;
  triple: boolean;
  raw: boolean;
  fstring: boolean;
  line: number;
  col: number;
}

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
  /** An f-string's literal text and fields. */
  parts?: FStringPart[];
}

export interface TokenizeOptions {
  /** End the list with an `error` token instead of throwing (so a parser reports errors in source order). */
  deferErrors?: boolean;
  /**
   * Tokenize an f-string field's expression: `source` starts at `origin` of the file whose text is `context`, and
   * it reads as if inside brackets (line breaks join, no indentation rule).
   */
  field?: { origin: { line: number; col: number }; context: string };
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
export function tokenizePython(source: string, file: string, options: TokenizeOptions = {}): Token[] {
  const tokenizer = new Tokenizer(source, file, options.field);
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

  /** The file's text, for error excerpts (a field's expression is only part of it). */
  private readonly context: string;
  /** Brackets open before the first token: 1 for an f-string field's expression. */
  private readonly outerBrackets: number;

  constructor(
    original: string,
    private readonly file: string,
    field?: TokenizeOptions['field'],
  ) {
    // Python reads \r\n and \r as \n; the BOM is not part of the text.
    this.src = original.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    this.context = field?.context ?? this.src;
    this.outerBrackets = field ? 1 : 0;
    if (field) {
      this.line = field.origin.line;
      this.lineStart = 1 - field.origin.col;
      this.brackets.push({ kind: 'op', text: '{', line: field.origin.line, col: field.origin.col - 1 });
    }
  }

  /** The tokens read so far. */
  get done(): Token[] {
    return this.tokens;
  }

  private fail(problem: string, line = this.line, col = this.i - this.lineStart + 1): never {
    throw new ConfigError(problem, { file: this.file, line, col }, this.context);
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
    const open = this.brackets.length > this.outerBrackets ? this.brackets[this.brackets.length - 1] : undefined;
    if (open) this.fail(`'${open.text}' was never closed`, open.line, open.col);
    const col = this.i - this.lineStart + 1;
    if (this.pendingLogicalLine && this.outerBrackets === 0) this.push('newline', '', this.line, col);
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
    let j = this.i + prefix.length;
    const quote = s[j] as string;
    const triple = s.startsWith(quote.repeat(3), j);
    const literal: StringLiteral = { quote, triple, raw: lower.includes('r'), fstring: lower.includes('f'), line: startLine, col: startCol };
    j += triple ? 3 : 1;
    const [parts, end] = this.stringParts(j, literal, false);
    j = this.closeQuote(end, literal);
    if (literal.fstring) {
      this.push('fstring', s.slice(tokenStart, j), startLine, startCol);
      (this.tokens[this.tokens.length - 1] as Token).parts = parts;
    } else {
      // A plain string has no fields: its parts are text.
      this.push('string', s.slice(tokenStart, j), startLine, startCol, (parts as string[]).join(''));
    }
    this.i = j;
  }

  /** Index just past the closing quote at `j`. */
  private closeQuote(j: number, literal: StringLiteral): number {
    return j + (literal.triple ? 3 : 1);
  }

  private atClosingQuote(j: number, literal: StringLiteral): boolean {
    return literal.triple ? this.src.startsWith(literal.quote.repeat(3), j) : this.src[j] === literal.quote;
  }

  /**
   * Reads a string's text from `j` up to its closing quote (left unconsumed), or for an f-string's format spec
   * (`inSpec`) up to the '}' that ends the field. An f-string yields literal text and replacement fields.
   */
  private stringParts(j: number, literal: StringLiteral, inSpec: boolean): [FStringPart[], number] {
    const s = this.src;
    const parts: FStringPart[] = [];
    let out = '';
    for (;;) {
      if (j >= s.length) {
        this.fail(literal.triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal', literal.line, literal.col);
      }
      const c = s[j] as string;
      if (this.atClosingQuote(j, literal)) {
        if (inSpec) this.fail("f-string: expecting '}' before the closing quote", this.line, j - this.lineStart + 1);
        break;
      }
      if (c === '\n') {
        if (!literal.triple) this.fail('unterminated string literal (a quote is missing before the end of the line)', literal.line, literal.col);
        out += c;
        this.newlineAt(j);
        j++;
        continue;
      }
      if (literal.fstring && (c === '{' || c === '}')) {
        if (c === '}' && inSpec) break;
        if (s[j + 1] === c && !inSpec) {
          // '{{' and '}}' are literal braces.
          out += c;
          j += 2;
          continue;
        }
        if (c === '}') this.fail("f-string: single '}' is not allowed (write '}}' for a brace)", this.line, j - this.lineStart + 1);
        if (out) parts.push(out);
        out = '';
        const [field, after] = this.fstringField(j + 1, literal, inSpec);
        parts.push(field);
        j = after;
        continue;
      }
      if (c !== '\\') {
        out += c;
        j++;
        continue;
      }
      const [text, next] = this.escape(j, literal.raw);
      out += text;
      j = next;
    }
    if (out || parts.length === 0) parts.push(out);
    return [parts, j];
  }

  /** Decodes the backslash escape at `j`: its text and the index after it. */
  private escape(j: number, raw: boolean): [string, number] {
    const s = this.src;
    const e = s[j + 1];
    if (e === undefined) return ['', j + 1];
    if (raw) {
      // A raw string keeps the backslash; it still stops the next quote from ending the string.
      if (e === '\n') this.newlineAt(j + 1);
      return [`\\${e}`, j + 2];
    }
    j += 2;
    switch (e) {
      case '\n':
        this.newlineAt(j - 1);
        return ['', j];
      case '\\': return ['\\', j];
      case "'": return ["'", j];
      case '"': return ['"', j];
      case 'a': return ['\x07', j];
      case 'b': return ['\b', j];
      case 'f': return ['\f', j];
      case 'n': return ['\n', j];
      case 'r': return ['\r', j];
      case 't': return ['\t', j];
      case 'v': return ['\v', j];
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
        return [String.fromCodePoint(code), j + len];
      }
      case 'N':
        return this.fail('\\N{...} escapes are not supported in config strings', this.line, j - 1 - this.lineStart);
      default:
        if (/[0-7]/.test(e)) {
          let oct = e;
          while (oct.length < 3 && /[0-7]/.test(s[j] ?? '')) oct += s[j++];
          return [String.fromCharCode(parseInt(oct, 8)), j];
        }
        // Python keeps unknown escapes as written.
        return [`\\${e}`, j];
    }
  }

  /**
   * One `{expression[=][!conversion][:spec]}` field of an f-string, from just after its '{'. The expression is kept
   * as source text (with its position) for the parser. Python before 3.12 rules: no backslash, no comment and not
   * the f-string's own quote inside the expression; a spec's fields cannot have specs with fields of their own.
   */
  private fstringField(j: number, literal: StringLiteral, inSpec: boolean): [FStringField, number] {
    const s = this.src;
    const startIndex = j;
    const line = this.line;
    const col = j - this.lineStart + 1;
    const at = () => j - this.lineStart + 1;
    const brackets: string[] = [];
    let inner: string | undefined;
    for (;; j++) {
      if (j >= s.length) this.fail("f-string: expecting '}'", line, col - 1);
      const c = s[j] as string;
      if (inner === undefined && this.atClosingQuote(j, literal)) {
        this.fail(`f-string: expecting '}' (an expression inside an f-string cannot use the f-string's own quote (${literal.quote}) inside: use the other quote)`, this.line, at());
      }
      if (c === '\\') this.fail('f-string expression part cannot include a backslash', this.line, at());
      if (c === '\n') {
        if (!literal.triple) this.fail('unterminated string literal (a quote is missing before the end of the line)', literal.line, literal.col);
        this.newlineAt(j);
        continue;
      }
      if (inner !== undefined) {
        if (s.startsWith(inner, j)) {
          j += inner.length - 1;
          inner = undefined;
        }
        continue;
      }
      if (c === "'" || c === '"') {
        inner = s.startsWith(c.repeat(3), j) ? c.repeat(3) : c;
        j += inner.length - 1;
        continue;
      }
      if (c === '#') this.fail("f-string expression part cannot include '#'", this.line, at());
      if (c === '(' || c === '[' || c === '{') {
        brackets.push(c);
        continue;
      }
      if (brackets.length > 0) {
        if (c === ')' || c === ']' || c === '}') brackets.pop();
        continue;
      }
      if (c === '}' || c === ':' || (c === '!' && s[j + 1] !== '=')) break;
      if (c === '=' && !'=!<>'.includes(s[j - 1] ?? '') && s[j + 1] !== '=') break;
    }
    const source = s.slice(startIndex, j);
    if (source.trim() === '') this.fail('f-string: empty expression not allowed', line, col);
    const field: FStringField = { source, line, col, spec: [] };
    if (s[j] === '=') {
      // Python 3.8's self-documenting `{x=}`: the text up to '=' (spaces kept), then repr unless told otherwise.
      field.debug = `${source}=`;
      j++;
      while (s[j] === ' ') {
        field.debug += ' ';
        j++;
      }
    }
    if (s[j] === '!') {
      const conversion = s[j + 1];
      if (conversion !== 'r' && conversion !== 's' && conversion !== 'a') {
        this.fail("f-string: invalid conversion character: expected 's', 'r', or 'a'", this.line, j - this.lineStart + 2);
      }
      field.conversion = conversion;
      j += 2;
    }
    if (s[j] === ':') {
      if (inSpec) this.fail('f-string: a format spec nested this deep is not supported', this.line, j - this.lineStart + 1);
      const [spec, end] = this.stringParts(j + 1, literal, true);
      field.spec = spec.filter((p) => p !== '');
      j = end;
    }
    if (s[j] !== '}') this.fail("f-string: expecting '}'", this.line, j - this.lineStart + 1);
    return [field, j + 1];
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
