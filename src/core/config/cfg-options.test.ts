import { describe, expect, it } from 'vitest';
import { applyCfgOptions, parseCfgOptions, parseCfgOptionValue, splitCfgOptionsText } from './cfg-options.ts';
import type { ConfigDict } from './config-value.ts';

describe('parseCfgOptionValue (MMCV DictAction._parse_iterable)', () => {
  it('parses ints, floats, booleans and None like Python int()/float()', () => {
    const cases: [string, unknown][] = [
      ['1', 1], ['-3', -3], ['+7', 7], ['007', 7], ['1_000', 1000],
      ['0.5', 0.5], ['1e-3', 0.001], ['.5', 0.5], ['5.', 5], ['-2.5E2', -250], ['1_0.5', 10.5],
      ['inf', Infinity], ['-Infinity', -Infinity], ['NaN', NaN],
      ['True', true], ['false', false], ['TRUE', true], ['None', null],
    ];
    for (const [text, value] of cases) expect(parseCfgOptionValue(text), text).toEqual(value);
  });

  it('keeps everything else as a string: none, 0x10, names, paths, empty', () => {
    const cases: [string, unknown][] = [
      ['none', 'none'], ['0x10', '0x10'], ['LoadImageFromWebcam', 'LoadImageFromWebcam'], ['data/MOT17/', 'data/MOT17/'],
      ['', ''], ['1__0', '1__0'], ['_1', '_1'], ['1.2.3', '1.2.3'],
    ];
    for (const [text, value] of cases) expect(parseCfgOptionValue(text), text).toEqual(value);
  });

  it('strips surrounding quotes and removes every space, as MMCV does', () => {
    expect(parseCfgOptionValue("'abc'")).toBe('abc');
    expect(parseCfgOptionValue('"\'1\'"')).toBe(1);
    expect(parseCfgOptionValue('hello world')).toBe('helloworld');
  });

  it('parses lists and tuples, nested, and bare comma lists', () => {
    expect(parseCfgOptionValue('[1,2,3]')).toEqual([1, 2, 3]);
    expect(parseCfgOptionValue('(1,2)')).toEqual([1, 2]);
    expect(parseCfgOptionValue('[(train,1),(val,1)]')).toEqual([['train', 1], ['val', 1]]);
    expect(parseCfgOptionValue('"[(a,b),(c,d)]"')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseCfgOptionValue('[[1,[2,3]],4]')).toEqual([[1, [2, 3]], 4]);
    expect(parseCfgOptionValue('a,b')).toEqual(['a', 'b']);
    expect(parseCfgOptionValue('[]')).toEqual([]);
    expect(parseCfgOptionValue('[1,]')).toEqual([1]);
    expect(parseCfgOptionValue('[ 1 , 2 ]')).toEqual([1, 2]);
  });

  it('rejects imbalanced brackets', () => {
    expect(() => parseCfgOptionValue('[(1,2],3]')).toThrow(/imbalanced brackets/);
  });
});

describe('parseCfgOptions', () => {
  it('splits at the first = only', () => {
    expect(parseCfgOptions(['a.b=x=y', 'c=1'])).toEqual([
      { key: 'a.b', value: 'x=y', text: 'a.b=x=y' },
      { key: 'c', value: 1, text: 'c=1' },
    ]);
  });

  it('rejects an option without =, an empty key part, and __proto__', () => {
    expect(() => parseCfgOptions(['model.lr'])).toThrow("--cfg-options 'model.lr': expected KEY=VALUE");
    expect(() => parseCfgOptions(['a..b=1'])).toThrow("--cfg-options 'a..b=1': the key 'a..b' has an empty part");
    expect(() => parseCfgOptions(['=1'])).toThrow(/has an empty part/);
    expect(() => parseCfgOptions(['__proto__.x=1'])).toThrow("'__proto__' cannot be used as a config key");
    expect(() => parseCfgOptions(['a=[1,(2]'])).toThrow("--cfg-options 'a=[1,(2]': imbalanced brackets");
  });
});

describe('applyCfgOptions (Config.merge_from_dict with list keys)', () => {
  const cfg: ConfigDict = {
    model: { backbone: { norm_eval: true, depth: 50 } },
    data: { train: { pipeline: [{ type: 'LoadImageFromFile' }, { type: 'Resize', img_scale: [1333, 800] }] } },
    workflow: [['train', 1]],
    optimizer: { lr: 0.02 },
  };
  const apply = (...options: string[]) => applyCfgOptions(cfg, parseCfgOptions(options));

  it('updates keys of dict chains (the tutorial examples)', () => {
    expect(apply('model.backbone.norm_eval=False').model).toEqual({ backbone: { norm_eval: false, depth: 50 } });
    expect(apply('data.train.pipeline.0.type=LoadImageFromWebcam').data).toEqual({
      train: { pipeline: [{ type: 'LoadImageFromWebcam' }, { type: 'Resize', img_scale: [1333, 800] }] },
    });
    expect(apply('workflow=[(train,1),(val,1)]').workflow).toEqual([['train', 1], ['val', 1]]);
  });

  it('replaces a list inside a list item and creates missing keys', () => {
    const out = apply('data.train.pipeline.1.img_scale=(640,480)', 'model.neck.type=FPN', 'new_key=1');
    expect(out.data).toMatchObject({ train: { pipeline: [{}, { type: 'Resize', img_scale: [640, 480] }] } });
    expect(out.model).toEqual({ backbone: { norm_eval: true, depth: 50 }, neck: { type: 'FPN' } });
    expect(out.new_key).toBe(1);
  });

  it('applies options in order (a later one wins) without changing the input', () => {
    const before = JSON.stringify(cfg);
    expect(apply('optimizer.lr=0.1', 'optimizer.lr=0.2').optimizer).toEqual({ lr: 0.2 });
    expect(JSON.stringify(cfg)).toBe(before);
  });

  it('names the option on errors', () => {
    expect(() => apply('optimizer.lr.x=1')).toThrow("--cfg-options 'optimizer.lr.x=1': optimizer.lr is float 0.02 in the config, so it has no 'x' to set");
    expect(() => apply('data.train.pipeline.5.type=X')).toThrow("--cfg-options 'data.train.pipeline.5.type=X': index 5 exceeds the length of the list data.train.pipeline (length 2)");
    expect(() => apply('data.train.pipeline.type=X')).toThrow(/data\.train\.pipeline is a list in the base config; 'type' is not an index into it \(use data\.train\.pipeline\.0\.\.\.\)/);
  });
});

describe('splitCfgOptionsText (shell-like splitting for the app)', () => {
  it('splits on whitespace and removes shell quotes', () => {
    expect(splitCfgOptionsText('  a=1   workflow="[(train,1),(val,1)]"\tb=\'x y\' c=d\\ e ')).toEqual(['a=1', 'workflow=[(train,1),(val,1)]', 'b=x y', 'c=d e']);
    expect(splitCfgOptionsText('')).toEqual([]);
    expect(splitCfgOptionsText('a="say \\"hi\\""')).toEqual(['a=say "hi"']);
  });

  it('rejects an unterminated quote', () => {
    expect(() => splitCfgOptionsText('a="[1,2]')).toThrow(/unterminated " quote/);
  });
});
