import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeSotBenchFolder } from '../../../scripts/bench/eval-data.ts';
import { main } from '../main.ts';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const shared = (p: string): string => path.resolve(repoRoot, '../shared', p);

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(path.join(repoRoot, 'bin/mmtrack'), args, { cwd: repoRoot }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function readJson(p: string): Record<string, unknown> {
  return JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
}

/** Same keys in the same order, numbers within tol (integers exact), strings ignored (notes). */
function expectSameLayout(actual: unknown, expected: unknown, tol: number, where = ''): void {
  if (typeof expected === 'number') {
    expect(typeof actual, where).toBe('number');
    expect(Math.abs((actual as number) - expected), `${where}: ${String(actual)} vs ${expected}`).toBeLessThanOrEqual(tol);
    return;
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const keys = Object.keys(e).filter((k) => typeof e[k] !== 'string');
  expect(Object.keys(a), where).toEqual(keys);
  for (const k of keys) expectSameLayout(a[k], e[k], tol, `${where}.${k}`);
}

describe('mmtrack eval (spawned CLI on ../shared)', () => {
  it('eval mot prints the TrackEval table of expected.json (keys, layout, values)', async () => {
    const r = await cli(['eval', 'mot', '--gt', shared('eval/mot/gt/mot_challenge'), '--results', shared('eval/mot/trackers/mot_challenge/MOT17-train/demo/data'), '--benchmark', 'MOT17', '--split', 'train']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectSameLayout(JSON.parse(r.stdout), readJson(shared('eval/mot/expected.json')), 1e-6);
    // Key order too: sorted, as the reference file.
    expect(r.stdout.split('\n')[1]).toBe(' "COMBINED_SEQ": {');
  });

  it('eval mot --all-fields prints every field the real TrackEval computes, under its names, with its values', async () => {
    const gt = shared('eval/mot/gt/mot_challenge');
    const r = await inProcess(['eval', 'mot', '--gt', gt, '--results', shared('eval/mot/trackers/mot_challenge/MOT17-train/demo/data'), '--all-fields']);
    expect(r.code).toBe(0);
    const ours = JSON.parse(r.stdout) as Record<string, Record<string, number>>;
    // The unmodified TrackEval through its driver (python3 with numpy and scipy, as on every machine of this project).
    const ref = spawnSync('python3', [shared('references/run_trackeval.py'), gt, shared('eval/mot/trackers/mot_challenge'), 'demo'], { encoding: 'utf8' });
    expect(ref.status, ref.stderr).toBe(0);
    const theirs = JSON.parse(ref.stdout) as Record<string, Record<string, number>>;
    delete theirs._timing;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const [seq, row] of Object.entries(theirs)) {
      expect(Object.keys(ours[seq]!).sort(), seq).toEqual(Object.keys(row).sort());
      expect(Object.keys(row)).toHaveLength(43);
      for (const [k, v] of Object.entries(row)) expect(Math.abs(ours[seq]![k]! - v), `${seq} ${k}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
    }
  }, 60_000);

  it("eval sot equals MMTracking's real eval_sot_ope on every sequence (float64 ground truth, float32 IoU)", async () => {
    // The first 33 sequences of the 280-sequence bench set: seq-032 has the touching-edge frame that summing the
    // ground truth's x2 = x1 + w in float32 flipped (1.3e-3 points there, 4.7e-6 overall on 280).
    const dir = mkdtempSync(path.join(tmpdir(), 'mmtrack-sot-ref-'));
    const data = writeSotBenchFolder(dir, 33);
    const r = await inProcess(['eval', 'sot', '--gt', data.gtRoot, '--results', data.resultsRoot]);
    expect(r.code).toBe(0);
    const ours = JSON.parse(r.stdout) as Record<string, Record<string, number>>;
    const ref = spawnSync('python3', [shared('references/run_sot_ope.py'), data.gtRoot, data.resultsRoot, '--per-seq'], { encoding: 'utf8', maxBuffer: 1 << 24 });
    expect(ref.status, ref.stderr).toBe(0);
    const theirs = JSON.parse(ref.stdout) as Record<string, Record<string, number>>;
    delete theirs._timing;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const [seq, row] of Object.entries(theirs)) {
      for (const k of ['success', 'precision', 'norm_precision']) expect(Math.abs(ours[seq]![k]! - row[k]!), `${seq} ${k}`).toBeLessThanOrEqual(1e-9);
    }
  }, 120_000);

  it('eval sot (OPE) prints per-sequence and OVERALL percentages of sot/expected.json', async () => {
    const results = mkdtempSync(path.join(tmpdir(), 'mmtrack-sot-'));
    copyFileSync(shared('sot/street-car/result.txt'), path.join(results, 'street-car.txt'));
    const r = await cli(['eval', 'sot', '--gt', shared('sot'), '--results', results]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    const expected = readJson(shared('sot/expected.json'));
    expect(Object.keys(out).sort()).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) expectSameLayout(out[k], expected[k], 1e-4, k);
  });

  it('eval vid and eval vis print the pycocotools / YTVISeval numbers of expected.json', async () => {
    const vid = await cli(['eval', 'vid', '--ann', shared('eval/vid/ann.json'), '--results', shared('eval/vid/results.json')]);
    expect(vid.code).toBe(0);
    const vidOut = JSON.parse(vid.stdout) as Record<string, number>;
    const vidExp = readJson(shared('eval/vid/expected.json'));
    for (const [k, v] of Object.entries(vidExp)) if (typeof v === 'number') expect(Math.abs(vidOut[k]! - v), k).toBeLessThan(1e-6);
    const vis = await cli(['eval', 'vis', '--ann', shared('eval/vis/ann.json'), '--results', shared('eval/vis/results.json')]);
    expect(vis.code).toBe(0);
    const visOut = JSON.parse(vis.stdout) as Record<string, number>;
    const visExp = readJson(shared('eval/vis/expected.json'));
    expect(Object.keys(visOut).sort()).toEqual(Object.keys(visExp).filter((k) => k !== 'source').sort());
    for (const [k, v] of Object.entries(visExp)) if (typeof v === 'number') expect(Math.abs(visOut[k]! - v), k).toBeLessThan(1e-6);
  });

  it('user errors go to stderr with exit 2', async () => {
    const r = await cli(['eval', 'mot', '--gt', shared('eval/mot/gt/mot_challenge'), '--results', '/nonexistent/results']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('RESULTS_FOLDER /nonexistent/results: no such folder');
  });
});

describe('mmtrack eval (in process): malformed input and VOT', () => {
  it('reports a malformed row as a warning and a broken file as an error naming file and line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mmtrack-mot-'));
    const seq = path.join(dir, 'gt', 'MOT17-train', 'S1');
    mkdirSync(path.join(seq, 'gt'), { recursive: true });
    mkdirSync(path.join(dir, 'gt', 'seqmaps'));
    mkdirSync(path.join(dir, 'res'));
    writeFileSync(path.join(dir, 'gt', 'seqmaps', 'MOT17-train.txt'), 'name\nS1\n');
    writeFileSync(path.join(seq, 'seqinfo.ini'), '[Sequence]\nname=S1\nseqLength=2\n');
    writeFileSync(path.join(seq, 'gt', 'gt.txt'), '1,1,0,0,10,10,1,1,1\n2,1,0,0,10,10,1,1,1\n');
    writeFileSync(path.join(dir, 'res', 'S1.txt'), '1,3,0,0,10,10,1\n2,3,0,0,ten,10,1\n');
    const r = await inProcess(['eval', 'mot', '--gt', path.join(dir, 'gt'), '--results', path.join(dir, 'res')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`warning: ${path.join(dir, 'res', 'S1.txt')}:2: column 5 is not a number: 'ten' (row skipped)\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ S1: { TP: 1, FN: 1, FP: 0 } });

    writeFileSync(path.join(seq, 'seqinfo.ini'), '[Sequence]\nname=S1\n');
    const bad = await inProcess(['eval', 'mot', '--gt', path.join(dir, 'gt'), '--results', path.join(dir, 'res')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`mmtrack eval: ${path.join(seq, 'seqinfo.ini')}: missing 'seqLength' in the [Sequence] section\n`);

    const json = path.join(dir, 'bad.json');
    writeFileSync(json, '{\n "images": [,]\n}');
    const vid = await inProcess(['eval', 'vid', '--ann', json, '--results', json]);
    expect(vid.code).toBe(2);
    expect(vid.stderr).toMatch(new RegExp(`^mmtrack eval: ${json.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: invalid JSON`));
  });

  it('eval sot --protocol vot prints eao, accuracy, robustness', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mmtrack-vot-'));
    mkdirSync(path.join(dir, 'gt', 'ants'), { recursive: true });
    mkdirSync(path.join(dir, 'res'));
    writeFileSync(path.join(dir, 'gt', 'ants', 'groundtruth.txt'), Array(5).fill('10,10,29,10,29,29,10,29').join('\n'));
    writeFileSync(path.join(dir, 'res', 'ants.txt'), '1\n10,10,20,20\n10,10,20,20\n2\n0\n');
    const r = await inProcess(['eval', 'sot', '--gt', path.join(dir, 'gt'), '--results', path.join(dir, 'res'), '--protocol', 'vot', '--interval', '0,2', '--frame-size', '100,100']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, number>;
    expect(Object.keys(out)).toEqual(['accuracy', 'eao', 'robustness']);
    expect(out.eao).toBeCloseTo(2 / 3, 6);
    expect(out.robustness).toBeCloseTo(20, 12);
    const bad = await inProcess(['eval', 'sot', '--gt', path.join(dir, 'gt'), '--results', path.join(dir, 'res'), '--protocol', 'vot', '--interval', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--interval must be two numbers A,B (got 'x')");
  });

  it('a warning says "row skipped" only for rows that were skipped; a row used with a default is a note', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mmtrack-vid-notes-'));
    const ann = {
      images: [{ id: 1, file_name: 'a.jpg', width: 100, height: 100 }],
      categories: [{ id: 1, name: 'car' }],
      annotations: [
        { id: 1, image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], iscrowd: 0 },
        { id: 2, image_id: 9, category_id: 1, bbox: [10, 10, 20, 20], area: 400, iscrowd: 0 },
      ],
    };
    writeFileSync(path.join(dir, 'ann.json'), JSON.stringify(ann));
    writeFileSync(path.join(dir, 'res.json'), JSON.stringify([{ image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 }]));
    const r = await inProcess(['eval', 'vid', '--ann', path.join(dir, 'ann.json'), '--results', path.join(dir, 'res.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [`warning: ${path.join(dir, 'ann.json')}: annotations[0]: no 'area'; using bbox w*h`, `warning: ${path.join(dir, 'ann.json')}: annotations[1]: image_id 9 is not in images (row skipped)`].map((l) => `${l}\n`).join(''),
    );
    expect((JSON.parse(r.stdout) as Record<string, number>).bbox_mAP).toBeCloseTo(1, 12);
  });
});
