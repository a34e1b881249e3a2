// `mmtrack compare` on the shared MOTChallenge-style ground truth with detections made from it (src/cli/mot-dets.fixture.ts).
import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import { detsFolder, MOT_GT_ROOT, MOT_GT_SEQS } from '../mot-dets.fixture.ts';

async function run(command: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await main([command, ...args], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { status, stdout, stderr };
}

interface Comparison {
  sequences: string[];
  metrics: string[];
  rows: { label: string; params: Record<string, number>; metrics: Record<string, number> }[];
  best: Record<string, number[]>;
  differing: string[];
}

const BYTETRACK = 'configs/mot/default.py';
const OCSORT = 'configs/mot/ocsort/ocsort_centernet_mobilenetv3_coco-person.py';
const SORT = 'configs/mot/sort/sort_centernet_mobilenetv3_coco-person.py';

describe('mmtrack compare', () => {
  it('tracks the same cached detections with each config and scores every run alike; the best of each differing metric is marked', async () => {
    const dets = detsFolder();
    const r = await run('compare', [BYTETRACK, OCSORT, SORT, '--dets', dets, '--gt', MOT_GT_ROOT, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Comparison;
    expect(out.sequences).toEqual(MOT_GT_SEQS);
    expect(out.rows.map((row) => row.label)).toEqual(['default', 'ocsort_centernet_mobilenetv3_coco-person', 'sort_centernet_mobilenetv3_coco-person']);
    expect(out.metrics).toEqual(['MOTA', 'IDF1', 'FN', 'FP', 'IDs', 'MT', 'ML', 'HOTA']);
    // Each row is what search-params gives for that config alone (the same tracking and scoring, one combination).
    for (const [k, config] of [BYTETRACK, OCSORT, SORT].entries()) {
      const alone = await run('search-params', [config, '--dets', dets, '--gt', MOT_GT_ROOT, '--json']);
      expect(alone.status, alone.stderr).toBe(0);
      expect((JSON.parse(alone.stdout) as { results: { metrics: Record<string, number> }[] }).results[0]!.metrics).toEqual(out.rows[k]!.metrics);
    }
    // best: the rows holding the best value (higher MOTA/IDF1/HOTA/MT, fewer FN/FP/IDs/ML); differing: not all equal.
    for (const m of out.metrics) {
      const values = out.rows.map((row) => row.metrics[m]!);
      const top = ['FN', 'FP', 'IDs', 'ML'].includes(m) ? Math.min(...values) : Math.max(...values);
      expect(out.best[m], m).toEqual(values.flatMap((v, i) => (v === top ? [i] : [])));
      expect(out.differing.includes(m), m).toBe(new Set(values).size > 1);
    }
    expect(out.differing.length).toBeGreaterThan(0);

    // The table: one line per tracker, * on the best of each differing metric; a list value compares each value.
    const table = await run('compare', [BYTETRACK, '--dets', dets, '--gt', MOT_GT_ROOT, '--metrics', 'IDF1', 'IDs', '--cfg-options', 'model.tracker.num_frames_retain=[1,30]']);
    expect(table.status, table.stderr).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^tracker\s+IDF1\s+IDs\s*$/);
    expect(lines[1]).toMatch(/^default \(num_frames_retain=1\)\s/);
    expect(lines[2]).toMatch(/^default \(num_frames_retain=30\)\s/);
    expect(table.stdout).toContain('*');
  });

  it('says what is wrong: one setting only, a SOT config, other detector classes, an unknown metric', async () => {
    const dets = detsFolder();
    const args = ['--dets', dets, '--gt', MOT_GT_ROOT];
    let r = await run('compare', [BYTETRACK, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/one tracker setting only; give two or more configs, or write tracker values as lists/);
    r = await run('compare', [BYTETRACK, 'configs/sot/default.py', ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/configs\/sot\/default\.py: model\.type .* is not a MOT method/);
    r = await run('compare', [BYTETRACK, 'configs/mot/ocsort/ocsort_yolox_x_crowdhuman_mot17-private-half.py', ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ocsort_yolox_x_crowdhuman_mot17-private-half\.py: its detector's classes \(1\) are not configs\/mot\/default\.py's \(80\)/);
    r = await run('compare', [BYTETRACK, OCSORT, ...args, '--metrics', 'MOTX']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--metrics: unknown metric 'MOTX'/);
  });
});
