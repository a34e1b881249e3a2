import { describe, expect, it } from 'vitest';
import { applyCfgOptions, parseCfgOptions } from '../../config/cfg-options.ts';
import { type ConfigDict, getConfigPath } from '../../config/config-value.ts';
import { evaluatePythonConfig, markConfigTuple } from '../../config/python-evaluator.ts';
import { parsePythonConfig } from '../../config/python-parser.ts';
import type { MotRows } from '../../datasets/mot-challenge.ts';
import { evalMot, motSummaryRow } from '../../eval/eval-mot.ts';
import { syntheticScene } from '../../trackers/synthetic-scene.ts';
import { MotRun } from './mot-run.ts';
import { bestRowIndex, configWithCombination, firstCombination, getSearchAxes, higherIsBetter, runMotParamSearch, searchCombinations, searchMetricsOf } from './mot-param-search.ts';

const byteTrack = (tracker: ConfigDict): ConfigDict => ({
  classes: ['person'],
  model: { type: 'ByteTrack', motion: { type: 'KalmanFilter' }, tracker: { type: 'ByteTracker', ...tracker } },
});

/** A synthetic scene and its ground truth: the true object behind each detection (false positives left out). */
function scene() {
  const frames = syntheticScene({ seed: 7, numFrames: 40, numObjects: 8, missRate: 0.05, lowScoreRate: 0.2, falsePositives: 0.5, width: 640, height: 480, boxHeight: [40, 90] });
  const rows: number[][] = [];
  frames.forEach((f, t) => {
    for (let i = 0; i < f.objectIds.length; i++) {
      if (f.objectIds[i]! < 0) continue;
      const b = f.detections.boxes.subarray(i * 4, i * 4 + 4);
      rows.push([t + 1, f.objectIds[i]! + 1, b[0]!, b[1]!, b[2]! - b[0]!, b[3]! - b[1]!]);
    }
  });
  const gt: MotRows = {
    count: rows.length,
    frame: Int32Array.from(rows, (r) => r[0]!),
    id: Int32Array.from(rows, (r) => r[1]!),
    boxes: Float64Array.from(rows.flatMap((r) => r.slice(2))),
    conf: new Float64Array(rows.length).fill(1),
    cls: new Int32Array(rows.length).fill(1),
    visibility: new Float64Array(rows.length).fill(1),
  };
  return { detections: frames.map((f) => f.detections), gt, seqLength: frames.length };
}

describe('MOT parameter search grid (mot_param_search.get_search_params)', () => {
  it('takes every list of the tracker dict, depth first, and enumerates them as itertools.product', () => {
    const tracker = { type: 'ByteTracker', obj_score_thrs: { high: [0.5, 0.6], low: 0.1 }, init_track_thr: [0.6, 0.7, 0.8], num_frames_retain: 30 };
    const axes = getSearchAxes(tracker);
    expect(axes).toEqual([
      { key: 'obj_score_thrs.high', values: [0.5, 0.6] },
      { key: 'init_track_thr', values: [0.6, 0.7, 0.8] },
    ]);
    const combos = searchCombinations(axes);
    expect(combos).toHaveLength(6);
    expect(combos.slice(0, 4)).toEqual([
      { 'obj_score_thrs.high': 0.5, init_track_thr: 0.6 },
      { 'obj_score_thrs.high': 0.5, init_track_thr: 0.7 },
      { 'obj_score_thrs.high': 0.5, init_track_thr: 0.8 },
      { 'obj_score_thrs.high': 0.6, init_track_thr: 0.6 },
    ]);
    const cfg = configWithCombination(byteTrack(tracker), combos[3]!);
    expect(cfg.model).toMatchObject({ tracker: { obj_score_thrs: { high: 0.6, low: 0.1 }, init_track_thr: 0.6 } });
    // The original config is untouched.
    expect(tracker.obj_score_thrs.high).toEqual([0.5, 0.6]);
    expect(searchCombinations([])).toEqual([{}]);
    expect(() => getSearchAxes({ init_track_thr: [] })).toThrow(/model.tracker.init_track_thr: an empty list/);
  });

  it('leaves tuples alone, from a .py config and from --cfg-options', () => {
    const source = "model = dict(tracker=dict(type='SortTracker', obj_score_thr=[0.3, 0.5], reid=dict(img_scale=(256, 128), match_score_thr=2.0)))\n";
    const config = evaluatePythonConfig(parsePythonConfig(source, 'deepsort.py'));
    const tracker = getConfigPath(config, 'model.tracker');
    expect(getSearchAxes(tracker)).toEqual([{ key: 'obj_score_thr', values: [0.3, 0.5] }]);
    const withOptions = applyCfgOptions(config, parseCfgOptions(['model.tracker.reid.img_scale=(128,64)', 'model.tracker.match_iou_thr=[0.5,0.7]']));
    expect(getSearchAxes(getConfigPath(withOptions, 'model.tracker')).map((a) => a.key)).toEqual(['obj_score_thr', 'match_iou_thr']);
  });

  it('reads search_metrics from the config and refuses unknown ones', () => {
    expect(searchMetricsOf({})).toEqual(['MOTA', 'IDF1', 'FN', 'FP', 'IDs', 'MT', 'ML', 'HOTA']);
    expect(searchMetricsOf({ search_metrics: ['IDF1', 'IDs', 'AssA'] })).toEqual(['IDF1', 'IDs', 'AssA']);
    expect(() => searchMetricsOf({ search_metrics: ['MOTA', 'mota'] })).toThrow(/unknown metric 'mota'/);
    expect(() => searchMetricsOf({ search_metrics: 'MOTA' })).toThrow(/expected a list of metric names/);
    expect([higherIsBetter('MOTA'), higherIsBetter('IDs'), higherIsBetter('FN'), higherIsBetter('MT')]).toEqual([true, false, false, true]);
  });
});

describe('runMotParamSearch', () => {
  it('scores each combination as a run with that config alone would be scored', async () => {
    const s = scene();
    const tracker = { obj_score_thrs: { high: 0.6, low: 0.1 }, init_track_thr: [0.7, 1.01], weight_iou_with_det_scores: true, match_iou_thrs: { high: 0.1, low: 0.5, tentative: 0.3 }, num_frames_retain: [1, 30] };
    const config = byteTrack(tracker);
    const progress: number[] = [];
    const result = await runMotParamSearch(config, ['person'], [{ name: 'syn', ...s }], { onProgress: (done, total) => progress.push(done / total) });
    expect(result.axes.map((a) => a.key)).toEqual(['init_track_thr', 'num_frames_retain']);
    expect(result.rows.map((r) => r.params)).toEqual([
      { init_track_thr: 0.7, num_frames_retain: 1 },
      { init_track_thr: 0.7, num_frames_retain: 30 },
      { init_track_thr: 1.01, num_frames_retain: 1 },
      { init_track_thr: 1.01, num_frames_retain: 30 },
    ]);
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]);
    // Each row equals tracking with that one config and TrackEval's metrics on it.
    for (const row of result.rows) {
      const run = new MotRun(configWithCombination(config, row.params), ['person']);
      for (let f = 0; f < s.detections.length; f++) await run.step(f, s.detections[f]!);
      const m = motSummaryRow(evalMot([{ name: 'syn', gt: s.gt, tracker: run.motRows(), seqLength: s.seqLength }]).combined, true);
      expect(row.metrics).toEqual({ MOTA: m.MOTA, IDF1: m.IDF1, FN: m.FN, FP: m.FP, IDs: m.IDSW, MT: m.MT, ML: m.ML, HOTA: m.HOTA });
    }
    // No track can start above score 1: nothing is output, every gt box is missed.
    const none = result.rows[2]!.metrics;
    expect([none.FP, none.FN, none.MOTA, none.IDF1, none.MT]).toEqual([0, s.gt.count, 0, 0, 0]);
    // A real tracker beats it on MOTA and FN; nothing beats it on FP. Longer memory keeps more identities.
    expect(result.rows[0]!.metrics.MOTA).toBeGreaterThan(0.5);
    expect(bestRowIndex(result.rows, 'FP')).toBe(2);
    expect(result.rows[1]!.metrics.IDs).toBeLessThan(result.rows[0]!.metrics.IDs!);
    expect(bestRowIndex(result.rows, 'IDs')).toBe(2); // 0 switches without tracks; ties go to the earlier row
    expect([0, 1]).toContain(bestRowIndex(result.rows, 'MOTA'));
    expect(bestRowIndex([], 'MOTA')).toBe(-1);
  });

  it('stops when cancelled and refuses trackers that need more than boxes', async () => {
    const s = scene();
    const grid = byteTrack({ init_track_thr: [0.6, 0.7] });
    await expect(runMotParamSearch(grid, ['person'], [{ name: 'syn', ...s }], { isCancelled: () => true })).rejects.toThrow(/cancelled/);
    const imgScale = [256, 128];
    markConfigTuple(imgScale);
    const deepSort: ConfigDict = { model: { type: 'DeepSORT', motion: { type: 'KalmanFilter' }, tracker: { type: 'SortTracker', obj_score_thr: [0.3, 0.5], reid: { num_samples: 10, img_scale: imgScale, img_norm_cfg: null, match_score_thr: 2.0 } } } };
    await expect(runMotParamSearch(deepSort, ['person'], [{ name: 'syn', ...s }])).rejects.toThrow(/SortTracker cannot track alone \(it needs appearance embeddings\)/);
    const sort: ConfigDict = { model: { type: 'DeepSORT', motion: { type: 'KalmanFilter' }, tracker: { type: 'SortTracker', obj_score_thr: [0.3, 0.5], reid: null } } };
    const r = await runMotParamSearch(sort, ['person'], [{ name: 'a', ...s }, { name: 'b', ...s }], { searchMetrics: ['IDF1'] });
    expect(r.rows).toHaveLength(2);
    expect(Object.keys(r.rows[0]!.metrics)).toEqual(['IDF1']);
  });
  it('refuses a grid past MAX_SEARCH_COMBINATIONS before building it, naming the axes', () => {
    const axes = getSearchAxes({ init_track_thr: Array.from({ length: 400 }, (_, i) => i / 400), num_frames_retain: Array.from({ length: 400 }, (_, i) => i + 1) });
    expect(() => searchCombinations(axes)).toThrow('model.tracker: the search grid has 160000 combinations (init_track_thr: 400 x num_frames_retain: 400); at most 100000');
    expect(firstCombination(axes)).toEqual({ init_track_thr: 0, num_frames_retain: 1 });
  });
});
