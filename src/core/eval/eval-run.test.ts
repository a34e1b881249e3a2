import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectTask, EvalCancelled, runEvalJob } from './eval-run.ts';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const shared = (p: string): string => path.resolve(repoRoot, '../shared', p);

/** A dropped folder: every file under `dir`, keyed by its path relative to the folder's parent. */
function dropped(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(txt|ini|json|label)$/.test(n)) out[path.relative(path.dirname(dir), p).split(path.sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('runEvalJob (what the eval worker runs)', () => {
  it('MOT: detects the task, matches the reference numbers, sorts worst first', async () => {
    const input = { gt: dropped(shared('eval/mot/gt/mot_challenge')), results: dropped(shared('eval/mot/trackers/mot_challenge/MOT17-train/demo/data')) };
    expect(detectTask(input)).toBe('mot');
    const progress: number[] = [];
    const r = await runEvalJob(input, { onProgress: (f) => progress.push(f) });
    const expected = JSON.parse(readFileSync(shared('eval/mot/expected.json'), 'utf8')) as Record<string, Record<string, number>>;
    for (const [k, v] of Object.entries(expected.COMBINED_SEQ!)) expect(Math.abs(r.overall[k]! - v), k).toBeLessThan(1e-6);
    expect(r.rows.map((x) => x.name)).toEqual(['MOT17-03-SYN', 'MOT17-02-SYN', 'MOT17-04-SYN']);
    expect(r.rows.map((x) => x.values.HOTA)).toEqual([...r.rows.map((x) => x.values.HOTA!)].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
    expect(r.warnings).toEqual([]);
  });

  it('SOT: one sequence folder and one result file, with success/precision curves', async () => {
    const gt = dropped(shared('sot/street-car'));
    delete gt['street-car/result.txt'];
    const r = await runEvalJob({ gt, results: { 'tracker/street-car.txt': readFileSync(shared('sot/street-car/result.txt'), 'utf8') } });
    expect(r.task).toBe('sot');
    expect(r.overall.success).toBeCloseTo(76.06349206349205, 9);
    expect(r.curves.map((c) => c.title)).toEqual(['Success plot', 'Precision plot']);
    expect(r.curves[1]!.series[0]!.y[20]).toBeCloseTo(78, 9);
  });

  it('VID and VIS: overall numbers, per-video rows and PR curves per class', async () => {
    const vid = await runEvalJob({ gt: { 'ann.json': readFileSync(shared('eval/vid/ann.json'), 'utf8') }, results: { 'results.json': readFileSync(shared('eval/vid/results.json'), 'utf8') } });
    expect(vid.task).toBe('vid');
    expect(vid.overall.bbox_mAP).toBeCloseTo(0.645736425522623, 9);
    expect(vid.rows.length).toBe(4);
    expect(vid.curves[0]!.series.length).toBeGreaterThan(0);
    expect(vid.curves[0]!.x).toHaveLength(101);
    const vis = await runEvalJob({ gt: { 'ann.json': readFileSync(shared('eval/vis/ann.json'), 'utf8') }, results: { 'results.json': readFileSync(shared('eval/vis/results.json'), 'utf8') } });
    expect(vis.task).toBe('vis');
    expect(vis.overall.segm_mAP).toBeCloseTo(0.2750825082508251, 12);
    expect(vis.rows.map((r) => r.name)).toHaveLength(3);
  });

  it('cancels between steps and explains missing pieces', async () => {
    const input = { gt: dropped(shared('eval/mot/gt/mot_challenge')), results: dropped(shared('eval/mot/trackers/mot_challenge/MOT17-train/demo/data')) };
    await expect(runEvalJob(input, { isCancelled: () => true })).rejects.toBeInstanceOf(EvalCancelled);
    await expect(runEvalJob({ gt: input.gt, results: {} })).rejects.toThrow(/no results for sequence MOT17-02-SYN/);
    expect(() => detectTask({ gt: { 'a.png': '' }, results: {} })).toThrow(/cannot tell the task/);
  });
});
