import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import type { ConfigDict } from './config-value.ts';
import { configOrigin, evaluatePythonConfig } from './python-evaluator.ts';
import { parsePythonConfig } from './python-parser.ts';

const run = (source: string): ConfigDict => evaluatePythonConfig(parsePythonConfig(source, 'cfg.py'));

/** The ConfigError thrown by `fn` (fails the test when nothing is thrown). */
function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('literals', () => {
  it('reads ints, floats, bools and None', () => {
    expect(run('a = 1\nb = -2\nc = 0.5\nd = 1e-05\ne = 1.\nf = .25\ng = 1_000\nh = 0x1F\ni = 0o17\nj = 0b101\nk = True\nl = False\nm = None\nn = 2E3\no = 0')).toEqual({
      a: 1, b: -2, c: 0.5, d: 1e-5, e: 1, f: 0.25, g: 1000, h: 31, i: 15, j: 5, k: true, l: false, m: null, n: 2000, o: 0,
    });
  });

  it('reads single, double and triple quoted strings with escapes', () => {
    const cfg = run(String.raw`a = 'single'
b = "double \"quoted\""
c = '''triple
line'''
d = """it's"""
e = 'tab\there\nnew \x41\u00e9 \101 \q'
f = r'raw\n\d'
g = u'unicode'
h = 'it\'s'
`);
    expect(cfg).toEqual({
      a: 'single', b: 'double "quoted"', c: 'triple\nline', d: "it's", e: 'tab\there\nnew Aé A \\q', f: 'raw\\n\\d', g: 'unicode', h: "it's",
    });
  });

  it('concatenates adjacent string literals, across lines inside brackets', () => {
    expect(run("a = ('https://download.openmmlab.com/'\n     'mmtracking/x.pth')\nb = 'x' \"y\" '''z'''")).toEqual({ a: 'https://download.openmmlab.com/mmtracking/x.pth', b: 'xyz' });
  });

  it('joins lines with a backslash and inside brackets, and skips comments everywhere', () => {
    const cfg = run(`# leading comment
a = 1 + \\
    2  # trailing
b = [  # open
    1,  # one
    # a comment line inside brackets
    2,
]
c = dict(  # noqa
    x=1,
    y=  # noqa: E251
    'z')
`);
    expect(cfg).toEqual({ a: 3, b: [1, 2], c: { x: 1, y: 'z' } });
  });

  it('accepts a BOM, CRLF line ends, semicolons, docstrings and chained assignment', () => {
    expect(run('\uFEFF"""Module docstring."""\r\na = 1; b = 2;\r\nc = d = [3]\r\n')).toEqual({ a: 1, b: 2, c: [3], d: [3] });
  });
});

describe('containers', () => {
  it('makes arrays of lists and tuples, including empty and one-element tuples', () => {
    expect(run('a = [1, 2, 3]\nb = (1, 2)\nc = (3, )\nd = ()\ne = []\nf = (4)\ng = 1, 2\nh = [(1, 2), [3, (4,)]]')).toEqual({
      a: [1, 2, 3], b: [1, 2], c: [3], d: [], e: [], f: 4, g: [1, 2], h: [[1, 2], [3, [4]]],
    });
  });

  it('builds dicts from dict(...) and {...}, with **spread and trailing commas', () => {
    const cfg = run(`norm = dict(mean=[1, 2], to_rgb=True)
a = dict(type='Normalize', **norm)
b = {'type': 'Pad', 'size_divisor': 32, }
c = {**norm, 'to_rgb': False}
d = dict(norm, to_rgb=False)
e = dict()
f = {}
g = dict([('k', 1), ('j', 2)])
`);
    expect(cfg).toEqual({
      norm: { mean: [1, 2], to_rgb: true },
      a: { type: 'Normalize', mean: [1, 2], to_rgb: true },
      b: { type: 'Pad', size_divisor: 32 },
      c: { mean: [1, 2], to_rgb: false },
      d: { mean: [1, 2], to_rgb: false },
      e: {},
      f: {},
      g: { k: 1, j: 2 },
    });
  });

  it('keeps key order as written and re-binding keeps the first position', () => {
    const cfg = run('z = 1\na = dict(y=1, b=2)\nz = 3');
    expect(Object.keys(cfg)).toEqual(['z', 'a']);
    expect(cfg.z).toBe(3);
    expect(Object.keys(cfg.a as ConfigDict)).toEqual(['y', 'b']);
  });

  it('records where each dict and list was written', () => {
    const cfg = run('a = 1\nmodel = dict(\n    backbone=dict(depth=50),\n    strides=[1, 2])');
    const model = cfg.model as ConfigDict;
    expect(configOrigin(model)).toEqual({ file: 'cfg.py', line: 2, col: 9 });
    expect(configOrigin(model.backbone)).toEqual({ file: 'cfg.py', line: 3, col: 14 });
    expect(configOrigin(model.strides)).toEqual({ file: 'cfg.py', line: 4, col: 13 });
  });
});

describe('names and operators', () => {
  it('uses names bound earlier in the file', () => {
    const cfg = run("data_root = 'data/MOT17/'\nann = data_root + 'annotations/train.json'\nsize = 127\nmodel = dict(exemplar_size=size, target=[size, 255])");
    expect(cfg.ann).toBe('data/MOT17/annotations/train.json');
    expect(cfg.model).toEqual({ exemplar_size: 127, target: [127, 255] });
  });

  it('follows Python arithmetic: true division, floor division, modulo sign, power, precedence', () => {
    expect(run('a = 1.0 / 3\nb = 1.0 / 9.0\nc = 7 // 2\nd = -7 // 2\ne = -7 % 3\nf = 2 ** 3 ** 2\ng = -2 ** 2\nh = 2 + 3 * 4 - 1\ni = (2 + 3) * 4\nj = 10 / 4\nk = 2 ** -1\nl = --3\nm = +4')).toEqual({
      a: 0.3333333333333333, b: 0.1111111111111111, c: 3, d: -4, e: 2, f: 512, g: -4, h: 13, i: 20, j: 2.5, k: 0.5, l: 3, m: 4,
    });
  });

  it('adds and repeats strings and lists like Python', () => {
    expect(run("a = 'ab' + 'cd'\nb = [1] + [2, 3]\nc = (1,) + (2,)\nd = 'ab' * 2\ne = [0] * 3\nf = 2 * [dict(x=1)]\ng = [1] * 0")).toEqual({
      a: 'abcd', b: [1, 2, 3], c: [1, 2], d: 'abab', e: [0, 0, 0], f: [{ x: 1 }, { x: 1 }], g: [],
    });
  });

  it('subscripts lists, tuples, strings and dicts', () => {
    expect(run("s = (800, 1440)\na = s[0]\nb = s[-1]\nc = (-s[0] // 2, -s[1] // 2)\nd = dict(k='v')['k']\ne = 'abc'[1]")).toMatchObject({ a: 800, b: 1440, c: [-400, -720], d: 'v', e: 'b' });
  });

  it('slices lists, tuples and strings like Python (the youtube_vis dataset_version idiom)', () => {
    expect(run("root = 'data/youtube_vis_2019/'\nv = root[-5:-1]\nl = [0, 1, 2, 3, 4]\na = l[1:3]\nb = l[:2]\nc = l[3:]\nd = l[::-1]\ne = l[::2]\nf = l[-100:100]\ng = l[4:1:-2]\nh = (1, 2, 3)[1:] + (4,)\ni = l[None:1]")).toMatchObject({
      v: '2019', a: [1, 2], b: [0, 1], c: [3, 4], d: [4, 3, 2, 1, 0], e: [0, 2, 4], f: [0, 1, 2, 3, 4], g: [4, 2], h: [2, 3, 4], i: [0],
    });
  });

  it('drops names starting with __ like MMCV', () => {
    expect(run('__private = 1\n_single = 2\nx = __private')).toEqual({ _single: 2, x: 1 });
  });

  it('substitutes MMCV predefined variables inside strings', () => {
    const cfg = evaluatePythonConfig(parsePythonConfig("a = '{{ fileDirname }}/x'\nb = '{{fileBasename}}|{{ fileBasenameNoExtension }}|{{ fileExtname }}'", 'configs/mot/a.b.py'));
    expect(cfg).toEqual({ a: 'configs/mot/x', b: 'a.b.py|a.b|.py' });
  });
});

describe('errors name the file, line and column and show the offending text', () => {
  const cases: [string, string, string, number, number][] = [
    // [title, source, message fragment, line, col]
    ['import', 'import os\na = 1', "'import' statements are not supported", 1, 1],
    ['from import', 'from x import y', "'from' statements are not supported", 1, 1],
    ['if block', 'a = 1\nif a:\n    b = 2', "'if' statements are not supported", 2, 1],
    ['def', 'def f():\n    pass', "'def' statements are not supported", 1, 1],
    ['unexpected indent', 'a = 1\n    b = 2', 'unexpected indent', 2, 5],
    ['function call', "a = list((1, 2))", "only dict(...) can be called in a config, not 'list(...)'", 1, 5],
    ['method call', "a = 'x'.upper()", 'attribute access', 1, 8],
    ['attribute', 'import_x = 1\na = import_x.y', 'attribute access', 2, 13],
    ['undefined name', 'a = b', "name 'b' is not defined", 1, 5],
    ['f-string with an undefined name', "a = f'{x}'", "name 'x' is not defined", 1, 8],
    ['bytes', "a = b'x'", 'bytes literals', 1, 5],
    ['complex', 'a = 1j', 'complex number literals', 1, 5],
    ['leading zero', 'a = 012', 'leading zeros', 1, 5],
    ['unterminated string', "a = 'abc\nb = 1", 'unterminated string literal', 1, 5],
    ['unterminated triple', "a = '''abc\nb = 1", 'unterminated triple-quoted string literal', 1, 5],
    ['unclosed bracket', 'a = dict(x=1,\nb = 2', "'(' was never closed", 1, 9],
    ['mismatched bracket', 'a = [1, 2)', "closing ')' does not match '['", 1, 10],
    ['unmatched bracket', 'a = 1)', "unmatched ')'", 1, 6],
    ['non-ASCII character', "a = dict(style='pytorch'\u00ef\u00bc\u0152 x=1)", "unexpected character '\u00ef' (U+00EF)", 1, 25],
    ['comprehension', 'a = [i for i in x]', 'comprehensions are not supported', 1, 8],
    ['conditional', 'a = 1 if b else 2', 'conditional expressions', 1, 7],
    ['lambda', 'a = lambda x: x', 'lambda expressions are not supported', 1, 5],
    ['comparison', 'a = 1 == 2', "comparison operators ('==')", 1, 7],
    ['boolean operator', 'a = True and False', "boolean operators ('and')", 1, 10],
    ['set literal', 'a = {1, 2}', 'set literals are not supported', 1, 6],
    ['non-string key', 'a = {1: 2}', 'config dict keys must be strings', 1, 6],
    ['slice step zero', 'a = [1, 2]\nb = a[::0]', 'slice step cannot be zero', 2, 6],
    ['slice of a dict', 'a = dict()\nb = a[1:]', "'dict' object is not subscriptable", 2, 6],
    ['augmented assignment', 'a = 1\na += 1', "augmented assignment ('+=')", 2, 3],
    ['tuple unpacking', 'a, b = 1, 2', 'tuple unpacking', 1, 1],
    ['assign to subscript', "a = dict()\na['x'] = 1", 'only plain names can be assigned', 2, 2],
    ['bare expression', 'a = 1\na', "expected an assignment 'name = value'", 2, 1],
    ['repeated keyword', 'a = dict(x=1, x=2)', "keyword argument repeated: 'x'", 1, 15],
    ['repeated key through **', 'b = dict(x=1)\na = dict(x=2, **b)', "dict() got multiple values for keyword argument 'x'", 2, 15],
    ['** of a non-dict', 'b = [1]\na = dict(**b)', '** needs a dict, got list', 2, 10],
    ['string plus number', "a = 'x' + 1", "unsupported operand types for +: 'str' and 'int'", 1, 9],
    ['tuple plus list', 'a = (1,) + [2]', "unsupported operand types for +: 'tuple' and 'list'", 1, 10],
    ['division by zero', 'a = 1 / 0', 'division by zero', 1, 7],
    ['index out of range', 'a = [1][3]', 'index 3 out of range', 1, 8],
    ['missing dict key', "a = dict(x=1)['y']", "KeyError: 'y'", 1, 14],
    ['string formatting', "a = 'x%d' % 3", 'printf-style string formatting', 1, 11],
    ['keyword as value', 'a = pass', "'pass' is a Python keyword", 1, 5],
    ['ellipsis', 'a = dict(...)', 'Ellipsis', 1, 10],
    ['base ref without bases', 'a = {{ _base_.model }}', 'has no _base_', 1, 5],
    ['unknown escape of \\N', String.raw`a = '\N{DASH}'`, '\\N{...} escapes are not supported', 1, 6],
    ['huge integer', 'a = 123456789012345678901', 'too large to represent exactly', 1, 5],
    ['stray backslash', 'a = 1 \\ 2', 'unexpected character after line continuation', 1, 7],
  ];
  for (const [title, source, fragment, line, col] of cases) {
    it(title, () => {
      const err = errorOf(() => run(source));
      expect(err.problem).toContain(fragment);
      expect(err.location).toEqual({ file: 'cfg.py', line, col });
      expect(err.message.startsWith(`cfg.py:${line}:${col}: `)).toBe(true);
      // The offending line is quoted with a caret under the column.
      const srcLine = source.replace(/\r\n?/g, '\n').split('\n')[line - 1] as string;
      expect(err.message).toContain(`${line} | ${srcLine}`);
      const caretLine = err.message.split('\n').at(-1) as string;
      expect(caretLine.indexOf('^')).toBe(err.message.split('\n').at(-2)!.indexOf(srcLine) + col - 1);
    });
  }
});
