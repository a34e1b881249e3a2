/**
 * Declared constructor parameters of a registered type: each config key a class accepts, its kind, and its default.
 * {@link Registry.build} checks a config dict against them, so a typo'd key is an error instead of a silently
 * ignored `**kwargs` entry.
 */
import { type ConfigDict, type ConfigValue, cloneConfig, isConfigDict, previewValue, pythonTypeName } from './config-value.ts';

export type ParamResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** One parameter: turns the config value (or `undefined` when the key is absent) into the constructor's value. */
export interface Param<T> {
  /** What the parameter accepts, for messages and docs (`float >= 0`, `'a' | 'b'`, `list of int`). */
  readonly description: string;
  /** Whether the key may be left out (it has a default or accepts absence). */
  readonly optional: boolean;
  read(value: ConfigValue | undefined): ParamResult<T>;
}

export type ParamShape = Record<string, Param<unknown>>;

/** The argument object a constructor receives: exactly the declared keys. */
export type ParamValues<P extends ParamShape> = { [K in keyof P]: P[K] extends Param<infer T> ? T : never };

/** A required parameter, with ways to derive the optional variants. */
export interface RequiredParam<T> extends Param<T> {
  /** The same parameter, with a default used when the key is absent. */
  default(value: T): Param<T>;
  /** The same parameter, also accepting `None`. */
  nullable(): RequiredParam<T | null>;
  /** The same parameter, `undefined` when the key is absent. */
  optionalKey(): Param<T | undefined>;
}

type Check<T> = (value: ConfigValue) => ParamResult<T>;

const ok = <T>(value: T): ParamResult<T> => ({ ok: true, value });
const fail = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });
const got = (value: ConfigValue): string => `got ${pythonTypeName(value)} ${previewValue(value)}`;

function required<T>(description: string, check: Check<T>): RequiredParam<T> {
  const read = (value: ConfigValue | undefined): ParamResult<T> => (value === undefined ? fail(`missing required key (${description})`) : check(value));
  return {
    description,
    optional: false,
    read,
    default: (fallback) => ({
      description: `${description}, default ${previewValue(fallback as ConfigValue)}`,
      optional: true,
      read: (value) => (value === undefined ? ok(cloneConfig(fallback as ConfigValue) as T) : read(value)),
    }),
    nullable: () => required<T | null>(`${description} or None`, (value) => (value === null ? ok(null) : check(value))),
    optionalKey: () => ({ description: `${description} (optional)`, optional: true, read: (value) => (value === undefined ? ok(undefined) : read(value)) }),
  };
}

function rangeText(kind: string, range: { min?: number; max?: number }): string {
  return `${kind}${range.min !== undefined ? ` >= ${range.min}` : ''}${range.max !== undefined ? ` <= ${range.max}` : ''}`;
}

function inRange(v: number, range: { min?: number; max?: number }): boolean {
  return (range.min === undefined || v >= range.min) && (range.max === undefined || v <= range.max);
}

/** Parameter kinds for {@link Registry.register}. */
export const param = {
  number(range: { min?: number; max?: number } = {}): RequiredParam<number> {
    const desc = rangeText('float', range);
    return required(desc, (v) => (typeof v === 'number' && inRange(v, range) ? ok(v) : fail(`expected ${desc}, ${got(v)}`)));
  },
  integer(range: { min?: number; max?: number } = {}): RequiredParam<number> {
    const desc = rangeText('int', range);
    return required(desc, (v) => (typeof v === 'number' && Number.isInteger(v) && inRange(v, range) ? ok(v) : fail(`expected ${desc}, ${got(v)}`)));
  },
  string(): RequiredParam<string> {
    return required('str', (v) => (typeof v === 'string' ? ok(v) : fail(`expected str, ${got(v)}`)));
  },
  /** One of the listed strings. */
  oneOf<const S extends string>(...choices: S[]): RequiredParam<S> {
    const desc = choices.map((c) => `'${c}'`).join(' | ');
    return required(desc, (v) => (typeof v === 'string' && (choices as string[]).includes(v) ? ok(v as S) : fail(`expected ${desc}, ${got(v)}`)));
  },
  boolean(): RequiredParam<boolean> {
    return required('bool', (v) => (typeof v === 'boolean' ? ok(v) : fail(`expected True or False, ${got(v)}`)));
  },
  /** A list (or tuple) whose items pass `item`, optionally of a fixed length. */
  array<T>(item: Param<T>, length?: number): RequiredParam<T[]> {
    const desc = `${length !== undefined ? `${length} x ` : 'list of '}${item.description}`;
    return required(desc, (v) => {
      if (!Array.isArray(v)) return fail(`expected ${desc}, ${got(v)}`);
      if (length !== undefined && v.length !== length) return fail(`expected ${desc}, got ${v.length} items`);
      const out: T[] = [];
      for (const [i, x] of v.entries()) {
        const r = item.read(x);
        if (!r.ok) return fail(`item ${i}: ${r.problem}`);
        out.push(r.value);
      }
      return ok(out);
    });
  },
  /** A nested config dict, passed on as it is (e.g. a sub-module's config built by another registry). */
  dict(): RequiredParam<ConfigDict> {
    return required('dict', (v) => (isConfigDict(v) ? ok(v) : fail(`expected a dict, ${got(v)}`)));
  },
  /** Any config value. */
  any(): RequiredParam<ConfigValue> {
    return required('any value', (v) => ok(v));
  },
};
