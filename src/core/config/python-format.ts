/**
 * Python's text for values: `str()`, `repr()` and `format(value, spec)` (the format-spec mini-language f-strings
 * use), exact to the digit. Reference: https://docs.python.org/3/library/string.html#format-specification-mini-language
 */
import type { ConfigValue } from './config-value.ts';

/**
 * Python's `f'{x:.Nf}'` for a float: the exact binary value rounded to N decimals, ties to even. JavaScript's
 * `toFixed` differs on exact ties (`(0.03125).toFixed(4)` is `0.0313`, Python prints `0.0312`), prints `-0` as
 * `0` and switches to exponent notation from 1e21, so the exact decimal is computed here with BigInt.
 * Reference: https://docs.python.org/3/library/string.html#format-specification-mini-language
 */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > MAX_PRECISION) throw new RangeError(`formatFixed: bad digits ${digits}`);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const { mantissa, exponent } = decompose(Math.abs(x));
  // |x| = mantissa * 2^exponent; scaled = |x| * 10^digits = num / den exactly.
  let num = mantissa * 10n ** BigInt(digits);
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  let q = num / den;
  const twiceRem = 2n * (num % den);
  if (twiceRem > den || (twiceRem === den && q % 2n === 1n)) q += 1n;
  let text = q.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, '0');
    text = `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  }
  return negative ? `-${text}` : text;
}

/** A finite, non-negative double as an integer mantissa and a power of two. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  if (x === 0) return { mantissa: 0n, exponent: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  // Subnormals have no implicit leading 1 and the exponent of the smallest normal.
  return biased === 0 ? { mantissa: fraction, exponent: -1074 } : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** Digits a precision may ask for (Python allows more; a config never needs them and they cost BigInt time). */
export const MAX_PRECISION = 100;

/** num / den rounded to an integer, ties to even. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twiceRem = 2n * (num % den);
  return twiceRem > den || (twiceRem === den && q % 2n === 1n) ? q + 1n : q;
}

/** A finite x > 0 rounded to `sig` significant digits (ties to even): the digits and the power of ten of the first. */
function significant(x: number, sig: number): { digits: string; exp: number } {
  const { mantissa, exponent } = decompose(x);
  let exp = Math.floor(Math.log10(x));
  for (;;) {
    // x * 10^(sig - 1 - exp) = num / den exactly.
    const shift = sig - 1 - exp;
    let num = mantissa * (shift > 0 ? 10n ** BigInt(shift) : 1n);
    let den = shift < 0 ? 10n ** BigInt(-shift) : 1n;
    if (exponent >= 0) num <<= BigInt(exponent);
    else den <<= BigInt(-exponent);
    const q = roundHalfEven(num, den);
    const text = q.toString();
    // log10's estimate can be one off, and rounding can carry into a new digit (9.99 -> 10.0).
    if (text.length > sig) {
      if (num / den >= 10n ** BigInt(sig)) {
        exp++;
        continue;
      }
      return { digits: text.slice(0, sig), exp: exp + 1 };
    }
    if (text.length < sig) {
      exp--;
      continue;
    }
    return { digits: text, exp };
  }
}

/** Python's `repr(float)`: the shortest text that reads back, in exponent form below 1e-4 and from 1e16. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // JavaScript's toExponential() with no argument gives the same shortest round-trip digits as Python's repr.
  const [mantissa, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp >= 0) return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, '0')}.${digits.slice(exp + 1) || '0'}`;
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** Python's `repr(str)`: single quotes unless the text has a single quote and no double one. */
export function stringRepr(text: string, asciiOnly = false): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || (asciiOnly && code > 0x7e)) {
      out += code <= 0xff ? `\\x${hex(code, 2)}` : code <= 0xffff ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
    } else out += ch;
  }
  return out + quote;
}

const hex = (code: number, width: number) => code.toString(16).padStart(width, '0');

/**
 * What the config values cannot say themselves: which arrays are tuples, and which integral numbers were written
 * as floats (`1.0` prints as `1.0`, `1` as `1`; a config value keeps only the number).
 */
export interface PythonTypes {
  isTuple(value: ConfigValue[]): boolean;
  /** Whether the number at `key` of `container` (or, with no container, the value itself) is a float. */
  isFloat(container: object | undefined, key: string | number | undefined): boolean;
}

/** Python's `repr()` of a config value. */
export function pythonRepr(value: ConfigValue, types: PythonTypes, float = types.isFloat(undefined, undefined), asciiOnly = false): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return float || !Number.isInteger(value) ? floatRepr(value) : String(value);
  if (typeof value === 'string') return stringRepr(value, asciiOnly);
  if (Array.isArray(value)) {
    const items = value.map((v, i) => pythonRepr(v, types, types.isFloat(value, i), asciiOnly));
    if (!types.isTuple(value)) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return `{${Object.entries(value).map(([k, v]) => `${stringRepr(k, asciiOnly)}: ${pythonRepr(v, types, types.isFloat(value, k), asciiOnly)}`).join(', ')}}`;
}

/** Python's `str()`: a string as itself, anything else as its repr. */
export function pythonStr(value: ConfigValue, types: PythonTypes, float = types.isFloat(undefined, undefined)): string {
  return typeof value === 'string' ? value : pythonRepr(value, types, float);
}

/** A bad format spec, in Python's words (the caller adds where). */
export class FormatSpecError extends Error {
  override name = 'FormatSpecError';
}

const SPEC_RE = /^(?:([\s\S])?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/u;

/** Python's `format(value, spec)`; `float` says whether a number is a float. Throws {@link FormatSpecError}. */
export function pythonFormat(value: ConfigValue, spec: string, types: PythonTypes, float = types.isFloat(undefined, undefined)): string {
  if (spec === '') return pythonStr(value, types, float);
  const m = SPEC_RE.exec(spec);
  if (!m) throw new FormatSpecError(`invalid format specifier '${spec}'`);
  const [, fillChar, align, sign, z, alt, zero, widthText, grouping, precisionText, type] = m;
  const width = widthText === undefined ? 0 : Number(widthText);
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  if (width > 10_000) throw new FormatSpecError(`format width ${width} is too large (at most 10000 in a config)`);
  if (precision !== undefined && precision > MAX_PRECISION) throw new FormatSpecError(`format precision ${precision} is too large (at most ${MAX_PRECISION} in a config)`);
  if (value === null || typeof value === 'object') {
    const typeName = value === null ? 'NoneType' : Array.isArray(value) ? (types.isTuple(value) ? 'tuple' : 'list') : 'dict';
    throw new FormatSpecError(`unsupported format string passed to ${typeName}.__format__`);
  }
  const pad = (body: string, signText: string, defaultAlign: string): string => {
    const fill = fillChar ?? (zero && !align ? '0' : ' ');
    const how = align ?? (zero ? '=' : defaultAlign);
    const missing = width - [...signText].length - [...body].length;
    if (missing <= 0) return signText + body;
    const filler = (n: number) => fill.repeat(n);
    if (how === '<') return signText + body + filler(missing);
    if (how === '>') return filler(missing) + signText + body;
    if (how === '=') return signText + filler(missing) + body;
    const left = Math.floor(missing / 2);
    return filler(left) + signText + body + filler(missing - left);
  };
  // With '0' padding and grouping, Python pads with grouped zeros ('00_000_255'), not plain ones.
  const zeroPadWidth = (signText: string) => (zero && !align && !fillChar ? width - signText.length : 0);
  if (typeof value === 'string') {
    if (type !== undefined && type !== 's') throw new FormatSpecError(`Unknown format code '${type}' for object of type 'str'`);
    if (sign) throw new FormatSpecError('Sign not allowed in string format specifier');
    if (alt) throw new FormatSpecError('Alternate form (#) not allowed in string format specifier');
    if (grouping) throw new FormatSpecError(`Cannot specify '${grouping}' with 's'.`);
    if (align === '=') throw new FormatSpecError("'=' alignment not allowed in string format specifier");
    const chars = [...value];
    return pad(precision === undefined ? value : chars.slice(0, precision).join(''), '', '<');
  }
  const x = typeof value === 'boolean' ? Number(value) : value;
  const isFloat = typeof value === 'number' && (float || !Number.isInteger(value));
  const intTypes = 'bcdoxXn';
  if (type === 's') throw new FormatSpecError(`Unknown format code 's' for object of type '${isFloat ? 'float' : 'int'}'`);
  if (isFloat && type !== undefined && intTypes.includes(type) && type !== 'n') throw new FormatSpecError(`Unknown format code '${type}' for object of type 'float'`);
  if (!isFloat && (type === undefined || intTypes.includes(type))) {
    if (precision !== undefined) throw new FormatSpecError('Precision not allowed in integer format specifier');
    if (type === 'c') throw new FormatSpecError("format code 'c' is not supported in configs");
    const negative = x < 0;
    const radix = type === 'b' ? 2 : type === 'o' ? 8 : type === 'x' || type === 'X' ? 16 : 10;
    if (grouping === ',' && radix !== 10) throw new FormatSpecError(`Cannot specify ',' with '${type}'.`);
    let body = BigInt(Math.abs(x)).toString(radix);
    if (type === 'X') body = body.toUpperCase();
    const prefix = alt && radix !== 10 ? `0${type === 'X' ? 'X' : type}` : '';
    const signText = (negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '') + prefix;
    if (grouping) body = zeroPaddedGroups(body, '', grouping, radix === 10 ? 3 : 4, zeroPadWidth(signText));
    return pad(body, signText, '>');
  }
  // Floats, and ints under a float presentation type.
  let magnitude = Math.abs(x);
  let negative = x < 0 || Object.is(x, -0);
  let body: string;
  const upper = type === 'E' || type === 'F' || type === 'G';
  if (!Number.isFinite(x)) {
    body = Number.isNaN(x) ? 'nan' : 'inf';
    negative = x < 0;
    if (upper) body = body.toUpperCase();
  } else {
    if (type === '%') magnitude *= 100;
    switch (type) {
      case 'e':
      case 'E':
        body = exponentForm(magnitude, precision ?? 6, Boolean(alt), type);
        break;
      case 'f':
      case 'F':
      case '%':
        body = formatFixed(magnitude, precision ?? 6);
        if (alt && !body.includes('.')) body += '.';
        break;
      default: {
        // 'g', 'G', 'n', or none: general format; none with no precision is repr.
        if (type === undefined && precision === undefined) {
          body = floatRepr(magnitude);
          break;
        }
        const p = precision === undefined ? 6 : Math.max(precision, 1);
        const exp = magnitude === 0 ? 0 : significant(magnitude, p).exp;
        // With no type, Python switches to exponent form one digit earlier and keeps a '.0'.
        const fixed = exp >= -4 && exp < (type === undefined ? p - 1 : p);
        if (fixed) {
          body = formatFixed(magnitude, Math.max(p - 1 - exp, 0));
          if (!alt && body.includes('.')) body = body.replace(/\.?0+$/, '');
          if (type === undefined && !body.includes('.')) body += '.0';
        } else {
          body = exponentForm(magnitude, p - 1, Boolean(alt), upper ? 'E' : 'e');
          if (!alt) body = body.replace(/\.?0+e/, 'e').replace(/\.?0+E/, 'E');
        }
      }
    }
    if (z && Number(body.replace(/[^0-9]/g, '')) === 0) negative = false;
    if (type === '%') body += '%';
  }
  const signText = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  if (grouping && Number.isFinite(x)) {
    const dot = body.search(/[.eE%]/);
    body = zeroPaddedGroups(dot < 0 ? body : body.slice(0, dot), dot < 0 ? '' : body.slice(dot), grouping, 3, zeroPadWidth(signText));
  }
  return pad(body, signText, '>');
}

function exponentForm(x: number, decimals: number, alt: boolean, e: string): string {
  if (x === 0) return `0${decimals > 0 ? `.${'0'.repeat(decimals)}` : alt ? '.' : ''}${e}+00`;
  const { digits, exp } = significant(x, decimals + 1);
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : alt ? `${digits}.` : digits;
  return `${mantissa}${e}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Groups the integer digits, first adding leading zeros while the result (with `rest`) is narrower than `width`. */
function zeroPaddedGroups(digits: string, rest: string, separator: string, every: number, width: number): string {
  let grouped = group(digits, separator, every);
  while (grouped.length + rest.length < width) {
    digits = `0${digits}`;
    grouped = group(digits, separator, every);
  }
  return grouped + rest;
}

function group(digits: string, separator: string, every: number): string {
  let out = '';
  for (let i = digits.length; i > 0; i -= every) out = digits.slice(Math.max(0, i - every), i) + (out ? separator + out : '');
  return out;
}
