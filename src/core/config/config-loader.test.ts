import { describe, expect, it } from 'vitest';
import { parseCfgOptions } from './cfg-options.ts';
import { ConfigError } from './config-error.ts';
import { type ConfigFileSystem, memoryConfigFs } from './config-fs.ts';
import { loadConfig } from './config-loader.ts';
import type { ConfigDict } from './config-value.ts';

const load = async (files: Record<string, string>, path: string, options: string[] = []) =>
  (await loadConfig(path, memoryConfigFs(files), { cfgOptions: parseCfgOptions(options) })).config;

async function errorOf(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const MODEL = `model = dict(
    type='FasterRCNN',
    backbone=dict(type='ResNet', depth=50, out_indices=(0, 1, 2, 3)),
    neck=dict(type='FPN', num_outs=5))
`;
const RUNTIME = `log_level = 'INFO'\nworkflow = [('train', 1)]\n`;

describe('loadConfig: _base_ with MMCV 1.x semantics', () => {
  it('merges a single base given as a string, paths relative to the file', async () => {
    const cfg = await load({ 'configs/_base_/model.py': MODEL, 'configs/det/a.py': "_base_ = '../_base_/model.py'\nmodel = dict(neck=dict(num_outs=4))\n" }, 'configs/det/a.py');
    expect(cfg).toEqual({ model: { type: 'FasterRCNN', backbone: { type: 'ResNet', depth: 50, out_indices: [0, 1, 2, 3] }, neck: { type: 'FPN', num_outs: 4 } } });
    expect(cfg).not.toHaveProperty('_base_');
  });

  it('merges a list of bases in order, then the file (recursively through a chain of three levels)', async () => {
    const files = {
      'c/_base_/model.py': MODEL,
      'c/_base_/runtime.py': RUNTIME,
      'c/x/primitive.py': "_base_ = ['../_base_/model.py', '../_base_/runtime.py']\nmodel = dict(backbone=dict(depth=101))\ntotal_epochs = 12\n",
      'c/x/child.py': "_base_ = './primitive.py'\nmodel = dict(backbone=dict(frozen_stages=1))\ntotal_epochs = 24\n",
    };
    const loaded = await loadConfig('c/x/child.py', memoryConfigFs(files));
    expect(loaded.config).toEqual({
      model: { type: 'FasterRCNN', backbone: { type: 'ResNet', depth: 101, out_indices: [0, 1, 2, 3], frozen_stages: 1 }, neck: { type: 'FPN', num_outs: 5 } },
      log_level: 'INFO',
      workflow: [['train', 1]],
      total_epochs: 24,
    });
    expect(loaded.files).toEqual(['c/x/child.py', 'c/x/primitive.py', 'c/_base_/model.py', 'c/_base_/runtime.py']);
  });

  it('replaces a base dict with _delete_=True (the HRNet example of the config tutorial)', async () => {
    const cfg = await load({
      'base.py': MODEL,
      'hrnet.py': "_base_ = './base.py'\nmodel = dict(backbone=dict(_delete_=True, type='HRNet', extra=dict(stage1=dict(num_modules=1, block='BOTTLENECK', num_blocks=(4, )))))\n",
    }, 'hrnet.py');
    expect((cfg.model as ConfigDict).backbone).toEqual({ type: 'HRNet', extra: { stage1: { num_modules: 1, block: 'BOTTLENECK', num_blocks: [4] } } });
  });

  it('does not let a child see base names: intermediate variables must be passed again (tutorial FAQ)', async () => {
    const files = {
      'base.py': "img_norm_cfg = dict(mean=[1, 2, 3], to_rgb=True)\ntrain_pipeline = [dict(type='Normalize', **img_norm_cfg)]\ndata = dict(train=dict(pipeline=train_pipeline))\n",
      'child.py': "_base_ = './base.py'\ntrain_pipeline = [dict(type='Normalize', **img_norm_cfg)]\n",
    };
    const err = await errorOf(load(files, 'child.py'));
    expect(err.message).toMatch(/^child\.py:2:44: name 'img_norm_cfg' is not defined \(names from _base_ files are not visible/);
    // Redefining the pipeline in the child changes `train_pipeline` but not `data`, as in MMCV.
    const cfg = await load({ ...files, 'child.py': "_base_ = './base.py'\ntrain_pipeline = [dict(type='Pad')]\n" }, 'child.py');
    expect(cfg.train_pipeline).toEqual([{ type: 'Pad' }]);
    expect(cfg.data).toEqual({ train: { pipeline: [{ type: 'Normalize', mean: [1, 2, 3], to_rgb: true }] } });
  });

  it('takes values from the bases with {{ _base_.key }}', async () => {
    const cfg = await load({
      'base.py': "img_scale = (800, 1440)\nmodel = dict(strides=[8, 16])\n",
      'child.py': "_base_ = ['./base.py']\nsize = {{ _base_.img_scale }}\nborder = (-{{_base_.img_scale}}[0] // 2, {{ _base_.model.strides.1 }})\n",
    }, 'child.py');
    expect(cfg).toMatchObject({ img_scale: [800, 1440], size: [800, 1440], border: [-400, 16] });
    const err = await errorOf(load({ 'base.py': 'a = 1\n', 'child.py': "_base_ = './base.py'\nb = {{ _base_.nope }}\n" }, 'child.py'));
    expect(err.message).toMatch(/^child\.py:2:5: \{\{ _base_\.nope \}\}: the base configs have no 'nope'/);
  });

  it('reads .json and .yaml bases (and bases of bases in those formats)', async () => {
    const cfg = await load({
      'b/runtime.json': '{"_base_": "./more.yaml", "log_level": "INFO", "workflow": [["train", 1]]}',
      'b/more.yaml': 'checkpoint_config:\n  interval: 1\nflags: [yes, off, null]\n',
      'b/model.yml': 'model:\n  type: SiamRPN\n  test_cfg:\n    rpn: {penalty_k: 0.05, lr: 0.38}\n',
      'b/cfg.py': "_base_ = ['./runtime.json', './model.yml']\nmodel = dict(test_cfg=dict(rpn=dict(lr=0.4)))\n",
    }, 'b/cfg.py');
    expect(cfg).toEqual({
      checkpoint_config: { interval: 1 },
      // YAML 1.1 like PyYAML's safe_load: yes/off are booleans.
      flags: [true, false, null],
      log_level: 'INFO',
      workflow: [['train', 1]],
      model: { type: 'SiamRPN', test_cfg: { rpn: { penalty_k: 0.05, lr: 0.4 } } },
    });
  });

  it('loads a .json or .yaml config at the top too', async () => {
    expect(await load({ 'a.json': '{"a": {"b": 1}}', 'c.yaml': "_base_: ./a.json\na:\n  c: 2\n" }, 'c.yaml')).toEqual({ a: { b: 1, c: 2 } });
  });

  it('applies cfg-options after merging', async () => {
    const cfg = await load({ 'base.py': MODEL, 'c.py': "_base_ = './base.py'\n" }, 'c.py', ['model.backbone.depth=18', 'model.neck.num_outs=3', 'work_dir=None']);
    expect(cfg.model).toMatchObject({ backbone: { depth: 18 }, neck: { num_outs: 3 } });
    expect(cfg.work_dir).toBeNull();
  });

  it('works with an asynchronous reader and a custom resolver (the browser case)', async () => {
    const files: Record<string, string> = { 'bundle:model.py': MODEL, 'bundle:main.py': "_base_ = 'model.py'\nextra = 1\n" };
    const fs: ConfigFileSystem = {
      readFile: async (p) => {
        await Promise.resolve();
        const text = files[p];
        if (text === undefined) throw new Error('not bundled');
        return text;
      },
      resolve: (_from, ref) => `bundle:${ref}`,
    };
    const loaded = await loadConfig('bundle:main.py', fs);
    expect(loaded.config).toMatchObject({ extra: 1, model: { type: 'FasterRCNN' } });
    expect(loaded.files).toEqual(['bundle:main.py', 'bundle:model.py']);
  });
});

describe('loadConfig errors name the file and the problem', () => {
  it('the same top-level key in two bases', async () => {
    const err = await errorOf(load({ 'a.py': 'x = 1\nmodel = dict()\n', 'b.py': 'model = dict(type=1)\n', 'c.py': "y = 0\n_base_ = ['./a.py', './b.py']\n" }, 'c.py'));
    expect(err.message).toMatch(/^c\.py:2:1: duplicate key 'model' among the _base_ files: both 'a\.py' and 'b\.py' define it/);
  });

  it('a missing base file, pointing at the referring _base_', async () => {
    const err = await errorOf(load({ 'configs/a.py': "_base_ = ['../_base_/nope.py']\n" }, 'configs/a.py'));
    expect(err.message).toMatch(/^configs\/a\.py:1:1: cannot read _base_ file '_base_\/nope\.py': no such file/);
  });

  it('a missing config file', async () => {
    const err = await errorOf(load({}, 'missing.py'));
    expect(err.message).toBe('missing.py: cannot read config file: no such file');
  });

  it('a circular _base_ chain', async () => {
    const err = await errorOf(load({ 'a.py': "_base_ = './b.py'\n", 'b.py': "_base_ = './a.py'\n" }, 'a.py'));
    expect(err.message).toMatch(/^b\.py:1:1: circular _base_ chain: a\.py -> b\.py -> a\.py/);
  });

  it('a _base_ that is not a path or a list of paths', async () => {
    const err = await errorOf(load({ 'a.py': '_base_ = [1]\n' }, 'a.py'));
    expect(err.message).toMatch(/^a\.py:1:1: _base_ must be a file path or a list of file paths, got list/);
  });

  it('an unsupported file type', async () => {
    const err = await errorOf(load({ 'a.py': "_base_ = './b.txt'\n", 'b.txt': '' }, 'a.py'));
    expect(err.message).toMatch(/^a\.py:1:1: unsupported config file type '\.txt'/);
  });

  it('a syntax error inside a base file names that file', async () => {
    const err = await errorOf(load({ 'base.py': 'a = 1\nb = [1,\n', 'c.py': "_base_ = './base.py'\n" }, 'c.py'));
    expect(err.message).toMatch(/^base\.py:2:5: '\[' was never closed/);
  });

  it('a child dict over a base list, at the child dict', async () => {
    const err = await errorOf(load({ 'base.py': 'workflow = [1]\n', 'c.py': "_base_ = './base.py'\nworkflow = dict(\n    a=1)\n" }, 'c.py'));
    expect(err.message).toMatch(/^c\.py:2:12: workflow is a dict in the child config but list in the base config/);
    expect(err.message).toContain('2 | workflow = dict(');
  });

  it('invalid JSON and YAML with their positions', async () => {
    const json = await errorOf(load({ 'a.json': '{\n  "a": 1,\n  oops\n}' }, 'a.json'));
    expect(json.message).toMatch(/^a\.json:3:3: invalid JSON/);
    const yaml = await errorOf(load({ 'a.yaml': 'a: 1\nb: [1, 2\n' }, 'a.yaml'));
    expect(yaml.message).toMatch(/^a\.yaml:\d+:\d+: invalid YAML/);
    const notMapping = await errorOf(load({ 'a.json': '[1, 2]' }, 'a.json'));
    expect(notMapping.message).toBe('a.json: a config file must hold a mapping of names to values, not list');
    const date = await errorOf(load({ 'a.yaml': 'when: 2001-12-14\n' }, 'a.yaml'));
    expect(date.message).toMatch(/^a\.yaml: when is a timestamp, which is not a config value/);
  });

  it('_delete_ as a top-level name', async () => {
    const err = await errorOf(load({ 'a.py': '_delete_ = True\n' }, 'a.py'));
    expect(err.message).toMatch(/^a\.py: _delete_ cannot be a top-level name/);
  });

  it('__proto__ as a key in a data file', async () => {
    const err = await errorOf(load({ 'a.json': '{"a": {"__proto__": {"x": 1}}}' }, 'a.json'));
    expect(err.message).toBe("a.json: '__proto__' cannot be used as a config key");
  });
});
