import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryConfigFs } from './config-fs.ts';
import { loadConfig } from './config-loader.ts';
import { isConfigDict } from './config-value.ts';
import { readOnnxSection } from './onnx-spec.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Every file under configs/, keyed 'configs/...' as the app bundles them. */
function repoConfigFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(`${repoRoot}${dir}`, { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else files[path] = readFileSync(`${repoRoot}${path}`, 'utf8');
    }
  };
  walk('configs');
  return files;
}

describe('configs/', () => {
  const files = repoConfigFiles();
  const configs = Object.keys(files).filter((p) => /\.(py|json|ya?ml)$/.test(p) && !p.includes('/_base_/')).sort();

  it('has the MMTracking layout: _base_ parts and one folder per task family', () => {
    for (const dir of ['configs/_base_/models/', 'configs/_base_/datasets/', 'configs/det/', 'configs/mot/', 'configs/sot/', 'configs/vid/', 'configs/vis/']) {
      expect(Object.keys(files).some((p) => p.startsWith(dir)), dir).toBe(true);
    }
    expect(files['configs/_base_/default_runtime.py']).toBeDefined();
  });

  it('every config loads, has a model with a type, and a valid onnx section when it has one', async () => {
    const fs = memoryConfigFs(files);
    for (const path of configs) {
      const { config, files: read } = await loadConfig(path, fs);
      expect(isConfigDict(config.model), path).toBe(true);
      expect(typeof (isConfigDict(config.model) ? config.model.type : undefined), path).toBe('string');
      readOnnxSection(config);
      // Every _base_ file is used by some config.
      for (const f of read) expect(files[f], f).toBeDefined();
    }
    const used = new Set<string>();
    for (const path of configs) for (const f of (await loadConfig(path, fs)).files) used.add(f);
    expect(Object.keys(files).filter((p) => p.endsWith('.py') && !used.has(p))).toEqual([]);
  });

  it('the configs this project runs name their ONNX files', async () => {
    const fs = memoryConfigFs(files);
    for (const [path, roles] of [
      ['configs/det/centernet_mobilenetv3_coco.py', ['detector']],
      ['configs/mot/bytetrack/bytetrack_centernet_mobilenetv3_coco-person.py', ['detector']],
      ['configs/sot/nanotrack/nanotrack_v2.py', ['backbone', 'head']],
    ] as const) {
      const { config } = await loadConfig(path, fs);
      expect(readOnnxSection(config).map((s) => s.role), path).toEqual(roles);
    }
  });
});
