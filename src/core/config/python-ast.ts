/** Syntax tree of a config file: a list of `name = expression` statements over literals, containers and names. */

/** 1-based position of a node's first character. */
export interface Pos {
  line: number;
  col: number;
}

export type Expr =
  /** `float` marks a number written as a float (`1.0`, `1e3`): Python prints it as one. */
  | { kind: 'literal'; value: null | boolean | number | string; float?: boolean; pos: Pos }
  | { kind: 'name'; name: string; pos: Pos }
  /** `[...]`, `(...)` with a comma, or a bare `a, b` on the right of `=`. */
  | { kind: 'sequence'; items: Expr[]; tuple: boolean; pos: Pos }
  /** `{...}` or `dict(...)`: keys in source order, `**spread` and `dict(positional)` as spreads. */
  | { kind: 'dict'; entries: DictEntry[]; call: boolean; pos: Pos }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: Pos }
  | { kind: 'unary'; op: '-' | '+'; operand: Expr; pos: Pos }
  | { kind: 'subscript'; target: Expr; index: Expr; pos: Pos }
  /** `target[start:stop:step]`, each part optional. */
  | { kind: 'slice'; target: Expr; start?: Expr; stop?: Expr; step?: Expr; pos: Pos }
  /** `f'...'` (with any adjacent plain strings): literal text and formatted fields, in order. */
  | { kind: 'fstring'; parts: FStringExprPart[]; pos: Pos }
  /** MMCV's `{{ _base_.a.b }}`: a value taken from the merged base configs. */
  | { kind: 'base-ref'; path: string[]; pos: Pos };

export type FStringExprPart = string | { expr: Expr; conversion?: 'r' | 's' | 'a'; debug?: string; spec: FStringExprPart[]; pos: Pos };

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';

export type DictEntry =
  | { kind: 'pair'; key: Expr; value: Expr; pos: Pos }
  | { kind: 'keyword'; key: string; value: Expr; pos: Pos }
  /** `**value`, or the one positional argument of `dict(value)` (`positional`). */
  | { kind: 'spread'; value: Expr; pos: Pos; positional: boolean };

/** `a = b = value` binds every target to the same value. */
export interface Assignment {
  targets: { name: string; pos: Pos }[];
  value: Expr;
  pos: Pos;
}

export interface PythonModule {
  file: string;
  source: string;
  statements: Assignment[];
}
