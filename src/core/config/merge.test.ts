import { describe, expect, it } from 'vitest';
import type { ConfigDict, ConfigValue } from './config-value.ts';
import { mergeConfig, stripDeleteKeys } from './merge.ts';

const fail = (problem: string): never => {
  throw new Error(problem);
};
const merge = (child: ConfigDict, base: ConfigDict, allowListKeys = false) => mergeConfig(child, base, { fail, allowListKeys });

describe('mergeConfig (MMCV _merge_a_into_b)', () => {
  const base: ConfigDict = {
    model: { type: 'FasterRCNN', backbone: { type: 'ResNet', depth: 50, norm_cfg: { type: 'BN' } }, strides: [4, 8] },
    lr: 0.02,
    workflow: [['train', 1]],
  };

  it('merges dicts recursively, keeping base keys the child leaves out', () => {
    const out = merge({ model: { backbone: { depth: 101 } } }, base);
    expect(out.model).toEqual({ type: 'FasterRCNN', backbone: { type: 'ResNet', depth: 101, norm_cfg: { type: 'BN' } }, strides: [4, 8] });
    expect(out.lr).toBe(0.02);
  });

  it('replaces lists and scalars instead of merging them', () => {
    const out = merge({ model: { strides: [16] }, lr: 0.01, workflow: [['train', 1], ['val', 1]] }, base);
    expect((out.model as ConfigDict).strides).toEqual([16]);
    expect(out.lr).toBe(0.01);
    expect(out.workflow).toEqual([['train', 1], ['val', 1]]);
  });

  it('lets a scalar or None replace a dict', () => {
    expect(merge({ model: { backbone: null } }, base).model).toMatchObject({ backbone: null });
  });

  it('adds keys that only the child has', () => {
    expect(merge({ model: { neck: { type: 'FPN' } }, total_epochs: 4 }, base)).toMatchObject({ model: { neck: { type: 'FPN' } }, total_epochs: 4 });
  });

  it('_delete_=True replaces the base dict, and _delete_ never reaches the result', () => {
    const out = merge({ model: { backbone: { _delete_: true, type: 'HRNet', extra: { stage1: { num_modules: 1 } } } } }, base);
    expect((out.model as ConfigDict).backbone).toEqual({ type: 'HRNet', extra: { stage1: { num_modules: 1 } } });
    expect((out.model as ConfigDict).type).toBe('FasterRCNN');
  });

  it('_delete_=False merges as usual, and a _delete_ with nothing to delete is dropped', () => {
    const out = merge({ model: { backbone: { _delete_: false, depth: 18 }, neck: { _delete_: true, type: 'FPN' } } }, base);
    expect((out.model as ConfigDict).backbone).toEqual({ type: 'ResNet', depth: 18, norm_cfg: { type: 'BN' } });
    expect((out.model as ConfigDict).neck).toEqual({ type: 'FPN' });
  });

  it('rejects a dict over a base value that is not a dict, suggesting _delete_', () => {
    expect(() => merge({ lr: { value: 1 } }, base)).toThrow(/lr is a dict in the child config but float in the base config; set _delete_=True/);
    expect(() => merge({ workflow: { x: 1 } }, base)).toThrow(/workflow is a dict in the child config but list/);
    // ...unless _delete_ says to replace it.
    expect(merge({ lr: { _delete_: true, value: 1 } }, base).lr).toEqual({ value: 1 });
  });

  it('rejects a non-boolean _delete_', () => {
    expect(() => merge({ model: { _delete_: 1, type: 'X' } }, base)).toThrow(/model\._delete_ must be True or False, got int/);
  });

  it('does not change its inputs', () => {
    const snapshot = JSON.stringify(base);
    const child: ConfigDict = { model: { backbone: { depth: 101 } } };
    merge(child, base);
    expect(JSON.stringify(base)).toBe(snapshot);
    expect(child).toEqual({ model: { backbone: { depth: 101 } } });
  });

  it('with allowListKeys, digit keys index into lists', () => {
    const cfg: ConfigDict = { pipeline: [{ type: 'LoadImageFromFile' }, { type: 'Resize', keep_ratio: true }] };
    const out = merge({ pipeline: { 1: { keep_ratio: false } } }, cfg, true);
    expect(out.pipeline).toEqual([{ type: 'LoadImageFromFile' }, { type: 'Resize', keep_ratio: false }]);
    expect(merge({ pipeline: { 0: 'x' } }, cfg, true).pipeline).toEqual(['x', { type: 'Resize', keep_ratio: true }]);
    expect(() => merge({ pipeline: { 2: { type: 'Pad' } } }, cfg, true)).toThrow(/index 2 exceeds the length of the list pipeline \(length 2\)/);
    expect(() => merge({ pipeline: { type: 'Pad' } }, cfg, true)).toThrow(/pipeline is a list in the base config; 'type' is not an index/);
    // Without allowListKeys (file merging), a dict never merges into a list.
    expect(() => merge({ pipeline: { 0: { type: 'X' } } }, cfg)).toThrow(/pipeline is a dict in the child config but list/);
  });

  it('stripDeleteKeys removes _delete_ at every depth, inside lists too, and keeps untouched values', () => {
    const clean: ConfigValue = { a: [1, { b: 2 }] };
    expect(stripDeleteKeys(clean)).toBe(clean);
    expect(stripDeleteKeys({ a: [{ _delete_: true, b: 1 }], c: { _delete_: false } })).toEqual({ a: [{ b: 1 }], c: {} });
  });
});
