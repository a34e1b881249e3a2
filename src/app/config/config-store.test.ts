import { describe, expect, it } from 'vitest';
import type { ConfigDict } from '../../core/config/config-value.ts';
import { bundledConfigs } from './bundled-configs.ts';
import { choiceLabel, groupChoices, resolveConfigPath, topLevelPicked, userPath } from './config-files.ts';
import { createConfigStore, DEFAULT_CONFIG } from './config-store.ts';

const BUNDLED = {
  'configs/_base_/models/faster_rcnn_r50_fpn.py': "model = dict(detector=dict(type='FasterRCNN', roi_head=dict(num_classes=80)))\n",
  'configs/_base_/default_runtime.py': "log_level = 'INFO'\n",
  'configs/mot/deepsort/sort.py': "_base_ = ['../../_base_/models/faster_rcnn_r50_fpn.py', '../../_base_/default_runtime.py']\nmodel = dict(type='DeepSORT', tracker=dict(type='SortTracker', obj_score_thr=0.5))\npipeline = [dict(type='LoadImageFromFile'), dict(type='Resize')]\n",
  'configs/sot/siamese_rpn/siamrpn.py': "model = dict(type='SiamRPN')\npipeline = 'none'\n",
  'configs/det/broken.py': "model = dict(type='X',\n",
};

const file = (relativePath: string, text: string) => ({ relativePath, text });

describe('config files: picking and _base_ resolution', () => {
  const files = new Map<string, string>([
    ...Object.entries(BUNDLED),
    ['user/my/mot/x.py', ''],
    ['user/my/_base_/m.py', ''],
    ['user/loose.py', ''],
    ['user/base_a.py', ''],
  ]);

  it('resolves relative to the file first (MMCV)', () => {
    expect(resolveConfigPath(files, 'user/my/mot/x.py', '../_base_/m.py')).toBe('user/my/_base_/m.py');
    expect(resolveConfigPath(files, 'configs/mot/deepsort/sort.py', '../../_base_/default_runtime.py')).toBe('configs/_base_/default_runtime.py');
  });

  it('matches a loose picked file by name', () => {
    expect(resolveConfigPath(files, 'user/loose.py', '../../_base_/base_a.py')).toBe('user/base_a.py');
  });

  it("falls back to the bundled configs/ tree for a user config's MMTracking bases", () => {
    expect(resolveConfigPath(files, 'user/loose.py', '../../_base_/models/faster_rcnn_r50_fpn.py')).toBe('configs/_base_/models/faster_rcnn_r50_fpn.py');
    expect(resolveConfigPath(files, 'user/loose.py', './_base_/default_runtime.py')).toBe('configs/_base_/default_runtime.py');
  });

  it('leaves an unknown base at its relative path (reported as missing) and refuses ambiguous names', () => {
    expect(resolveConfigPath(files, 'user/loose.py', './nope.py')).toBe('user/nope.py');
    const twice = new Map([...files, ['user/a/m.py', ''], ['user/b/m.py', '']]);
    expect(() => resolveConfigPath(twice, 'user/loose.py', './m.py')).toThrow(/'\.\/m\.py' is ambiguous: several picked files are named m\.py/);
  });

  it('names picked files under user/ and finds the top-level ones', () => {
    expect(userPath('my\\cfgs\\a.py')).toBe('user/my/cfgs/a.py');
    expect(userPath('../x.py')).toBe('user/x.py');
    expect(topLevelPicked([file('a.py', "_base_ = './b.py'"), file('b.py', "_base_ = ['./c.yaml']"), file('c.yaml', 'x: 1')])).toEqual(['user/a.py']);
    expect(topLevelPicked([file('cfgs/_base_/m.py', ''), file('cfgs/mot/a.py', ''), file('cfgs/mot/b.py', '')])).toEqual(['user/cfgs/mot/a.py', 'user/cfgs/mot/b.py']);
  });

  it('groups the choices by folder, picked files first', () => {
    expect(groupChoices(['user/a.py', 'configs/mot/deepsort/sort.py', 'configs/mot/deepsort/sort2.py', 'configs/sot/x.py'])).toEqual([
      { label: 'Your files', paths: ['user/a.py'] },
      { label: 'mot/deepsort', paths: ['configs/mot/deepsort/sort.py', 'configs/mot/deepsort/sort2.py'] },
      { label: 'sot', paths: ['configs/sot/x.py'] },
    ]);
    expect(choiceLabel('configs/mot/deepsort/sort.py')).toBe('sort.py');
    expect(choiceLabel('user/cfgs/a.py')).toBe('cfgs/a.py');
  });
});

describe('config store', () => {
  it('lists the bundled configs without their _base_ parts', () => {
    const store = createConfigStore(BUNDLED);
    expect(store.getState().choices).toEqual(['configs/det/broken.py', 'configs/mot/deepsort/sort.py', 'configs/sot/siamese_rpn/siamrpn.py']);
    expect(store.getState().selected).toBeNull();
  });

  it('loads the chosen config merged with its bases', async () => {
    const store = createConfigStore(BUNDLED);
    await store.getState().select('configs/mot/deepsort/sort.py');
    const s = store.getState();
    expect(s.status).toBe('ready');
    expect(s.error).toBeNull();
    expect(s.config).toEqual({
      model: { detector: { type: 'FasterRCNN', roi_head: { num_classes: 80 } }, type: 'DeepSORT', tracker: { type: 'SortTracker', obj_score_thr: 0.5 } },
      log_level: 'INFO',
      pipeline: [{ type: 'LoadImageFromFile' }, { type: 'Resize' }],
    });
    expect(s.usedFiles).toEqual(['configs/mot/deepsort/sort.py', 'configs/_base_/models/faster_rcnn_r50_fpn.py', 'configs/_base_/default_runtime.py']);
  });

  it('shows a broken config as an error naming the file, line and column', async () => {
    const store = createConfigStore(BUNDLED);
    await store.getState().select('configs/det/broken.py');
    expect(store.getState().status).toBe('error');
    expect(store.getState().config).toBeNull();
    expect(store.getState().error).toMatch(/^configs\/det\/broken\.py:1:13: '\(' was never closed/);
  });

  it('applies overrides in --cfg-options syntax (shell quoting included) and keeps them across choices', async () => {
    const store = createConfigStore(BUNDLED);
    await store.getState().select('configs/mot/deepsort/sort.py');
    store.getState().setOptionsText('model.tracker.obj_score_thr=0.7 pipeline.1.img_scale="(640,480)" extra=None');
    store.getState().applyOptions();
    let s = store.getState();
    expect(s.optionsError).toBeNull();
    expect((s.config?.model as ConfigDict).tracker).toEqual({ type: 'SortTracker', obj_score_thr: 0.7 });
    expect(s.config?.pipeline).toEqual([{ type: 'LoadImageFromFile' }, { type: 'Resize', img_scale: [640, 480] }]);
    expect(s.config?.extra).toBeNull();
    expect(s.options.map((o) => o.key)).toEqual(['model.tracker.obj_score_thr', 'pipeline.1.img_scale', 'extra']);
    // The merged config without overrides is kept, so overrides never accumulate.
    expect((s.merged?.model as ConfigDict).tracker).toEqual({ type: 'SortTracker', obj_score_thr: 0.5 });

    // A choice where the overrides do not fit (pipeline is a string there) shows the config without them, and says why.
    await store.getState().select('configs/sot/siamese_rpn/siamrpn.py');
    s = store.getState();
    expect(s.config).toEqual({ model: { type: 'SiamRPN' }, pipeline: 'none' });
    expect(s.optionsError).toBe("--cfg-options 'pipeline.1.img_scale=(640,480)': pipeline is str 'none' in the config, so it has no '1' to set");
    // Overrides of keys a config lacks create them, as MMCV does.
    store.getState().setOptionsText('model.tracker.obj_score_thr=0.7');
    store.getState().applyOptions();
    expect(store.getState().config).toEqual({ model: { type: 'SiamRPN', tracker: { obj_score_thr: 0.7 } }, pipeline: 'none' });
  });

  it('keeps the last good overrides when the text does not parse, and says why', async () => {
    const store = createConfigStore(BUNDLED);
    await store.getState().select('configs/mot/deepsort/sort.py');
    store.getState().setOptionsText('log_level=DEBUG');
    store.getState().applyOptions();
    store.getState().setOptionsText('log_level');
    store.getState().applyOptions();
    expect(store.getState().optionsError).toBe("--cfg-options 'log_level': expected KEY=VALUE (e.g. model.backbone.norm_eval=False)");
    expect(store.getState().config?.log_level).toBe('DEBUG');
    store.getState().setOptionsText('log_level="unterminated');
    store.getState().applyOptions();
    expect(store.getState().optionsError).toMatch(/unterminated " quote/);
  });

  it('a later choice wins over a slower earlier one', async () => {
    const store = createConfigStore(BUNDLED);
    const first = store.getState().select('configs/mot/deepsort/sort.py');
    const second = store.getState().select('configs/sot/siamese_rpn/siamrpn.py');
    await Promise.all([first, second]);
    expect(store.getState().selected).toBe('configs/sot/siamese_rpn/siamrpn.py');
    expect(store.getState().config).toEqual({ model: { type: 'SiamRPN' }, pipeline: 'none' });
  });

  it("loads the user's own config with its picked _base_ files, or with the bundled MMTracking bases", async () => {
    const store = createConfigStore(BUNDLED);
    await store.getState().addPickedFiles([
      file('my_tracktor.py', "_base_ = ['./my_base.py', '../../_base_/default_runtime.py']\nmodel = dict(tracker=dict(num_frames_retain=5))\n"),
      file('my_base.py', "model = dict(type='Tracktor', tracker=dict(type='TracktorTracker', num_frames_retain=10))\n"),
    ]);
    const s = store.getState();
    expect(s.choices.slice(0, 2)).toEqual(['user/my_base.py', 'user/my_tracktor.py']);
    expect(s.selected).toBe('user/my_tracktor.py');
    expect(s.error).toBeNull();
    expect(s.config).toEqual({ model: { type: 'Tracktor', tracker: { type: 'TracktorTracker', num_frames_retain: 5 } }, log_level: 'INFO' });
    expect(s.usedFiles).toEqual(['user/my_tracktor.py', 'user/my_base.py', 'configs/_base_/default_runtime.py']);

    await store.getState().clearPickedFiles();
    expect(store.getState().choices.some((p) => p.startsWith('user/'))).toBe(false);
    expect(store.getState().selected).not.toBe('user/my_tracktor.py');
  });

  it('reports a _base_ file that was not picked, and loads once it is', async () => {
    const store = createConfigStore(BUNDLED);
    await store.getState().addPickedFiles([file('cfgs/mot/a.py', "_base_ = '../_base_/mine.py'\nx = 1\n")]);
    expect(store.getState().error).toMatch(/^user\/cfgs\/mot\/a\.py:1:1: cannot read _base_ file 'user\/cfgs\/_base_\/mine\.py': not among the picked files: pick it together with the config, or pick the whole folder/);
    await store.getState().addPickedFiles([file('cfgs/_base_/mine.py', 'y = 2\n')]);
    expect(store.getState().selected).toBe('user/cfgs/mot/a.py');
    expect(store.getState().config).toEqual({ y: 2, x: 1 });
  });

  it('reads File objects from a picker and rejects a pick without configs', async () => {
    const store = createConfigStore(BUNDLED);
    await store.getState().pickFiles([new File(["model = dict(type='Mine')\n"], 'mine.py'), new File(['x'], 'notes.txt')]);
    expect(store.getState().selected).toBe('user/mine.py');
    expect(store.getState().config).toEqual({ model: { type: 'Mine' } });
    await store.getState().pickFiles([new File(['x'], 'notes.txt')]);
    expect(store.getState().error).toBe('none of the 1 picked files is a config (.py, .json, .yaml)');
  });

  it('bundles the repo configs/ and preselects the default config', async () => {
    expect(Object.keys(bundledConfigs)).toContain('configs/_base_/default_runtime.py');
    expect(Object.keys(bundledConfigs)).toContain('configs/vid/dff/dff_faster_rcnn_r50_dc5_1x_imagenetvid.py');
    const store = createConfigStore(bundledConfigs);
    expect(store.getState().choices).not.toContain('configs/_base_/default_runtime.py');
    await store.getState().ensureSelected();
    expect(store.getState().selected).toBe(DEFAULT_CONFIG);
    expect(store.getState().status).toBe('ready');
    expect((store.getState().config?.model as ConfigDict).type).toBe('ByteTrack');
    // Every bundled config loads in the app as it does in the CLI.
    for (const path of store.getState().choices) {
      await store.getState().select(path);
      expect(store.getState().error, path).toBeNull();
    }
  });
});
