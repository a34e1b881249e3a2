/** The install-time conversion: writes the model and its sidecar, then is a no-op until something changes. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConvertedModelSidecar } from '../src/runtime/convert/converted-model-sidecar.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'convert-models-'));
const run = (...args: string[]) =>
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), join(repoRoot, 'scripts/convert-models.ts'), '--out', out, ...args], {
    encoding: 'utf8',
  });

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('scripts/convert-models.ts', () => {
  it('converts, records the sha256 and shapes in the sidecar, and is idempotent', () => {
    // 219 nodes: each hard swish is a HardSwish and a Mul (fuse-hard-swish.ts).
    expect(run()).toMatch(/convert-models: wrote .*centernet_mobilenetv3_coco\.onnx \(8\.1 MB, 219 nodes/);
    const onnx = readFileSync(join(out, 'centernet_mobilenetv3_coco.onnx'));
    const sidecar = JSON.parse(readFileSync(join(out, 'centernet_mobilenetv3_coco.json'), 'utf8')) as ConvertedModelSidecar;
    expect(sidecar.sha256).toBe(createHash('sha256').update(onnx).digest('hex'));
    expect(sidecar.bytes).toBe(onnx.length);
    expect(sidecar.input).toMatchObject({ name: 'images', shape: [1, 3, 512, 512], layout: 'NCHW', range: [0, 255] });
    expect(sidecar.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['keypoints', [1, 80, 128, 128]],
      ['wh', [1, 4, 128, 128]],
    ]);
    expect(sidecar.labels).toHaveLength(80);
    expect(Object.keys(sidecar.source.files)).toEqual(['models/centernet.json', 'models/centernet.bin']);

    expect(run()).toMatch(/is up to date/);
    // A damaged model is rewritten; --force always reconverts, to the same bytes.
    writeFileSync(join(out, 'centernet_mobilenetv3_coco.onnx'), 'truncated');
    expect(run()).toMatch(/wrote/);
    expect(run('--force')).toMatch(/wrote/);
    expect(readFileSync(join(out, 'centernet_mobilenetv3_coco.onnx')).equals(onnx)).toBe(true);
  });
});
