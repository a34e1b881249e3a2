// `mmtrack search-params` on a one-sequence GT_ROOT (street-car's first 15 frames as images), cross-checked against
// `mmtrack track` run with the same parameters and scored independently.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSotBoxes } from '../../core/datasets/sot.ts';
import { evalOpeSequence, Ope } from '../../core/eval/sot-ope.ts';
import { numpyArange, type ParamSearchRow } from './search-params.ts';
import { runCli } from '../run-cli.node.ts';

const repo = resolve(import.meta.dirname, '../../..');
const seq = resolve(repo, '../shared/sot/street-car');
const models = resolve(repo, '../shared/models');
const NANO = 'configs/sot/nanotrack/nanotrack_v2.py';
const FRAMES = 15;
const mmtrack = (args: string[]) => spawnSync(join(repo, 'bin/mmtrack'), args, { cwd: repo, encoding: 'utf8' });

/** GT_ROOT/car: the first 15 frames of street-car (image links) and their ground truth, to keep the test short. */
function gtRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'mmtrack-search-'));
  mkdirSync(join(root, 'car', 'img'), { recursive: true });
  for (const f of readdirSync(join(seq, 'img')).sort().slice(0, FRAMES)) symlinkSync(join(seq, 'img', f), join(root, 'car', 'img', f));
  writeFileSync(join(root, 'car', 'groundtruth.txt'), readFileSync(join(seq, 'groundtruth.txt'), 'utf8').split('\n').slice(0, FRAMES).join('\n'));
  return root;
}

describe('mmtrack search-params (SOT)', () => {
  it("numpy arange as the script's parse_range reads it", () => {
    expect(numpyArange(0.01, 0.22, 0.05).map((v) => Math.round(v * 100) / 100)).toEqual([0.01, 0.06, 0.11, 0.16, 0.21]);
    expect(numpyArange(0.4, 0.61, 0.05)).toHaveLength(5);
    expect(numpyArange(0.3, 0.3, 0.1)).toEqual([]);
  });

  it('tracks every combination, reports OPE per combination and the best; the numbers match mmtrack track', () => {
    const root = gtRoot();
    const r = mmtrack(['search-params', NANO, '--gt', root, '--penalty-k-range', '0.05,0.3,0.2', '--lr-range', '0.2,0.21,0.05', '--model-dir', models, '--json']);
    expect(r.stderr).toMatch(/2\/2 combinations/);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { sequences: string[]; results: ParamSearchRow[]; best: ParamSearchRow };
    expect(out.sequences).toEqual(['car']);
    // Ranges rounded to 2 decimals; window_influence stays the config's 0.49.
    expect(out.results.map((x) => [x.penalty_k, x.lr, x.win_infu])).toEqual([[0.05, 0.2, 0.49], [0.25, 0.2, 0.49]]);
    expect(out.best).toEqual(out.results.reduce((b, x) => (x.success > b.success ? x : b)));
    const row = out.results[1]!;
    const result = join(root, 'r.txt');
    const t = mmtrack(['track', NANO, '--input', join(root, 'car', 'img'), '--gt-bbox-file', join(root, 'car', 'groundtruth.txt'), '--out', result, '--model-dir', models, '--cfg-options', `model.test_cfg.rpn.penalty_k=${row.penalty_k}`, `model.test_cfg.rpn.lr=${row.lr}`]);
    expect(t.status).toBe(0);
    const read = (p: string) => parseSotBoxes(readFileSync(p, 'utf8'), p).value.xywh;
    const m = new Ope().summary(evalOpeSequence({ gt: read(join(root, 'car', 'groundtruth.txt')), pred: read(result) }));
    expect(row.success).toBeCloseTo(m.success!, 1);
    expect(row.precision).toBeCloseTo(m.precision!, 6);
  }, 60_000);

  it('fails clearly on a bad range, a missing --gt and an empty folder', async () => {
    const run = async (args: string[]) => {
      const r = await runCli(['search-params', ...args]);
      return { status: r.code, stderr: r.stderr };
    };
    let r = await run([NANO, '--gt', gtRoot(), '--lr-range', '0.5,0.4,0.1']);
    expect(r.stderr).toMatch(/--lr-range: STOP must be >= START/);
    r = await run([NANO, '--penalty-k-range', '0.1,0.2']);
    expect(r.stderr).toMatch(/missing --gt GT/);
    r = await run([NANO, '--gt', mkdtempSync(join(tmpdir(), 'mmtrack-empty-'))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no sequence folder with groundtruth\.txt/);
    r = await run(['configs/det/centernet_mobilenetv3_coco.py', '--gt', '/tmp']);
    expect(r.stderr).toMatch(/model.type 'CenterNet': mmtrack search-params runs single object tracking/);
  });
});
