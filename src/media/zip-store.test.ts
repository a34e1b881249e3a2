import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipStore } from './zip-store.ts';

describe('zipStore', () => {
  it('python’s zipfile reads the names and bytes back (CRCs checked)', () => {
    const files = [{ name: '3/000000.png', data: Uint8Array.from([1, 2, 3, 250]) }, { name: '12/000007.png', data: new TextEncoder().encode('hello') }];
    const dir = mkdtempSync(join(tmpdir(), 'zip-'));
    writeFileSync(join(dir, 'a.zip'), zipStore(files));
    const r = spawnSync('python3', ['-c', 'import zipfile,sys,json; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps({n: list(z.read(n)) for n in z.namelist()}))', join(dir, 'a.zip')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(Object.fromEntries(files.map((f) => [f.name, [...f.data]])));
    expect(readFileSync(join(dir, 'a.zip')).length).toBeGreaterThan(0);
  });
});
