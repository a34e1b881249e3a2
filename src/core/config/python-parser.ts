/**
 * Parser for MMCV-style Python config files. Grammar (a subset of Python 3's,
 * https://docs.python.org/3/reference/grammar.html):
 *
 * ```
 * module     := (statement (';' statement)* NEWLINE)* END
 * statement  := NAME ('=' NAME)* '=' exprlist  |  STRING+            (a docstring)
 * exprlist   := expr (',' expr)* [',']                               (a bare tuple when a comma is present)
 * expr       := term (('+' | '-') term)*
 * term       := factor (('*' | '/' | '//' | '%') factor)*
 * factor     := ('-' | '+') factor | power
 * power      := postfix ['**' factor]
 * postfix    := atom ('[' expr ']' | '[' [expr] ':' [expr] [':' [expr]] ']')*
 * atom       := NAME | NUMBER | (STRING | FSTRING)+ | True | False | None | '(' [exprlist] ')' | '[' [exprlist] ']'
 *             | '{' [key ':' expr | '**' expr, ...] '}' | 'dict' '(' [expr] [, NAME '=' expr | '**' expr ...] ')'
 *             | '{{' '_base_' ('.' NAME)+ '}}'
 * FSTRING    := f'...{exprlist[=][!r|!s|!a][:spec]}...'                (each field's expression parsed by this grammar)
 * ```
 * Everything else (imports, calls other than `dict`, comprehensions, lambdas, conditionals...) is a
 * {@link ConfigError} at the offending token.
 */
import { ConfigError } from './config-error.ts';
import type { Assignment, BinaryOp, DictEntry, Expr, FStringExprPart, Pos, PythonModule } from './python-ast.ts';
import { type FStringPart, type Token, tokenizePython } from './python-tokenizer.ts';

const STATEMENT_KEYWORDS = new Set([
  'import', 'from', 'def', 'class', 'if', 'elif', 'else', 'for', 'while', 'with', 'try', 'except', 'finally',
  'assert', 'del', 'global', 'nonlocal', 'return', 'raise', 'pass', 'break', 'continue', 'async', 'await', 'yield',
]);
const EXPRESSION_KEYWORDS: Record<string, string> = {
  if: 'conditional expressions (x if c else y) are not supported',
  else: 'conditional expressions (x if c else y) are not supported',
  for: 'comprehensions are not supported; write the items out',
  lambda: 'lambda expressions are not supported',
  and: "boolean operators ('and') are not supported",
  or: "boolean operators ('or') are not supported",
  not: "boolean operators ('not') are not supported",
  in: "the 'in' operator is not supported",
  is: "the 'is' operator is not supported",
  await: "'await' is not supported",
  yield: "'yield' is not supported",
};
const RESERVED = new Set([...STATEMENT_KEYWORDS, ...Object.keys(EXPRESSION_KEYWORDS), 'True', 'False', 'None']);
const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);

/** Parses `source` (the text of `file`) into assignments; throws {@link ConfigError} with `file:line:col`. */
export function parsePythonConfig(source: string, file: string): PythonModule {
  const tokens = tokenizePython(source, file, { deferErrors: true });
  return { file, source, statements: new Parser(tokens, file, source).module() };
}

/**
 * How deeply brackets, calls and unary operators may nest. MMCV configs nest a dozen levels; Python's own parser stops
 * at 200 parentheses. The limit keeps a hostile file from overflowing the stack.
 */
export const MAX_NESTING = 100;

class Parser {
  private k = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
    private readonly source: string,
    private depth = 0,
  ) {}

  private get tok(): Token {
    const t = this.tokens[this.k] as Token;
    // A lexical error surfaces only when the parser reaches it, so the first error in the file is the one reported.
    if (t.kind === 'error' && t.error) throw t.error;
    return t;
  }

  private peek(offset = 1): Token | undefined {
    return this.tokens[this.k + offset];
  }

  private next(): Token {
    const t = this.tok;
    if (t.kind !== 'end') this.k++;
    return t;
  }

  private atLineEnd(): boolean {
    return this.tok.kind === 'newline' || this.tok.kind === 'end';
  }

  private is(text: string): boolean {
    return this.tok.kind === 'op' && this.tok.text === text;
  }

  private fail(problem: string, at: Token | Pos = this.tok): never {
    throw new ConfigError(problem, { file: this.file, line: at.line, col: at.col }, this.source);
  }

  private describe(t: Token): string {
    if (t.kind === 'end') return 'end of file';
    if (t.kind === 'newline') return 'end of line';
    return `'${t.text.length > 40 ? `${t.text.slice(0, 37)}...` : t.text}'`;
  }

  private expectOp(text: string, context: string): Token {
    if (!this.is(text)) this.unexpected(`expected '${text}' ${context}`);
    return this.next();
  }

  /** Fails at the current token, explaining it when it is a construct the subset leaves out. */
  private unexpected(expected: string): never {
    const t = this.tok;
    if (t.kind === 'name' && EXPRESSION_KEYWORDS[t.text]) this.fail(EXPRESSION_KEYWORDS[t.text] as string);
    if (t.kind === 'op' && COMPARISONS.has(t.text)) this.fail(`comparison operators ('${t.text}') are not supported`);
    if (t.kind === 'op' && t.text === '.') this.fail('attribute access (a.b) is not supported: configs are parsed, never executed');
    if (t.kind === 'op' && ['&', '|', '^', '~', '<<', '>>', '@'].includes(t.text)) this.fail(`the '${t.text}' operator is not supported`);
    if (t.kind === 'op' && t.text === ':=') this.fail("assignment expressions (':=') are not supported");
    this.fail(`${expected}, found ${this.describe(t)}`);
  }

  module(): Assignment[] {
    const statements: Assignment[] = [];
    while (this.tok.kind !== 'end') {
      if (this.tok.kind === 'newline') {
        this.next();
        continue;
      }
      for (;;) {
        const st = this.statement();
        if (st) statements.push(st);
        if (!this.is(';')) break;
        this.next();
        if (this.atLineEnd()) break;
      }
      if (!this.atLineEnd()) this.unexpected('expected the end of the statement');
    }
    return statements;
  }

  private statement(): Assignment | undefined {
    const start = this.tok;
    if (start.kind === 'name' && STATEMENT_KEYWORDS.has(start.text)) {
      this.fail(`'${start.text}' statements are not supported: configs are parsed, never executed`);
    }
    let value = this.exprList();
    const targets: Assignment['targets'] = [];
    while (this.is('=')) {
      if (value.kind !== 'name') {
        const what = value.kind === 'sequence' && value.tuple ? 'tuple unpacking (a, b = ...) is not supported' : 'only plain names can be assigned (NAME = value)';
        this.fail(what, value.pos);
      }
      targets.push({ name: value.name, pos: value.pos });
      this.next();
      value = this.exprList();
    }
    if (this.tok.kind === 'op' && /^(?:\*\*|\/\/|>>|<<|[-+*/%&|^@])=$/.test(this.tok.text)) {
      this.fail(`augmented assignment ('${this.tok.text}') is not supported; write 'x = x ${this.tok.text.slice(0, -1)} ...'`);
    }
    if (this.is(':')) this.fail('annotated assignments (x: T = ...) are not supported');
    if (targets.length === 0) {
      // A bare string is a docstring; any other bare expression would be evaluated and thrown away by Python.
      if (value.kind === 'literal' && typeof value.value === 'string') return undefined;
      this.fail("expected an assignment 'name = value'", start);
    }
    return { targets, value, pos: { line: start.line, col: start.col } };
  }

  /** `a, b, c` with at least one comma is a tuple (Python allows it on the right of `=`). */
  private exprList(): Expr {
    const first = this.expr();
    if (!this.is(',')) return first;
    const items = [first];
    while (this.is(',')) {
      this.next();
      if (this.tok.kind === 'newline' || this.tok.kind === 'end' || this.is('=') || this.is(';')) break;
      items.push(this.expr());
    }
    return { kind: 'sequence', items, tuple: true, pos: first.pos };
  }

  private expr(): Expr {
    return this.nested(() => {
      let left = this.term();
      while (this.is('+') || this.is('-')) {
        const op = this.next();
        left = { kind: 'binary', op: op.text as BinaryOp, left, right: this.term(), pos: pos(op) };
      }
      this.checkTrailing();
      return left;
    });
  }

  /** Parses one level deeper, refusing past MAX_NESTING. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) this.fail(`the value is nested more than ${MAX_NESTING} levels deep`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  /** After a complete expression, a keyword like `if`/`for` or a comparison is an unsupported construct. */
  private checkTrailing(): void {
    const t = this.tok;
    if ((t.kind === 'name' && EXPRESSION_KEYWORDS[t.text]) || (t.kind === 'op' && COMPARISONS.has(t.text))) this.unexpected('');
  }

  private term(): Expr {
    let left = this.factor();
    while (this.is('*') || this.is('/') || this.is('//') || this.is('%')) {
      const op = this.next();
      left = { kind: 'binary', op: op.text as BinaryOp, left, right: this.factor(), pos: pos(op) };
    }
    return left;
  }

  private factor(): Expr {
    if (this.is('-') || this.is('+')) {
      const op = this.next();
      return { kind: 'unary', op: op.text as '-' | '+', operand: this.nested(() => this.factor()), pos: pos(op) };
    }
    if (this.is('~')) this.fail("the '~' operator is not supported");
    return this.power();
  }

  private power(): Expr {
    const base = this.postfix();
    if (!this.is('**')) return base;
    const op = this.next();
    return { kind: 'binary', op: '**', left: base, right: this.factor(), pos: pos(op) };
  }

  private postfix(): Expr {
    let node = this.atom();
    for (;;) {
      if (this.is('[')) {
        node = this.subscript(node);
      } else if (this.is('(')) {
        this.fail('only dict(...) can be called in a config: configs are parsed, never executed');
      } else if (this.is('.')) {
        this.fail('attribute access (a.b) is not supported: configs are parsed, never executed');
      } else {
        return node;
      }
    }
  }

  /** `target[index]` or `target[start:stop:step]`. */
  private subscript(target: Expr): Expr {
    const open = this.next();
    const start = this.is(':') ? undefined : this.expr();
    if (!this.is(':')) {
      if (this.is(',')) this.fail('multi-dimensional subscripts are not supported');
      this.expectOp(']', 'to close the subscript');
      return { kind: 'subscript', target, index: start as Expr, pos: pos(open) };
    }
    this.next();
    const node: Extract<Expr, { kind: 'slice' }> = { kind: 'slice', target, pos: pos(open) };
    if (start) node.start = start;
    if (!this.is(']') && !this.is(':')) node.stop = this.expr();
    if (this.is(':')) {
      this.next();
      if (!this.is(']')) node.step = this.expr();
    }
    this.expectOp(']', 'to close the slice');
    return node;
  }

  private atom(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'number': {
        this.next();
        const literal: Expr = { kind: 'literal', value: t.value as number, pos: pos(t) };
        if (!/^0[xXoObB]/.test(t.text) && /[.eE]/.test(t.text)) literal.float = true;
        return literal;
      }
      case 'string':
      case 'fstring':
        return this.strings(t);
      case 'name':
        return this.nameAtom(t);
      case 'op':
        if (t.text === '(') return this.parenthesized();
        if (t.text === '[') return this.list();
        if (t.text === '{') return this.peek()?.kind === 'op' && this.peek()?.text === '{' && this.peek()?.col === t.col + 1 ? this.baseRef() : this.dictLiteral();
        if (t.text === '*') this.fail('unpacking with * is not supported');
        if (t.text === '...') this.fail('Ellipsis (...) is not a config value');
        return this.unexpected('expected a value');
      default:
        return this.unexpected('expected a value');
    }
  }

  /** Adjacent string literals are one string; with an f-string among them, one f-string. */
  private strings(first: Token): Expr {
    const parts: FStringExprPart[] = [];
    let formatted = false;
    while (this.tok.kind === 'string' || this.tok.kind === 'fstring') {
      const t = this.next();
      if (t.kind === 'string') parts.push(t.value as string);
      else {
        formatted = true;
        parts.push(...this.fstringParts(t.parts ?? []));
      }
    }
    // Without an f-string every part is text.
    if (!formatted) return { kind: 'literal', value: (parts as string[]).join(''), pos: pos(first) };
    return { kind: 'fstring', parts, pos: pos(first) };
  }

  /** Parses each field's expression with this grammar, at its place in the file. */
  private fstringParts(parts: FStringPart[]): FStringExprPart[] {
    return parts.map((part) => {
      if (typeof part === 'string') return part;
      const at = { line: part.line, col: part.col };
      const tokens = tokenizePython(part.source, this.file, { deferErrors: true, field: { origin: at, context: this.source } });
      const expr = this.nested(() => new Parser(tokens, this.file, this.source, this.depth).fieldExpression());
      const out: FStringExprPart = { expr, spec: this.fstringParts(part.spec), pos: at };
      if (part.conversion) out.conversion = part.conversion;
      if (part.debug !== undefined) out.debug = part.debug;
      return out;
    });
  }

  /** An f-string field: one expression (a bare `a, b` is a tuple) and nothing after it. */
  fieldExpression(): Expr {
    const value = this.exprList();
    if (this.tok.kind !== 'end') this.unexpected("expected the end of the f-string's expression");
    return value;
  }

  private nameAtom(t: Token): Expr {
    if (t.text === 'True' || t.text === 'False' || t.text === 'None') {
      this.next();
      return { kind: 'literal', value: t.text === 'None' ? null : t.text === 'True', pos: pos(t) };
    }
    if (RESERVED.has(t.text)) {
      if (EXPRESSION_KEYWORDS[t.text]) this.unexpected('');
      this.fail(`'${t.text}' is a Python keyword, not a value`);
    }
    this.next();
    if (this.is('(')) {
      if (t.text !== 'dict') this.fail(`only dict(...) can be called in a config, not '${t.text}(...)': configs are parsed, never executed`, t);
      return this.dictCall(t);
    }
    return { kind: 'name', name: t.text, pos: pos(t) };
  }

  private parenthesized(): Expr {
    const open = this.next();
    if (this.is(')')) {
      this.next();
      return { kind: 'sequence', items: [], tuple: true, pos: pos(open) };
    }
    const first = this.expr();
    if (this.is(')')) {
      this.next();
      return first;
    }
    if (this.is('=')) this.fail("'=' inside parentheses: keyword arguments only go in dict(...) (is a '(' doubled, or 'dict' missing?)");
    if (!this.is(',')) this.unexpected("expected ',' or ')'");
    const items = [first];
    while (this.is(',')) {
      this.next();
      if (this.is(')')) break;
      items.push(this.expr());
    }
    this.expectOp(')', `to close the tuple opened at line ${open.line}, column ${open.col}`);
    return { kind: 'sequence', items, tuple: true, pos: pos(open) };
  }

  private list(): Expr {
    const open = this.next();
    const items: Expr[] = [];
    while (!this.is(']')) {
      items.push(this.expr());
      if (this.is(']')) break;
      if (!this.is(',')) this.unexpected(`expected ',' or ']' in the list opened at line ${open.line}, column ${open.col}`);
      this.next();
    }
    this.next();
    return { kind: 'sequence', items, tuple: false, pos: pos(open) };
  }

  private dictLiteral(): Expr {
    const open = this.next();
    const entries: DictEntry[] = [];
    while (!this.is('}')) {
      if (this.is('**')) {
        const star = this.next();
        entries.push({ kind: 'spread', value: this.expr(), pos: pos(star), positional: false });
      } else {
        const key = this.expr();
        if (this.is(',') || this.is('}')) this.fail('set literals are not supported (a dict needs key: value pairs)', key.pos);
        this.expectOp(':', 'between a dict key and its value');
        entries.push({ kind: 'pair', key, value: this.expr(), pos: key.pos });
      }
      if (this.is('}')) break;
      if (!this.is(',')) this.unexpected(`expected ',' or '}' in the dict opened at line ${open.line}, column ${open.col}`);
      this.next();
    }
    this.next();
    return { kind: 'dict', entries, call: false, pos: pos(open) };
  }

  private dictCall(callee: Token): Expr {
    const open = this.next();
    const entries: DictEntry[] = [];
    const seen = new Set<string>();
    let sawKeyword = false;
    while (!this.is(')')) {
      const t = this.tok;
      if (this.is('**')) {
        this.next();
        entries.push({ kind: 'spread', value: this.expr(), pos: pos(t), positional: false });
        sawKeyword = true;
      } else if (this.is('*')) {
        this.fail('dict(*args) is not supported');
      } else if (t.kind === 'name' && this.peek()?.kind === 'op' && this.peek()?.text === '=') {
        if (RESERVED.has(t.text)) this.fail(`'${t.text}' is a Python keyword and cannot be a keyword argument`);
        if (seen.has(t.text)) this.fail(`keyword argument repeated: '${t.text}'`);
        seen.add(t.text);
        this.next();
        this.next();
        entries.push({ kind: 'keyword', key: t.text, value: this.expr(), pos: pos(t) });
        sawKeyword = true;
      } else {
        if (sawKeyword) this.fail('positional argument follows keyword argument');
        if (entries.length > 0) this.fail('dict() takes at most 1 positional argument');
        entries.push({ kind: 'spread', value: this.expr(), pos: pos(t), positional: true });
      }
      if (this.is(')')) break;
      if (!this.is(',')) this.unexpected(`expected ',' or ')' in dict( opened at line ${open.line}, column ${open.col}`);
      this.next();
    }
    this.next();
    return { kind: 'dict', entries, call: true, pos: pos(callee) };
  }

  /** `{{ _base_.a.b }}`, MMCV's reference to a value of the merged base configs. */
  private baseRef(): Expr {
    const open = this.next();
    this.next();
    if (!(this.tok.kind === 'name' && this.tok.text === '_base_')) this.fail("expected '_base_' after '{{' (MMCV's {{ _base_.key }} syntax); set literals are not supported");
    this.next();
    const path: string[] = [];
    for (;;) {
      const t = this.tok;
      if (t.kind === 'number' && /^\.\d+$/.test(t.text)) {
        // The tokenizer reads `.0` as a float; in a base path it is a list index.
        path.push(t.text.slice(1));
        this.next();
        continue;
      }
      if (!this.is('.')) break;
      this.next();
      const part = this.tok;
      if (part.kind !== 'name' && part.kind !== 'number') this.unexpected("expected a key after '.' in {{ _base_... }}");
      path.push(part.text);
      this.next();
    }
    if (path.length === 0) this.fail("expected '.key' after '{{ _base_' (MMCV's {{ _base_.key }} syntax)");
    if (!this.is('}') || !(this.peek()?.kind === 'op' && this.peek()?.text === '}')) this.unexpected("expected '}}' to close {{ _base_... }}");
    this.next();
    this.next();
    return { kind: 'base-ref', path, pos: pos(open) };
  }
}

function pos(t: Token): Pos {
  return { line: t.line, col: t.col };
}
