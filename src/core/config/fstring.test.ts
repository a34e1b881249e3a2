// f-strings in configs (issue 16): parsed, never executed, and printed exactly as Python prints them. The reference
// is Python itself: MMCV's Config runs a .py config, so `python3` running the same text gives what MMCV would read.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import type { ConfigDict } from './config-value.ts';
import { evaluatePythonConfig } from './python-evaluator.ts';
import { parsePythonConfig } from './python-parser.ts';

const run = (source: string): ConfigDict => evaluatePythonConfig(parsePythonConfig(source, 'cfg.py'));

/** Each config's module-level names as Python computes them (one python3 process for all). */
function pythonValues(sources: string[]): ConfigDict[] {
  const program = [
    'import json, sys',
    'out = []',
    'for src in json.load(sys.stdin):',
    '    ns = {}',
    '    exec(src, {}, ns)',
    "    out.append({k: v for k, v in ns.items() if not k.startswith('__')})",
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', program], { input: JSON.stringify(sources), encoding: 'utf8' })) as ConfigDict[];
}

const CONFIGS = [
  // MMTracking's own use (configs/mot/tracktor/tracktor_faster-rcnn_r50_fpn_4e_mot17-public.py).
  "data_root = 'data/MOT17/'\ntest_set = 'test'\ndata = dict(test=dict(ann_file=data_root + f'annotations/{test_set}_cocoformat.json', img_prefix=data_root + test_set))",
  // Names bind in order: a field sees the value at its line, as Python does.
  "x = 1\na = f'{x}'\nx = 2\nb = f'{x}' f'-{x}' '-{x}'",
  // Subscripts, slices, arithmetic, tuples and containers inside fields; adjacent strings join.
  "s = [1, 2.0, 3]\nd = {'k': (4, 5.5)}\na = f'{s[1]}|{s[-1]}|{s[0:2]}|{d}|{d[\"k\"]}|{d[\"k\"][1] * 2}|{1 / 4}|{7 // 2}|{2 ** 3}|{-s[0]}'",
  "t = (1,)\nu = ()\nn = None\nb = True\na = f'{t} {u} {n} {b} {[t, u]} {1, 2}'",
  // Floats written as floats print as floats, through names, dicts, lists and their copies.
  "lr = 1.0\nopt = dict(lr=lr, momentum=0.9, step=[8, 11.0])\nopt2 = dict(**opt)\nl2 = opt['step'] + [2.0] * 2\na = f'{lr} {opt} {opt2[\"lr\"]} {l2} {l2[1:]} {l2[-1]} {1e16} {1e-5} {123456789012345678.0} {0.1 + 0.2} {-0.0} {2.5e-7}'",
  // Conversions, the '=' form, braces and escapes.
  "name = \"it's\"\nx = 3\na = f'{name!r} {name!s} {name!a} {\"é\"!a} {x=} {x = } {x=:5} {x=!s} {{literal}} {{{x}}} \\t|'",
  "a = rf'\\d{1}\\n'\nb = F'''multi\n{1 +\n 2}\nline'''\nc = f\"{'q'}\" f'{\"\"}'",
  // Format specs: fill, align, sign, zero padding, width, grouping, precision and every presentation type.
  "v = 1234.5678\ni = -42\na = [f'{v:.2f}', f'{v:10.3f}', f'{v:<12.1f}|', f'{v:^12.1e}', f'{v:+,.2f}', f'{v:_.3f}', f'{v:e}', f'{v:E}', f'{v:.3g}', f'{v:g}', f'{v:G}', f'{v:%}', f'{v:.1%}', f'{v:012.2f}', f'{v:*>15,.1f}', f'{v:.0f}', f'{v:#.0f}', f'{v:.3}', f'{v:10}', f'{v:.10g}']",
  "i = -42\nn = 255\na = [f'{i:5d}', f'{i:05}', f'{i:+}', f'{n: }', f'{n:b}', f'{n:#o}', f'{n:x}', f'{n:#X}', f'{n:_b}', f'{1234567:,}', f'{n:.2f}', f'{n:e}', f'{n:%}', f'{n:g}', f'{n:=^9}', f'{n:010_}', f'{n:09,}', f'{-1234.5:012,.1f}', f'{n:#012_x}', f'{1:06,}', f'{True:>5}', f'{True}', f'{False:d}', f'{n:n}']",
  "s = 'abc'\nw = 8\np = 2\na = [f'{s:>6}', f'{s:*<6}', f'{s:^7}', f'{s:.2}', f'{s:{w}}|', f'{s:{\"-\"}>{w}.{p}}', f'{3.14159:{w}.{p}f}', f'{s!r:>8}', f'{[1, 2]!s:>10}']",
  // Exact rounding: ties to even on the binary value, carries, tiny and huge values.
  "a = [f'{0.125:.2f}', f'{0.375:.2f}', f'{2.5:.0f}', f'{3.5:.0f}', f'{9.9999:.3f}', f'{9.9999:.3e}', f'{0.00001234:g}', f'{1e16:g}', f'{1e-300:.3e}', f'{1.7976931348623157e308:.2e}', f'{5e-324:g}', f'{123456.0:.2g}', f'{0.0:e}', f'{0.0:g}', f'{0.0:.3}', f'{-0.0:.1f}', f'{-0.0:z.1f}', f'{-0.00001:z.2f}', f'{1e400:f}', f'{-1e400:E}', f'{1e400 - 1e400:F}']",
];

describe('f-strings', () => {
  const expected = pythonValues(CONFIGS);
  it.each(CONFIGS.map((source, i) => [i, source] as const))('config %d prints what Python prints', (i, source) => {
    expect(run(source)).toEqual(expected[i]);
  });

  it('the f-string MMTracking configs use evaluates with the file’s own names', () => {
    expect(run(CONFIGS[0] as string)).toMatchObject({ data: { test: { ann_file: 'data/MOT17/annotations/test_cocoformat.json', img_prefix: 'data/MOT17/test' } } });
  });

  it.each([
    ["a = f'{x}'", "cfg.py:1:8: name 'x' is not defined"],
    ["a = f'{}'", 'cfg.py:1:8: f-string: empty expression not allowed'],
    ["a = f'{1'", "cfg.py:1:9: f-string: expecting '}' (an expression inside an f-string cannot use the f-string's own quote (') inside: use the other quote)"],
    ["a = f'}'", "cfg.py:1:7: f-string: single '}' is not allowed (write '}}' for a brace)"],
    ["a = f'{1!x}'", "cfg.py:1:10: f-string: invalid conversion character: expected 's', 'r', or 'a'"],
    ["a = f'{1 # c}'", "cfg.py:1:10: f-string expression part cannot include '#'"],
    ["a = f'{\"\\n\"}'", 'cfg.py:1:9: f-string expression part cannot include a backslash'],
    ["a = f'{x.y}'", 'cfg.py:1:9: attribute access (a.b) is not supported: configs are parsed, never executed'],
    ["a = f'{open(1)}'", "cfg.py:1:8: only dict(...) can be called in a config, not 'open(...)': configs are parsed, never executed"],
    ["a = f'{__import__(\"os\")}'", "cfg.py:1:8: only dict(...) can be called in a config, not '__import__(...)': configs are parsed, never executed"],
    ["a = f'{1:q}'", "cfg.py:1:8: f-string: invalid format specifier 'q'"],
    ["a = f'{\"s\":d}'", "cfg.py:1:8: f-string: Unknown format code 'd' for object of type 'str'"],
    ["a = f'{1.5:x}'", "cfg.py:1:8: f-string: Unknown format code 'x' for object of type 'float'"],
    ["a = f'{None:>3}'", 'cfg.py:1:8: f-string: unsupported format string passed to NoneType.__format__'],
    ["a = f'{1:.2d}'", 'cfg.py:1:8: f-string: Precision not allowed in integer format specifier'],
    ["a = f'{1:99999}'", 'cfg.py:1:8: f-string: format width 99999 is too large (at most 10000 in a config)'],
    ["a = f'{1:{2:{3}}}'", 'cfg.py:1:12: f-string: a format spec nested this deep is not supported'],
    ["a = f'{1 2}'", "cfg.py:1:10: expected the end of the f-string's expression, found '2'"],
    ["a = f'{(}'", "cfg.py:1:10: f-string: expecting '}' (an expression inside an f-string cannot use the f-string's own quote (') inside: use the other quote)"],
  ])('%s is refused: %s', (source, message) => {
    let error: unknown;
    try {
      run(source);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message.split('\n')[0]).toBe(message);
  });

  it('an f-string cannot build a value past the string limit', () => {
    expect(() => run("s = 'a' * 9000000\na = f'{s}{s}'")).toThrow(/this string would have 18000000 characters/);
  });
});
