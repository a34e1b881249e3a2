import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { memoryConfigFs } from './config-fs.ts';
import { loadConfig } from './config-loader.ts';
import type { ConfigDict } from './config-value.ts';
import { param } from './params.ts';
import { Registry } from './registry.ts';

interface FakeTracker {
  kind: string;
  args: Record<string, unknown>;
}

function trackers(): Registry<FakeTracker> {
  return new Registry<FakeTracker>('trackers')
    .register('ByteTracker', {
      params: {
        obj_score_thrs: param.dict(),
        init_track_thr: param.number({ min: 0, max: 1 }).default(0.7),
        weight_iou_with_det_scores: param.boolean().default(true),
        num_frames_retain: param.integer({ min: 1 }).default(30),
        momentums: param.dict().nullable().default(null),
      },
      create: (args) => ({ kind: 'ByteTracker', args }),
    })
    .register('SortTracker', {
      params: {
        obj_score_thr: param.number(),
        match_iou_thr: param.number().default(0.3),
        mode: param.oneOf('iou', 'giou').default('iou'),
        img_scale: param.array(param.integer(), 2).optionalKey(),
      },
      create: (args, context) => ({ kind: 'SortTracker', args: { ...args, path: context.path } }),
    });
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('Registry', () => {
  it('builds by type; the constructor gets exactly the declared keys with defaults filled in', () => {
    const tracker = trackers().build({ type: 'ByteTracker', obj_score_thrs: { high: 0.6, low: 0.1 }, num_frames_retain: 10 });
    expect(tracker).toEqual({
      kind: 'ByteTracker',
      args: { obj_score_thrs: { high: 0.6, low: 0.1 }, init_track_thr: 0.7, weight_iou_with_det_scores: true, num_frames_retain: 10, momentums: null },
    });
    expect(Object.keys(tracker.args)).not.toContain('type');
  });

  it('takes MMCV-style default_args where the config leaves keys out, and passes the path on', () => {
    const tracker = trackers().build({ type: 'SortTracker' }, { defaults: { obj_score_thr: 0.5 }, path: 'model.tracker' });
    expect(tracker.args).toEqual({ obj_score_thr: 0.5, match_iou_thr: 0.3, mode: 'iou', img_scale: undefined, path: 'model.tracker' });
  });

  it('lists the known types (and a likely typo) for an unknown type', () => {
    const err = errorOf(() => trackers().build({ type: 'BytTracker' }, { path: 'model.tracker' }));
    expect(err.message).toBe("model.tracker: unknown type 'BytTracker' in registry 'trackers' (did you mean 'ByteTracker'?); known types: ByteTracker, SortTracker");
    expect(errorOf(() => trackers().build({ type: 'Completely' })).message).toBe("trackers: unknown type 'Completely' in registry 'trackers'; known types: ByteTracker, SortTracker");
  });

  it('fails loudly on keys the type does not declare, naming the accepted keys', () => {
    const err = errorOf(() => trackers().build({ type: 'SortTracker', obj_score_thr: 0.5, obj_scor_thr: 0.6, extra: 1 }));
    expect(err.problem).toBe(
      "trackers: SortTracker does not accept keys 'obj_scor_thr' (did you mean 'obj_score_thr'?), 'extra'; accepted keys: obj_score_thr, match_iou_thr, mode, img_scale",
    );
  });

  it('reports missing required keys and wrongly typed values, all at once', () => {
    const err = errorOf(() => trackers().build({ type: 'ByteTracker', init_track_thr: 1.5, weight_iou_with_det_scores: 'yes', num_frames_retain: 2.5 }));
    expect(err.problem).toBe(
      "trackers: ByteTracker: obj_score_thrs: missing required key (dict); init_track_thr: expected float >= 0 <= 1, got float 1.5; weight_iou_with_det_scores: expected True or False, got str 'yes'; num_frames_retain: expected int >= 1, got float 2.5",
    );
    expect(errorOf(() => trackers().build({ type: 'SortTracker', obj_score_thr: 0.5, mode: 'diou', img_scale: [1, 2, 3] })).problem).toBe(
      "trackers: SortTracker: mode: expected 'iou' | 'giou', got str 'diou'; img_scale: expected 2 x int, got 3 items",
    );
  });

  it('rejects a missing type and a config that is not a dict', () => {
    expect(errorOf(() => trackers().build({ obj_score_thr: 1 })).problem).toBe("trackers: missing 'type'; registry 'trackers' knows: ByteTracker, SortTracker");
    expect(errorOf(() => trackers().build([1])).problem).toBe("trackers: expected a dict with a 'type' key (registry 'trackers'), got [1]");
    expect(errorOf(() => trackers().build({ type: 3 })).problem).toBe("trackers: 'type' must be a string, got 3");
  });

  it('names the config file and line of the dict when it came from a config', async () => {
    const { config } = await loadConfig('mot.py', memoryConfigFs({ 'mot.py': "model = dict(\n    tracker=dict(type='SortTracker', obj_score_thr=0.5, typo=1))\n" }));
    const err = errorOf(() => trackers().build((config.model as ConfigDict).tracker, { path: 'model.tracker' }));
    expect(err.message).toMatch(/^mot\.py:2:13: model\.tracker: SortTracker does not accept key 'typo'/);
  });

  it('refuses to register a type twice and reports its types sorted', () => {
    const r = trackers();
    expect(() => r.register('SortTracker', { params: {}, create: () => ({ kind: 'x', args: {} }) })).toThrow("registry 'trackers': type 'SortTracker' is already registered");
    expect(r.types).toEqual(['ByteTracker', 'SortTracker']);
    expect(r.has('SortTracker')).toBe(true);
    expect(Object.keys(r.paramsOf('SortTracker') ?? {})).toEqual(['obj_score_thr', 'match_iou_thr', 'mode', 'img_scale']);
  });

  it('gives each build its own copy of a default', () => {
    const r = new Registry<{ list: number[] }>('x').register('T', { params: { list: param.array(param.number()).default([1]) }, create: (args) => args });
    const a = r.build({ type: 'T' });
    a.list.push(2);
    expect(r.build({ type: 'T' }).list).toEqual([1]);
  });
});
