// Configs written to break the parser (issue 16): each is refused with exit-2 material (a ConfigError naming the file
// and what is wrong), quickly and in bounded memory; none overflows the stack or builds a huge value.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { memoryConfigFs } from './config-fs.ts';
import { loadConfig } from './config-loader.ts';
import { MAX_CONFIG_BYTES, nodeConfigFs } from './node-config-fs.node.ts';

const dir = mkdtempSync(join(tmpdir(), 'hostile-configs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function problemOf(files: Record<string, string>, path: string): Promise<string> {
  try {
    await loadConfig(path, memoryConfigFs(files));
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error(`${path} loaded`);
}

describe('hostile configs', () => {
  it('thousands of nested brackets, dict( calls and unary minus: a nesting limit, with the place', async () => {
    expect(await problemOf({ 'a.py': `a = ${'['.repeat(5000)}` }, 'a.py')).toMatch(/^a\.py:1:105: the value is nested more than 100 levels deep\n {2}1 \| …\[+…\n {4,}\^$/);
    expect(await problemOf({ 'b.py': `b = ${'dict(x='.repeat(3000)}1${')'.repeat(3000)}` }, 'b.py')).toMatch(/^b\.py:1:\d+: the value is nested more than 100 levels deep/);
    expect(await problemOf({ 'c.py': `c = ${'-'.repeat(100000)}1` }, 'c.py')).toMatch(/^c\.py:1:\d+: the value is nested more than 100 levels deep/);
    // A config nested as deep as real ones is fine.
    const cfg = (await loadConfig('d.py', memoryConfigFs({ 'd.py': `d = ${'['.repeat(50)}1${']'.repeat(50)}` }))).config;
    expect(JSON.stringify(cfg)).toBe(`{"d":${'['.repeat(50)}1${']'.repeat(50)}}`);
  }, 5000);

  it('values built by repetition or concatenation past the limits are refused before they are built', async () => {
    expect(await problemOf({ 'a.py': "a = 'a' * 10**9\n" }, 'a.py')).toMatch(/^a\.py:1:9: this string would have 1000000000 characters; a config value may have at most 10000000/);
    expect(await problemOf({ 'b.py': 'b = [0] * 10**9\n' }, 'b.py')).toMatch(/^b\.py:1:9: this list would have 1000000000 items; a config value may have at most 1000000/);
    // Doubling by concatenation stops at the limit too.
    const doubling = ['x = [0] * 1000', ...Array.from({ length: 30 }, () => 'x = x + x')].join('\n');
    expect(await problemOf({ 'c.py': `${doubling}\n` }, 'c.py')).toMatch(/^c\.py:\d+:\d+: this list would have 1024000 items/);
    const text = ["s = 'abcdefghij' * 1000", ...Array.from({ length: 30 }, () => 's = s + s')].join('\n');
    expect(await problemOf({ 'd.py': `${text}\n` }, 'd.py')).toMatch(/this string would have 10240000 characters/);
  }, 5000);

  it('a YAML alias that contains itself and 100 000 nested JSON arrays: a depth limit, naming the file', async () => {
    expect(await problemOf({ 'a.yaml': 'a: &x [*x]\n' }, 'a.yaml')).toMatch(/^a\.yaml: a\[0\]\[0\].*…: nested more than 100 levels deep \(a YAML alias that contains itself\?\)$/);
    expect(await problemOf({ 'b.json': `{"b": ${'['.repeat(100000)}${']'.repeat(100000)}}` }, 'b.json')).toMatch(/^b\.json: b\[0\].*: nested more than 100 levels deep/);
  }, 5000);

  it('a file that is not a config file: a device, a folder, one too large', async () => {
    const dev = join(dir, 'zero.py');
    symlinkSync('/dev/zero', dev);
    await expect(loadConfig(dev, nodeConfigFs)).rejects.toThrow(`${dev}: cannot read config file: is not a regular file (a device, a pipe or a socket?), not a config file`);
    const big = join(dir, 'big.py');
    writeFileSync(big, `a = 1\n${'#'.repeat(MAX_CONFIG_BYTES)}\n`);
    await expect(loadConfig(big, nodeConfigFs)).rejects.toThrow(`${big}: cannot read config file: is 4.2 MB; a config file may be at most 4 MB`);
    mkdirSync(join(dir, 'folder.py'));
    await expect(loadConfig(join(dir, 'folder.py'), nodeConfigFs)).rejects.toThrow('folder.py: cannot read config file: is a directory, not a config file');
  }, 5000);
});

describe('YAML tags', () => {
  it("PyYAML's !!python/... tags are refused at their place, not dropped", async () => {
    expect(await problemOf({ 'a.yaml': 'a: !!python/tuple [1, 2]\n' }, 'a.yaml')).toMatch(/^a\.yaml:1:4: the YAML tag !!python\/tuple is not supported: configs are data/);
    expect(await problemOf({ 'b.yaml': 'x: 1\nb: !!python/object/apply:os.system ["ls"]\n' }, 'b.yaml')).toMatch(/^b\.yaml:2:4: the YAML tag !!python\/object\/apply:os\.system is not supported/);
  });
});
