// Every config under configs/ reads as MMCV reads it (issue 16): `scripts/fixtures/mmcv_config_reference.py`
// restates MMCV 1.x's Config._file2dict and *executes* each file with python3; our loader parses and merges it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryConfigFs } from './config-fs.ts';
import { loadConfig } from './config-loader.ts';
import { type ConfigValue, isConfigDict } from './config-value.ts';
import { stripDeleteKeys } from './merge.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function listConfigs(dir: string): string[] {
  return readdirSync(`${repoRoot}${dir}`, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listConfigs(`${dir}/${e.name}`) : e.name.endsWith('.py') ? [`${dir}/${e.name}`] : [],
  );
}

/** JSON's view of a value: what both sides can be compared on (our tuples are arrays, Python's become lists). */
const asJson = (value: ConfigValue): unknown => JSON.parse(JSON.stringify(value));

describe('configs/ read as MMCV reads them', () => {
  const paths = listConfigs('configs').filter((p) => !p.includes('/_base_/')).sort();
  const files = Object.fromEntries(listConfigs('configs').map((p) => [p, readFileSync(`${repoRoot}${p}`, 'utf8')]));
  const reference = JSON.parse(
    execFileSync('python3', ['scripts/fixtures/mmcv_config_reference.py', ...paths], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 }),
  ) as Record<string, ConfigValue>;

  it('covers every config, the f-string ones MMTracking ships among them', () => {
    expect(paths.length).toBeGreaterThanOrEqual(20);
    expect(paths.filter((p) => /\bf'/.test(files[p] as string))).toEqual([
      'configs/mot/deepsort/sort_faster-rcnn_fpn_4e_mot17-private.py',
      'configs/mot/tracktor/tracktor_faster-rcnn_r50_fpn_4e_mot17-private.py',
    ]);
  });

  it.each(paths)('%s', async (path) => {
    const { config } = await loadConfig(path, memoryConfigFs(files));
    // MMCV leaves a `_delete_` behind where there was nothing to delete; we never do (docs/configs.md).
    const expected = stripDeleteKeys(reference[path] as ConfigValue);
    expect(isConfigDict(expected)).toBe(true);
    expect(asJson(config)).toEqual(asJson(expected));
  });

  it('the f-string configs substitute their own test_set', () => {
    expect((reference['configs/mot/tracktor/tracktor_faster-rcnn_r50_fpn_4e_mot17-private.py'] as { data: { test: { ann_file: string } } }).data.test.ann_file).toBe(
      'data/MOT17/annotations/test_cocoformat.json',
    );
  });
});
