import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'print-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

write('base.py', "model = dict(type='ByteTrack', tracker=dict(obj_score_thr=0.5, num_frames_retain=30))\nzeta = [1, 2]\nalpha = 'a'\n");
const child = write('child.py', "_base_ = './base.py'\nmodel = dict(tracker=dict(num_frames_retain=10))\n");
const broken = write('broken.py', "_base_ = './base.py'\nmodel = dict(\n    tracker=dict(obj_score_thr=0.5 if x else 0.6))\n");

async function runInProcess(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('print-config (in process)', () => {
  it('prints the merged config as JSON with sorted keys', async () => {
    const { code, stdout, stderr } = await runInProcess('print-config', child);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(`{
  "alpha": "a",
  "model": {
    "tracker": {
      "num_frames_retain": 10,
      "obj_score_thr": 0.5
    },
    "type": "ByteTrack"
  },
  "zeta": [
    1,
    2
  ]
}
`);
  });

  it('takes an absolute _base_ path as MMCV does (osp.join keeps it)', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'print-config-abs-'));
    const abs = join(elsewhere, 'abs.py');
    writeFileSync(abs, `_base_ = ['${join(dir, 'base.py')}']\nalpha = 'b'\n`);
    const { code, stdout, stderr } = await runInProcess('print-config', abs);
    rmSync(elsewhere, { recursive: true, force: true });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ alpha: 'b', zeta: [1, 2] });
  });

  it('applies --cfg-options (several after one flag, and --cfg-options=K=V)', async () => {
    const { code, stdout } = await runInProcess('print-config', child, '--cfg-options', 'model.tracker.obj_score_thr=0.6', 'zeta=[(a,1)]', '--cfg-options=alpha=None');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ alpha: null, model: { type: 'ByteTrack', tracker: { obj_score_thr: 0.6, num_frames_retain: 10 } }, zeta: [['a', 1]] });
  });

  it('reports user errors on stderr with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [[broken], /^mmtrack print-config: .*broken\.py:3:36: conditional expressions \(x if c else y\) are not supported\n {2}3 \| {5}tracker=dict\(obj_score_thr=0\.5 if x else 0\.6\)\)\n/],
      [[join(dir, 'nope.py')], /^mmtrack print-config: .*nope\.py: cannot read config file: no such file/],
      [[child, '--cfg-options', 'model.tracker.obj_score_thr.x=1'], /--cfg-options 'model\.tracker\.obj_score_thr\.x=1': model\.tracker\.obj_score_thr is float 0\.5 in the config, so it has no 'x' to set/],
      [[child, '--cfg-options', 'novalue'], /--cfg-options 'novalue': expected KEY=VALUE/],
      [[child, '--cfg-options'], /--cfg-options needs at least one KEY=VALUE/],
      [[], /missing CONFIG/],
      [[child, '--options', 'a=1'], /unknown option '--options'/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await runInProcess('print-config', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
    }
  });

  it('prints several configs as one object keyed by the paths given', async () => {
    const { code, stdout } = await runInProcess('print-config', child, join(dir, 'base.py'), '--cfg-options', 'alpha=b');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Record<string, { alpha: string; model: { tracker: { num_frames_retain: number } } }>;
    expect(Object.keys(out)).toEqual([join(dir, 'base.py'), child]);
    expect(out[child]?.model.tracker.num_frames_retain).toBe(10);
    expect(out[join(dir, 'base.py')]?.model.tracker.num_frames_retain).toBe(30);
    expect(out[child]?.alpha).toBe('b');
  });

  it('prints its usage with --help', async () => {
    const { code, stdout } = await runInProcess('print-config', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: mmtrack print-config CONFIG\.\.\. \[--cfg-options KEY=VALUE \.\.\.\]/);
  });
});

function spawnCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(repoRoot, 'bin/mmtrack'), args, { cwd: repoRoot }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('./bin/mmtrack print-config (end to end)', () => {
  it('prints a repo config, applies --cfg-options, fails with exit 2, and --help lists the command', async () => {
    const [ok, bad, help] = await Promise.all([
      spawnCli(['print-config', 'configs/sot/siamese_rpn/siamese_rpn_r50_1x_lasot.py', '--cfg-options', 'model.test_cfg.rpn.lr=0.4', 'data.train.0.times=2']),
      spawnCli(['print-config', broken]),
      spawnCli(['--help']),
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const cfg = JSON.parse(ok.stdout) as { model: { test_cfg: { rpn: unknown } }; data: { train: { times: number }[] }; crop_size: number };
    expect(cfg.model.test_cfg.rpn).toEqual({ penalty_k: 0.05, window_influence: 0.42, lr: 0.4 });
    expect(cfg.data.train[0]?.times).toBe(2);
    expect(cfg.crop_size).toBe(511);
    expect(Object.keys(cfg)).toEqual([...Object.keys(cfg)].sort());

    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('broken.py:3:36: conditional expressions');

    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}print-config +print the merged config/m);
  });
});
