/**
 * Evaluates a parsed config ({@link PythonModule}) into its module-level names, the way MMCV's `Config._file2dict`
 * collects them after running the file (https://github.com/open-mmlab/mmcv/blob/v1.7.0/mmcv/utils/config.py) —
 * but by interpreting the small expression language the parser accepts, never by executing code.
 * Python semantics kept: `/` is true division, `//` floors, `%` takes the divisor's sign, `str * int` and
 * `list * int` repeat, `tuple + list` is an error, `dict(**a, k=v)` rejects a repeated key while `{**a, 'k': v}`
 * lets the later one win, names bind in order and re-binding keeps a name's first position.
 */
import { ConfigError, type SourceLocation } from './config-error.ts';
import { type ConfigDict, type ConfigValue, isConfigDict, pythonTypeName } from './config-value.ts';
import type { BinaryOp, Expr, FStringExprPart, Pos, PythonModule } from './python-ast.ts';
import { FormatSpecError, type PythonTypes, pythonFormat, pythonRepr, pythonStr } from './python-format.ts';

export interface EvaluateOptions {
  /** Resolves `{{ _base_.a.b }}` against the merged base configs; absent when the file has no bases yet. */
  baseLookup?: (path: string[]) => ConfigValue | undefined;
  /** Evaluate only the first `statementCount` statements (used to read `_base_` before the bases are loaded). */
  statementCount?: number;
  /** Whether the file declares `_base_` (only sharpens the "name is not defined" message). */
  hasBases?: boolean;
}

/** The largest string and list a config may build with `*` or `+` (a hostile `'a' * 10**9` is refused, not built). */
export const MAX_STRING_LENGTH = 10_000_000;
export const MAX_LIST_LENGTH = 1_000_000;

const origins = new WeakMap<object, SourceLocation>();
/** Arrays written as Python tuples. JSON output has no tuples, but MMTracking tells them apart in places (its
 * parameter search takes lists as search axes, never tuples such as `img_scale=(256, 128)`). */
const tuples = new WeakSet<ConfigValue[]>();

/**
 * Which items of a list or dict are numbers written as floats, for f-strings (`f'{lr}'` with `lr = 1.0` prints
 * `1.0`). Kept for containers written in the file and for the results of `+`, `*`, slices and `**` spreads of them.
 */
const floatSlots = new WeakMap<object, Set<string | number>>();

function addFloatSlot(container: object, key: string | number, isFloat: boolean): void {
  let slots = floatSlots.get(container);
  if (isFloat) {
    if (!slots) floatSlots.set(container, (slots = new Set()));
    slots.add(key);
  } else slots?.delete(key);
}

/** Whether the array was written as a tuple in a `.py` config or a `--cfg-options` value (`(a,b)`). */
export function isConfigTuple(value: ConfigValue | undefined): boolean {
  return Array.isArray(value) && tuples.has(value);
}

/** Marks an array as a tuple (copies of a tuple made while merging stay tuples). */
export function markConfigTuple(value: ConfigValue[]): void {
  tuples.add(value);
}

/** Where a dict or list of a config was written (the `dict(` / `{` / `[` / `(`), when it came from a `.py` file. */
export function configOrigin(value: ConfigValue | undefined): SourceLocation | undefined {
  return typeof value === 'object' && value !== null ? origins.get(value) : undefined;
}

/** Records where a dict or list came from (merging keeps the child's origin on the merged dict). */
export function setConfigOrigin(value: ConfigValue, location: SourceLocation | undefined): void {
  if (location && typeof value === 'object' && value !== null) origins.set(value, location);
}

/** Keys that would reach JavaScript's prototype machinery are refused everywhere a config key is created. */
export function assertSafeKey(key: string, fail: (problem: string) => never): void {
  if (key === '__proto__') fail("'__proto__' cannot be used as a config key");
}

/**
 * Evaluates the module's assignments in order and returns its names (except those starting with `__`, which MMCV
 * drops) in first-binding order.
 */
export function evaluatePythonConfig(module: PythonModule, options: EvaluateOptions = {}): ConfigDict {
  return new Evaluator(module, options).run();
}

const PREDEFINED_RE = /\{\{\s*(fileDirname|fileBasename|fileBasenameNoExtension|fileExtname)\s*\}\}/g;

class Evaluator {
  private readonly names = new Map<string, ConfigValue>();
  /** Names bound to a number written as a float. */
  private readonly floatNames = new Set<string>();
  /** Expressions whose number value is a float. */
  private readonly floatExprs = new WeakSet<Expr>();
  private readonly predefined: Record<string, string>;

  constructor(
    private readonly module: PythonModule,
    private readonly options: EvaluateOptions,
  ) {
    // MMCV substitutes these into the file text before running it (Config._substitute_predefined_vars).
    const file = module.file;
    const slash = file.lastIndexOf('/');
    const basename = file.slice(slash + 1);
    const dot = basename.lastIndexOf('.');
    this.predefined = {
      fileDirname: slash >= 0 ? file.slice(0, slash) : '.',
      fileBasename: basename,
      fileBasenameNoExtension: dot > 0 ? basename.slice(0, dot) : basename,
      fileExtname: dot > 0 ? basename.slice(dot) : '',
    };
  }

  /** Refuses a string or list past the limits before it is built. */
  private checkSize(size: number, what: 'string' | 'list', at: Pos): void {
    const max = what === 'string' ? MAX_STRING_LENGTH : MAX_LIST_LENGTH;
    if (size > max) this.fail(`this ${what} would have ${size} ${what === 'string' ? 'characters' : 'items'}; a config value may have at most ${max}`, at);
  }

  private fail(problem: string, at: Pos): never {
    throw new ConfigError(problem, this.loc(at), this.module.source);
  }

  private loc(at: Pos): SourceLocation {
    return { file: this.module.file, line: at.line, col: at.col };
  }

  run(): ConfigDict {
    const count = this.options.statementCount ?? this.module.statements.length;
    for (const st of this.module.statements.slice(0, count)) {
      const value = this.eval(st.value);
      for (const target of st.targets) {
        this.names.set(target.name, value);
        if (this.floatExprs.has(st.value)) this.floatNames.add(target.name);
        else this.floatNames.delete(target.name);
      }
    }
    const out: ConfigDict = {};
    for (const [name, value] of this.names) {
      if (name.startsWith('__')) continue;
      out[name] = value;
    }
    return out;
  }

  private eval(node: Expr): ConfigValue {
    const value = this.evalNode(node);
    if (typeof value === 'number' && this.isFloatNode(node)) this.floatExprs.add(node);
    return value;
  }

  /** Whether a number-valued node is a float, from its children (evaluated first). */
  private isFloatNode(node: Expr): boolean {
    switch (node.kind) {
      case 'literal': return node.float === true || !Number.isInteger(node.value);
      case 'name': return this.floatNames.has(node.name);
      case 'unary': return this.floatExprs.has(node.operand);
      case 'binary': return node.op === '/' || this.floatExprs.has(node.left) || this.floatExprs.has(node.right);
      // A subscript marks itself (it knows the container); values from base configs have lost the distinction.
      default: return this.floatExprs.has(node);
    }
  }

  private evalNode(node: Expr): ConfigValue {
    switch (node.kind) {
      case 'literal':
        return typeof node.value === 'string' && node.value.includes('{{') ? node.value.replace(PREDEFINED_RE, (_m, key: string) => this.predefined[key] ?? '') : node.value;
      case 'name': {
        const value = this.names.get(node.name);
        if (value !== undefined) return value;
        if (node.name === 'dict') this.fail("'dict' is a function; write dict(...) to make a dict", node.pos);
        const hint = this.options.hasBases ? ` (names from _base_ files are not visible in a child config: define '${node.name}' in this file, or use {{ _base_.${node.name} }})` : '';
        this.fail(`name '${node.name}' is not defined${hint}`, node.pos);
        break;
      }
      case 'sequence': {
        const items = node.items.map((item) => this.eval(item));
        node.items.forEach((item, i) => addFloatSlot(items, i, this.floatExprs.has(item)));
        if (node.tuple) tuples.add(items);
        origins.set(items, this.loc(node.pos));
        return items;
      }
      case 'dict':
        return this.dict(node);
      case 'unary': {
        const v = this.eval(node.operand);
        if (typeof v !== 'number') this.fail(`bad operand type for unary ${node.op}: '${pythonTypeName(v)}'`, node.pos);
        return node.op === '-' ? -v : v;
      }
      case 'binary':
        return this.binary(node.op, this.eval(node.left), this.eval(node.right), node.pos);
      case 'subscript': {
        const target = this.eval(node.target);
        const index = this.eval(node.index);
        const value = this.subscript(target, index, node.pos);
        if (typeof value === 'number' && typeof target === 'object' && target !== null) {
          const key = Array.isArray(target) && typeof index === 'number' && index < 0 ? target.length + index : (index as string | number);
          if (floatSlots.get(target)?.has(key)) this.floatExprs.add(node);
        }
        return value;
      }
      case 'fstring':
        return this.fstring(node.parts, node.pos);
      case 'slice':
        return this.slice(node);
      case 'base-ref': {
        const { baseLookup } = this.options;
        const ref = `{{ _base_.${node.path.join('.')} }}`;
        if (!baseLookup) this.fail(`${ref} is used but this file has no _base_ (or uses it before _base_ is assigned)`, node.pos);
        const value = baseLookup(node.path);
        if (value === undefined) this.fail(`${ref}: the base configs have no '${node.path.join('.')}'`, node.pos);
        return value;
      }
    }
  }

  private dict(node: Extract<Expr, { kind: 'dict' }>): ConfigDict {
    if (node.call && this.names.has('dict')) this.fail("'dict' was re-bound in this file; dict(...) cannot be called", node.pos);
    const out: ConfigDict = {};
    const fromKeywords = new Set<string>();
    const set = (key: string, value: ConfigValue, at: Pos, viaKeyword: boolean, isFloat = false) => {
      assertSafeKey(key, (p) => this.fail(p, at));
      addFloatSlot(out, key, isFloat);
      if (node.call && viaKeyword) {
        if (fromKeywords.has(key)) this.fail(`dict() got multiple values for keyword argument '${key}'`, at);
        fromKeywords.add(key);
      }
      out[key] = value;
    };
    for (const entry of node.entries) {
      if (entry.kind === 'keyword') {
        set(entry.key, this.eval(entry.value), entry.pos, true, this.floatExprs.has(entry.value));
      } else if (entry.kind === 'pair') {
        const key = this.eval(entry.key);
        if (typeof key !== 'string') this.fail(`config dict keys must be strings, got ${pythonTypeName(key)} ${JSON.stringify(key)}`, entry.pos);
        set(key, this.eval(entry.value), entry.pos, false, this.floatExprs.has(entry.value));
      } else {
        const value = this.eval(entry.value);
        // `dict(**m, k=v)` and `dict(k=v, **m)` both reject a repeated key; the one positional `dict(m)` does not.
        const isDoubleStar = !entry.positional;
        if (isConfigDict(value)) {
          for (const [k, v] of Object.entries(value)) set(k, v, entry.pos, isDoubleStar, floatSlots.get(value)?.has(k));
        } else if (!isDoubleStar && Array.isArray(value)) {
          for (const pair of value) {
            if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') this.fail('dict(sequence) needs (str key, value) pairs', entry.pos);
            set(pair[0], pair[1] as ConfigValue, entry.pos, false);
          }
        } else {
          this.fail(`${isDoubleStar ? '** needs' : 'dict() needs'} a dict, got ${pythonTypeName(value)}`, entry.pos);
        }
      }
    }
    origins.set(out, this.loc(node.pos));
    return out;
  }

  private binary(op: BinaryOp, a: ConfigValue, b: ConfigValue, at: Pos): ConfigValue {
    const bad = (): never => this.fail(`unsupported operand types for ${op}: '${this.typeName(a)}' and '${this.typeName(b)}'`, at);
    if (typeof a === 'number' && typeof b === 'number') {
      switch (op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/':
          if (b === 0) this.fail('division by zero', at);
          return a / b;
        case '//':
          if (b === 0) this.fail('integer division or modulo by zero', at);
          return Math.floor(a / b);
        case '%':
          if (b === 0) this.fail('integer division or modulo by zero', at);
          return a - b * Math.floor(a / b);
        case '**':
          if (a === 0 && b < 0) this.fail('0 cannot be raised to a negative power', at);
          if (a < 0 && !Number.isInteger(b)) this.fail('a negative number raised to a fractional power is complex', at);
          return a ** b;
      }
    }
    if (op === '+') {
      if (typeof a === 'string' && typeof b === 'string') {
        this.checkSize(a.length + b.length, 'string', at);
        return a + b;
      }
      if (Array.isArray(a) && Array.isArray(b)) {
        if (tuples.has(a) !== tuples.has(b)) bad();
        this.checkSize(a.length + b.length, 'list', at);
        const out = [...a, ...b];
        for (const i of floatSlots.get(a) ?? []) addFloatSlot(out, i, true);
        for (const i of floatSlots.get(b) ?? []) addFloatSlot(out, (i as number) + a.length, true);
        if (tuples.has(a)) tuples.add(out);
        origins.set(out, this.loc(at));
        return out;
      }
      return bad();
    }
    if (op === '*') {
      const [seq, count] = typeof b === 'number' ? [a, b] : [b, a];
      if (typeof count !== 'number' || !Number.isInteger(count)) return bad();
      if (typeof seq === 'string') {
        this.checkSize(seq.length * Math.max(0, count), 'string', at);
        return seq.repeat(Math.max(0, count));
      }
      if (Array.isArray(seq)) {
        this.checkSize(seq.length * Math.max(0, count), 'list', at);
        const out: ConfigValue[] = [];
        for (let n = 0; n < count; n++) out.push(...seq);
        for (const i of floatSlots.get(seq) ?? []) for (let n = 0; n < count; n++) addFloatSlot(out, (i as number) + n * seq.length, true);
        if (tuples.has(seq)) tuples.add(out);
        origins.set(out, this.loc(at));
        return out;
      }
      return bad();
    }
    if (op === '%' && typeof a === 'string') this.fail("printf-style string formatting ('...' % x) is not supported", at);
    return bad();
  }

  private subscript(target: ConfigValue, index: ConfigValue, at: Pos): ConfigValue {
    if (Array.isArray(target) || typeof target === 'string') {
      if (typeof index !== 'number' || !Number.isInteger(index)) this.fail(`${this.typeName(target)} indices must be integers, not ${pythonTypeName(index)}`, at);
      const i = index < 0 ? target.length + index : index;
      if (i < 0 || i >= target.length) this.fail(`${this.typeName(target)} index ${index} out of range (length ${target.length})`, at);
      return target[i] as ConfigValue;
    }
    if (isConfigDict(target)) {
      if (typeof index !== 'string') this.fail(`config dict keys are strings, not ${pythonTypeName(index)}`, at);
      if (!Object.hasOwn(target, index)) this.fail(`KeyError: '${index}' is not in the dict (keys: ${Object.keys(target).join(', ') || 'none'})`, at);
      return target[index] as ConfigValue;
    }
    return this.fail(`'${this.typeName(target)}' object is not subscriptable`, at);
  }

  /** Python's slicing (`slice.indices`): negative and out-of-range bounds clamp, a negative step walks back. */
  private slice(node: Extract<Expr, { kind: 'slice' }>): ConfigValue {
    const target = this.eval(node.target);
    if (!Array.isArray(target) && typeof target !== 'string') this.fail(`'${this.typeName(target)}' object is not subscriptable`, node.pos);
    const part = (e: Expr | undefined): number | undefined => {
      if (!e) return undefined;
      const v = this.eval(e);
      if (v === null) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(`slice indices must be integers or None, not ${pythonTypeName(v)}`, e.pos);
      return v;
    };
    const n = target.length;
    const step = part(node.step) ?? 1;
    if (step === 0) this.fail('slice step cannot be zero', node.pos);
    const [lower, upper] = step > 0 ? [0, n] : [-1, n - 1];
    const clamp = (v: number | undefined, fallback: number) => (v === undefined ? fallback : v < 0 ? Math.max(v + n, lower) : Math.min(v, upper));
    const start = clamp(part(node.start), step > 0 ? lower : upper);
    const stop = clamp(part(node.stop), step > 0 ? upper : lower);
    const picked: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) picked.push(i);
    if (typeof target === 'string') return picked.map((i) => target[i]).join('');
    const out = picked.map((i) => target[i] as ConfigValue);
    picked.forEach((from, to) => addFloatSlot(out, to, floatSlots.get(target)?.has(from) === true));
    if (tuples.has(target)) tuples.add(out);
    origins.set(out, this.loc(node.pos));
    return out;
  }

  /** An f-string: each field's value converted (`!r`, `!s`, `!a`) and formatted by its spec, as Python does. */
  private fstring(parts: FStringExprPart[], at: Pos): string {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        out += part;
      } else {
        const value = this.eval(part.expr);
        const isFloat = this.floatExprs.has(part.expr);
        const types: PythonTypes = {
          isTuple: (v) => tuples.has(v),
          isFloat: (container, key) => (container === undefined ? isFloat : floatSlots.get(container)?.has(key as string | number) === true),
        };
        const spec = this.fstring(part.spec, part.pos);
        // `{x=}` shows the repr unless a conversion or a spec says otherwise.
        const conversion = part.conversion ?? (part.debug !== undefined && spec === '' ? 'r' : undefined);
        try {
          let text: string;
          if (conversion === undefined) text = pythonFormat(value, spec, types, isFloat);
          else {
            const converted = conversion === 's' ? pythonStr(value, types, isFloat) : pythonRepr(value, types, isFloat, conversion === 'a');
            text = pythonFormat(converted, spec, types);
          }
          out += (part.debug ?? '') + text;
        } catch (err) {
          if (err instanceof FormatSpecError) this.fail(`f-string: ${err.message}`, part.pos);
          throw err;
        }
      }
      this.checkSize(out.length, 'string', at);
    }
    return out;
  }

  private typeName(v: ConfigValue): string {
    return Array.isArray(v) && tuples.has(v) ? 'tuple' : pythonTypeName(v);
  }
}
