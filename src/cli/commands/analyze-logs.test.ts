import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REFERENCE, REFERENCE_LOGS, REFERENCE_WITH_OUTLIERS } from '../../core/logs/fixtures/cal-train-time-reference.ts';
import { main } from '../main.ts';
import { readJsonLogFile } from '../read-json-log.ts';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const RUN1 = '../shared/logs/dff_r50_run1.log.json';
const RUN2 = '../shared/logs/dff_r50_run2.log.json';
const tmp = mkdtempSync(path.join(tmpdir(), 'mmtrack-analyze-logs-'));

async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(repoRoot); // log paths are printed as given, relative to the repository root
  try {
    const code = await main(['analyze-logs', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  } finally {
    process.chdir(cwd);
  }
}

describe('mmtrack analyze-logs cal_train_time', () => {
  it("prints exactly MMTracking's text", async () => {
    expect(await inProcess(['cal_train_time', ...REFERENCE_LOGS])).toEqual({ code: 0, stdout: REFERENCE, stderr: '' });
    expect((await inProcess(['cal_train_time', ...REFERENCE_LOGS, '--include-outliers'])).stdout).toBe(REFERENCE_WITH_OUTLIERS);
  });

  it('through ./bin/mmtrack too', async () => {
    const { stdout, code } = await new Promise<{ stdout: string; code: number }>((resolve) => {
      execFile(path.join(repoRoot, 'bin/mmtrack'), ['analyze-logs', 'cal_train_time', ...REFERENCE_LOGS], { cwd: repoRoot }, (err, out) =>
        resolve({ stdout: out, code: err ? 1 : 0 }),
      );
    });
    expect({ stdout, code }).toEqual({ stdout: REFERENCE, code: 0 });
  });

  it('skips malformed lines, says so on stderr, and keeps stdout clean', async () => {
    const lines = readFileSync(path.join(repoRoot, RUN1), 'utf8').trimEnd().split('\n');
    lines.splice(5, 0, '{"mode": "train", "epoch": 1, "iter": 2');
    lines.splice(9, 0, 'not json');
    const bad = path.join(tmp, 'bad.log.json');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    const r = await inProcess(['cal_train_time', bad]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(REFERENCE.split('\n\n')[0]!.replace(RUN1, bad) + '\n\n');
    expect(r.stderr).toContain(`warning: ${bad}: skipped 2 malformed lines`);
    expect(r.stderr).toContain(`warning: ${bad}:6: not valid JSON`);
    expect(r.stderr).toContain(`warning: ${bad}:10: not valid JSON`);
  });

  it('errors (exit 2) name the file', async () => {
    expect(await inProcess(['cal_train_time', 'nope.log.json'])).toMatchObject({ code: 2, stderr: 'mmtrack analyze-logs: nope.log.json: no such file\n' });
    expect((await inProcess(['cal_train_time', 'log.txt'])).stderr).toMatch(/log\.txt: not a JSON log/);
    expect((await inProcess(['cal_train_time'])).stderr).toMatch(/missing LOG\.json/);
    expect((await inProcess(['frobnicate'])).stderr).toMatch(/unknown task 'frobnicate'/);
    const empty = path.join(tmp, 'empty.log.json');
    writeFileSync(empty, '{"env_info": "x"}\n');
    expect(await inProcess(['cal_train_time', empty])).toMatchObject({ code: 2, stderr: expect.stringMatching(/empty\.log\.json: no line with an "epoch"/) as string });
  });
});

describe('mmtrack analyze-logs plot_curve', () => {
  it("writes an SVG and prints the script's lines", async () => {
    const out = path.join(tmp, 'curves.svg');
    const r = await inProcess(['plot_curve', RUN1, RUN2, '--keys', 'loss_cls', 'bbox_mAP_50', '--title', 'DFF <r50>', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `plot curve of ${RUN1}, metric is loss_cls`,
        `plot curve of ${RUN1}, metric is bbox_mAP_50`,
        `plot curve of ${RUN2}, metric is loss_cls`,
        `plot curve of ${RUN2}, metric is bbox_mAP_50`,
        `save curve to: ${out}`,
        '',
      ].join('\n'),
    );
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('>DFF &lt;r50&gt;</text>');
    expect(svg).toContain(`>${RUN1}_loss_cls</text>`);
    expect(svg).toContain(`>${RUN2}_bbox_mAP_50</text>`);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
  });

  it('writes a PNG', async () => {
    const out = path.join(tmp, 'curves.png');
    const r = await inProcess(['plot_curve', RUN1, '--keys', 'loss', '--legend', 'run1', '--out', out]);
    expect(r.code).toBe(0);
    const png = readFileSync(out);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: width and height at bytes 16..24, twice the SVG's size (zoom 2).
    expect(png.readUInt32BE(16)).toBe(1600);
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
  });

  it('prints the curve data as JSON without --out, values as in the log', async () => {
    const r = await inProcess(['plot_curve', RUN2, '--keys', 'bbox_mAP']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as { xAxis: string; series: { label: string; x: number[]; y: number[] }[] };
    const val = readFileSync(path.join(repoRoot, RUN2), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.mode === 'val');
    expect(data).toEqual({ xAxis: 'epoch', series: [{ run: RUN2, key: 'bbox_mAP', label: `${RUN2}_bbox_mAP`, perEpoch: true, x: [1, 2, 3, 4, 5, 6, 7], y: val.map((l) => l.bbox_mAP) }] });
    expect(r.stderr).toBe(`plot curve of ${RUN2}, metric is bbox_mAP\n`);
  });

  it('an unknown key exits 2 naming the keys that exist', async () => {
    const r = await inProcess(['plot_curve', RUN1, '--keys', 'loss_clss', '--out', path.join(tmp, 'x.svg')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dff_r50_run1\.log\.json does not contain metric loss_clss; its keys are: mode, iter, lr, .*loss_cls, .*bbox_mAP_50/);
  });

  it('checks --legend, --out, --x and --smooth', async () => {
    expect((await inProcess(['plot_curve', RUN1, RUN2, '--keys', 'loss', '--legend', 'a'])).stderr).toMatch(/--legend needs 2 entries/);
    expect((await inProcess(['plot_curve', RUN1, '--out', 'x.pdf'])).stderr).toMatch(/must end with \.svg or \.png/);
    expect((await inProcess(['plot_curve', RUN1, '--x', 'time'])).stderr).toMatch(/--x must be iter or epoch/);
    expect((await inProcess(['plot_curve', RUN1, '--smooth', '1'])).code).toBe(2);
    const smooth = JSON.parse((await inProcess(['plot_curve', RUN1, '--keys', 'loss', '--smooth', '0.9', '--x', 'epoch'])).stdout) as { xAxis: string; series: { y: number[] }[] };
    expect(smooth.xAxis).toBe('epoch');
    expect(smooth.series[0]!.y).toHaveLength(420);
  });
});

describe('readJsonLogFile', () => {
  it('streams a file in tiny chunks, splitting lines and UTF-8 characters', async () => {
    const text = '{"env_info": "Tesla V100 — 🚀"}\n{"epoch": 1, "mode": "train", "iter": 1, "note": "ünï 数据", "loss": 2}\n{"epoch": 1, "mode": "train", "iter": 2, "loss": 1}\n';
    const file = path.join(tmp, 'utf8.log.json');
    writeFileSync(file, text);
    for (const size of [1, 2, 3, 5]) {
      const log = await readJsonLogFile(file, size);
      expect(log.envInfo).toEqual({ env_info: 'Tesla V100 — 🚀' });
      expect(log.epochs[0]!.columns.get('note')!.toArray()).toEqual(['ünï 数据']);
      expect(log.epochs[0]!.columns.get('loss')!.toArray()).toEqual([2, 1]);
      expect(log.stats.malformedCount).toBe(0);
    }
  });
});
