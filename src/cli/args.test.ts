import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ArgsSpec, parseCommandArgs } from './args.ts';
import { cliReference } from './cli-docs.ts';
import { commands } from './main.ts';
import { prepareOutputFile, prepareOutputFolder, writeOutputFile } from './output-path.ts';
import { runCli } from './run-cli.node.ts';

const repo = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'mmtrack-args-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (...args: string[]) => runCli(args);

const spec = {
  positionals: [{ name: 'CONFIG', help: 'a config' }],
  flags: {
    out: { type: 'string', value: 'FILE', required: true, help: 'output' },
    'min-det-score': { type: 'string', value: 'T', deprecated: ['score-thr'], help: 'threshold' },
    json: { type: 'boolean', help: 'JSON' },
    'cfg-options': { type: 'list', value: 'KEY=VALUE', help: 'overrides' },
  },
} satisfies ArgsSpec;

describe('the argument parser', () => {
  const io = () => {
    const err: string[] = [];
    return { io: { stdout: () => undefined, stderr: (t: string) => void err.push(t) }, err };
  };

  it('reads positionals, values, switches and lists (several after one flag, and --flag=value)', () => {
    const { io: out } = io();
    const r = parseCommandArgs('x', spec, ['a.py', '--out', 'o.json', '--json', '--cfg-options', 'a=1', 'b=2', '--cfg-options=c=3'], out);
    expect(r.positionals).toEqual(['a.py']);
    expect(r.flags).toMatchObject({ out: 'o.json', json: true, 'cfg-options': ['a=1', 'b=2', 'c=3'] });
    expect(r.flags['min-det-score']).toBeUndefined();
  });

  it('keeps a former flag name working, with a deprecation line', () => {
    const { io: out, err } = io();
    const r = parseCommandArgs('x', spec, ['a.py', '--out', 'o', '--score-thr', '0.4'], out);
    expect(r.flags['min-det-score']).toBe('0.4');
    expect(err.join('')).toBe('warning: --score-thr is deprecated; use --min-det-score\n');
  });

  it('refuses unknown flags, missing values, missing required flags and extra positionals, pointing to --help', () => {
    const { io: out } = io();
    const parse = (...args: string[]) => () => parseCommandArgs('x', spec, args, out);
    expect(parse('a.py', '--out', 'o', '--bogus')).toThrow("unknown option '--bogus' (run mmtrack x --help)");
    expect(parse('a.py', '--out')).toThrow(/--out.*argument missing.*\(run mmtrack x --help\)/);
    expect(parse('a.py')).toThrow('missing --out FILE (run mmtrack x --help)');
    expect(parse('--out', 'o')).toThrow('missing CONFIG (run mmtrack x --help)');
    expect(parse('a.py', 'b.py', '--out', 'o')).toThrow("unexpected argument 'b.py'");
    expect(parse('a.py', '--out', 'o', '--cfg-options')).toThrow('--cfg-options needs at least one KEY=VALUE');
    // A value that starts with a dash is given as --flag=value (Node's hint, kept).
    expect(parse('a.py', '--out', '-x')).toThrow(/argument is ambiguous.*'--out=-XYZ'.*\(run mmtrack x --help\)/);
    expect(parseCommandArgs('x', spec, ['a.py', '--out=-x'], io().io).flags.out).toBe('-x');
  });
});

describe('every command', () => {
  it('has one help format: a usage line, its arguments and options, --help', async () => {
    for (const c of commands) {
      const { code, stdout } = await run(c.name, '--help');
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^usage: mmtrack ${c.name}( |$)`, 'm'));
      expect(stdout).toContain('  --help, -h  show this help');
    }
  });

  it('gives one meaning to each flag name: the same kind (switch, value or list) in every command', () => {
    const kinds = new Map<string, Set<string>>();
    for (const c of commands) {
      for (const m of c.help.matchAll(/^ {2}--([a-z0-9-]+)( [^ ].*?)?(?: {2,}|\n)/gm)) {
        const kind = m[2] === undefined ? 'switch' : m[2].includes('...') ? 'list' : 'value';
        const set = kinds.get(m[1]!) ?? new Set();
        set.add(`${kind}`);
        kinds.set(m[1]!, set);
      }
    }
    expect(kinds.get('json')).toEqual(new Set(['switch']));
    for (const [flag, set] of kinds) expect([flag, [...set]]).toEqual([flag, [...set].slice(0, 1)]);
    // The detector's threshold is --score-thr (detect); dropping detections before tracking is --min-det-score.
    expect(commands.find((c) => c.name === 'detect')!.help).toContain('--score-thr T');
    for (const name of ['track', 'search-params']) expect(commands.find((c) => c.name === name)!.help).toContain('formerly --score-thr');
  });

  it('docs/cli.md is the --help of every command', () => {
    expect(readFileSync(join(repo, 'docs/cli.md'), 'utf8')).toBe(cliReference());
  });

  it('README and docs name only flags their command takes', () => {
    const flagsOf = new Map(commands.map((c) => [c.name, new Set([...c.help.matchAll(/--([a-z0-9-]+)/g)].map((m) => m[1]!))]));
    const files = ['README.md', ...readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md') && f !== 'cli.md').map((f) => `docs/${f}`)];
    const wrong: string[] = [];
    for (const file of files) {
      for (const line of readFileSync(join(repo, file), 'utf8').split('\n')) {
        // A line that shows one command: `mmtrack NAME ...` or a README table row `| `NAME ...` |`.
        const m = /(?:mmtrack |^\| `)([a-z-]+)\b(.*)/.exec(line);
        const flags = m && flagsOf.get(m[1]!);
        if (!flags) continue;
        const shown = m[2]!.split(/\s+(?:\||&&|;)\s+|\bmmtrack\b/)[0]!;
        for (const f of shown.matchAll(/--([a-z0-9-]+)/g)) if (!flags.has(f[1]!)) wrong.push(`${file}: mmtrack ${m[1]} --${f[1]}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('outputs', () => {
  it('are checked before the work starts: a missing folder is created, a folder given as a file is refused', async () => {
    const file = join(tmp, 'new', 'deeper', 'r.json');
    await prepareOutputFile(file, '--out');
    expect(existsSync(join(tmp, 'new', 'deeper'))).toBe(true);
    await expect(prepareOutputFile(tmp, '--out')).rejects.toThrow(`--out ${tmp}: is a folder; give a file name`);
    const plain = join(tmp, 'plain.txt');
    writeFileSync(plain, 'x');
    await expect(prepareOutputFolder(plain, '--out')).rejects.toThrow(`--out ${plain}: is a file, not a folder`);
    await expect(prepareOutputFile(join(plain, 'r.json'), '--out')).rejects.toThrow('is a file, not a folder');
  });

  it('are written whole: the file appears only complete, and a failed write leaves nothing behind', async () => {
    const file = join(tmp, 'whole.json');
    await writeOutputFile(file, '[1,2,3]');
    expect(readFileSync(file, 'utf8')).toBe('[1,2,3]');
    const blocked = join(tmp, 'blocked');
    mkdirSync(join(blocked, 'target.json'), { recursive: true });
    await expect(writeOutputFile(join(blocked, 'target.json'), 'x')).rejects.toThrow(/target\.json: could not be written/);
    expect(readdirSync(blocked)).toEqual(['target.json']);
  });

  it('a command refuses an output path that is a folder before it runs anything', async () => {
    const r = await run('report', '--eval', join(repo, '../shared/sot/expected.json'), '--out', tmp);
    expect(r).toMatchObject({ code: 2, stderr: `mmtrack report: --out ${tmp}: is a folder; give a file name\n` });
    const logs = await run('analyze-logs', 'plot_curve', join(repo, '../shared/logs/dff_r50_run1.log.json'), '--out', join(tmp, 'plots', 'a.svg'));
    expect(logs.code).toBe(0);
    expect(existsSync(join(tmp, 'plots', 'a.svg'))).toBe(true);
  });
});

describe('sizes and ranges from the command line are checked before any work', () => {
  it('a SOT search range with a tiny step, a backward VOT interval and an empty frame size exit 2 with the reason', async () => {
    const nano = 'configs/sot/nanotrack/nanotrack_v2.py';
    let r = await runCli(['search-params', nano, '--gt', tmp, '--lr-range', '0,1,0.00001']);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('--lr-range: arange(0, 1, 0.00001) has 100000 values; at most 1000') as string });
    const sot = join(repo, '../shared/sot');
    r = await runCli(['eval', 'sot', '--gt', sot, '--results', sot, '--protocol', 'vot', '--interval', '300,100']);
    expect(r).toMatchObject({ code: 2, stderr: 'mmtrack eval: --interval 300,100: the start must be >= 0 and not after the end\n' });
    r = await runCli(['eval', 'sot', '--gt', sot, '--results', sot, '--protocol', 'vot', '--frame-size', '0,0']);
    expect(r).toMatchObject({ code: 2, stderr: 'mmtrack eval: --frame-size 0,0: width and height must be > 0\n' });
  });
});

describe('failures', () => {
  it('an internal error is one line without a stack (MMTRACK_DEBUG=1 adds it); the exit code is 1', async () => {
    const boom = { name: 'boom', summary: 'fails', help: 'usage: mmtrack boom\n', run: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'x')")) };
    commands.push(boom);
    try {
      const r = await runCli(['boom']);
      expect(r).toEqual({ code: 1, stdout: '', stderr: "mmtrack boom: internal error: Cannot read properties of undefined (reading 'x') (please report it; MMTRACK_DEBUG=1 shows where)\n" });
      process.env.MMTRACK_DEBUG = '1';
      expect((await runCli(['boom'])).stderr).toMatch(/\nTypeError: Cannot read properties[^\n]*\n\s+at /);
    } finally {
      delete process.env.MMTRACK_DEBUG;
      commands.pop();
    }
  });
});

describe('JSON output', () => {
  it('print-config writes non-finite numbers as null (valid for JSON.parse and Python) and says where', async () => {
    const cfg = join(tmp, 'inf.py');
    writeFileSync(cfg, 'a = 1e400\nb = dict(c=[2**1024, -1e400])\n');
    const r = await runCli(['print-config', cfg, '--cfg-options', 'd=nan']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ a: null, b: { c: [null, null] }, d: null });
    expect(r.stderr).toBe(['a: inf', 'b.c[0]: inf', 'b.c[1]: -inf', 'd: nan'].map((w) => `warning: ${w} has no JSON form; printed as null\n`).join(''));
  });
});
