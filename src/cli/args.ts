// One argument parser for every `mmtrack` command (Node's util.parseArgs underneath) and one help format. A command
// declares its positionals and flags; parsing, errors, deprecated names and `--help` text all come from that.
import { parseArgs } from 'node:util';
import { type CliIo, UserError } from './command.ts';

/** A flag: `string` takes one value, `boolean` none, `list` one or more (up to the next flag, as `--cfg-options`). */
export interface FlagSpec {
  type: 'string' | 'boolean' | 'list';
  /** The value's name in the help (FILE, DIR, T, KEY=VALUE). */
  value?: string;
  help: string;
  required?: boolean;
  /** Former names, still accepted with a deprecation line on stderr. */
  deprecated?: readonly string[];
}

export interface PositionalSpec {
  name: string;
  help: string;
  /** Takes one or more (`LOG...`). */
  variadic?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface ArgsSpec<F extends FlagSpecs = FlagSpecs> {
  positionals: readonly PositionalSpec[];
  flags: F;
}

type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean' ? boolean : S['type'] extends 'list' ? string[] : string;
/** Flags that always have a value: required ones, switches (false) and lists ([]). */
type AlwaysSet<F extends FlagSpecs> = { [K in keyof F]: F[K] extends { required: true } | { type: 'boolean' | 'list' } ? K : never }[keyof F];

export interface ParsedArgs<F extends FlagSpecs> {
  positionals: string[];
  flags: { [K in AlwaysSet<F>]: FlagValue<F[K]> } & { [K in Exclude<keyof F, AlwaysSet<F>>]?: string };
}

/** A flag that must be given, with a value (`value` names it in the help). */
export function requiredFlag(value: string, help: string): { type: 'string'; value: string; help: string; required: true } {
  return { type: 'string', value, help, required: true };
}

/** A flag that may be given, with a value; `deprecated`: its former names. */
export function optionalFlag(value: string, help: string, deprecated?: readonly string[]): { type: 'string'; value: string; help: string; deprecated?: readonly string[] } {
  return { type: 'string', value, help, ...(deprecated ? { deprecated } : {}) };
}

/** A flag without a value. */
export function switchFlag(help: string): { type: 'boolean'; help: string } {
  return { type: 'boolean', help };
}

/** A flag taking one or more values, up to the next flag. */
export function listFlag(value: string, help: string): { type: 'list'; value: string; help: string } {
  return { type: 'list', value, help };
}

/** `--cfg-options`, as MMTracking's tools take it. */
export const CFG_OPTIONS_FLAG = listFlag('KEY=VALUE', "override config values (MMCV's --cfg-options, e.g. model.tracker.match_iou_thr=0.5)");

/** `--model-dir`. */
export const MODEL_DIR_FLAG = optionalFlag('DIR', "folder the config's onnx files are relative to (default: the models npm install converted)");

const usageOfFlag = (name: string, f: FlagSpec): string => {
  const v = f.type === 'boolean' ? '' : ` ${f.value ?? 'VALUE'}${f.type === 'list' ? ' ...' : ''}`;
  return f.required ? `--${name}${v}` : `[--${name}${v}]`;
};

/** The usage line of `mmtrack PREFIX` with `spec`: positionals, then required flags, then optional ones. */
export function usageLine(prefix: string, spec: ArgsSpec): string {
  const pos = spec.positionals.map((p) => (p.variadic ? `${p.name}...` : p.name));
  const flags = Object.entries(spec.flags).sort(([, a], [, b]) => Number(!!b.required) - Number(!!a.required));
  return ['mmtrack', prefix, ...pos, ...flags.map(([n, f]) => usageOfFlag(n, f))].join(' ');
}

/** The argument and option lines of `spec`, aligned. */
export function optionLines(spec: ArgsSpec): string[] {
  const rows: Array<[string, string]> = [
    ...spec.positionals.map((p): [string, string] => [p.variadic ? `${p.name}...` : p.name, p.help]),
    ...Object.entries(spec.flags).map(([n, f]): [string, string] => {
      const v = f.type === 'boolean' ? '' : ` ${f.value ?? 'VALUE'}${f.type === 'list' ? ' ...' : ''}`;
      const notes = [f.required ? 'required' : '', f.deprecated?.length ? `formerly ${f.deprecated.map((d) => `--${d}`).join(', ')}` : ''].filter(Boolean);
      return [`--${n}${v}`, `${f.help}${notes.length ? ` (${notes.join('; ')})` : ''}`];
    }),
  ];
  const width = Math.min(28, Math.max(...rows.map(([l]) => l.length)));
  return rows.map(([l, h]) => (l.length > width ? `  ${l}\n  ${' '.repeat(width)}  ${h}` : `  ${l.padEnd(width)}  ${h}`));
}

/** One help format: `usage:` line(s), a description, then each variant's arguments and options. */
export function helpText(sections: { usage: string[]; description: string; variants: Array<{ title?: string; spec: ArgsSpec }>; footer?: string }): string {
  const out = [`usage: ${sections.usage[0]}`, ...sections.usage.slice(1).map((u) => `       ${u}`), '', sections.description.trim(), ''];
  for (const v of sections.variants) {
    out.push(v.title ? `${v.title}:` : 'arguments and options:', ...optionLines(v.spec), '');
  }
  out.push('  --help, -h  show this help', '');
  if (sections.footer) out.push(sections.footer.trim(), '');
  return out.join('\n');
}

/**
 * Parses `args` against `spec`: unknown flags, missing values, missing required flags and wrong positional counts are
 * UserErrors (exit 2) that end with "run mmtrack COMMAND --help". Deprecated flag names are accepted with a line on
 * stderr.
 */
export function parseCommandArgs<F extends FlagSpecs>(command: string, spec: ArgsSpec<F>, args: readonly string[], io: CliIo): ParsedArgs<F> {
  const hint = `(run mmtrack ${command} --help)`;
  const renamed = new Map<string, string>();
  for (const [name, f] of Object.entries(spec.flags)) for (const old of f.deprecated ?? []) renamed.set(old, name);
  // Normalise: deprecated names → current ones; a list flag's values → one `--name=value` each.
  const tokens: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--([^=]+)(=(.*))?$/s.exec(a);
    if (!m) {
      tokens.push(a);
      continue;
    }
    let name = m[1]!;
    const current = renamed.get(name);
    if (current) {
      io.stderr(`warning: --${name} is deprecated; use --${current}\n`);
      name = current;
    }
    const f = spec.flags[name];
    // util.parseArgs keeps the last of a repeated flag; two --input or two --out are a mistake worth stopping on.
    if (f && f.type !== 'list') {
      if (seen.has(name)) throw new UserError(`--${name} is given more than once ${hint}`);
      seen.add(name);
    }
    if (f?.type === 'list') {
      const values = m[2] !== undefined ? [m[3]!] : [];
      while (i + 1 < args.length && !args[i + 1]!.startsWith('--')) values.push(args[++i]!);
      if (values.length === 0) throw new UserError(`--${name} needs at least one ${f.value ?? 'value'} ${hint}`);
      for (const v of values) tokens.push(`--${name}=${v}`);
    } else tokens.push(m[2] !== undefined ? `--${name}=${m[3]!}` : `--${name}`);
  }
  const options = Object.fromEntries(Object.entries(spec.flags).map(([n, f]) => [n, { type: f.type === 'boolean' ? ('boolean' as const) : ('string' as const), multiple: f.type === 'list' }]));
  let parsed;
  try {
    parsed = parseArgs({ args: tokens, options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's own wording, on one line ("Option '--init <value>' argument is ambiguous. ... use '--init=-XYZ'.").
    const message = err instanceof Error ? err.message.replace(/^Unknown option '(.*?)'.*$/s, "unknown option '$1'").replace(/\s*\n\s*/g, ' ') : String(err);
    throw new UserError(`${message} ${hint}`, { cause: err });
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  for (const [name, f] of Object.entries(spec.flags)) {
    if (f.required && values[name] === undefined) throw new UserError(`missing --${name} ${f.value ?? ''} ${hint}`.replace('  ', ' '));
    if (f.type === 'list') values[name] ??= [];
    if (f.type === 'boolean') values[name] ??= false;
  }
  const pos = parsed.positionals;
  const fixed = spec.positionals.filter((p) => !p.variadic).length;
  const variadic = spec.positionals.some((p) => p.variadic);
  if (pos.length < fixed || (variadic && pos.length <= fixed)) {
    const missing = spec.positionals[Math.min(pos.length, spec.positionals.length - 1)]!;
    throw new UserError(`missing ${missing.name} ${hint}`);
  }
  if (!variadic && pos.length > fixed) throw new UserError(`unexpected argument '${pos[fixed]}' ${hint}`);
  return { positionals: pos, flags: values as ParsedArgs<F>['flags'] };
}

/** A number flag's value, checked against a range; `undefined` stays undefined. */
export function numberFlag(name: string, text: string | undefined, range: { min?: number; max?: number } = {}): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  const { min = -Infinity, max = Infinity } = range;
  if (text.trim() === '' || !Number.isFinite(v) || v < min || v > max) {
    const bounds = Number.isFinite(min) && Number.isFinite(max) ? ` in [${min}, ${max}]` : Number.isFinite(min) ? ` >= ${min}` : '';
    throw new UserError(`--${name} must be a number${bounds}, got '${text}'`);
  }
  return v;
}
