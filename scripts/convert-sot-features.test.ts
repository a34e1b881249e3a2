/** The install-time conversion of the default SOT feature extractor: written once with its sidecar, then a no-op. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertSotFeatures, type FeatureSidecar } from './convert-sot-features.ts';

const out = mkdtempSync(join(tmpdir(), 'convert-sot-features-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('scripts/convert-sot-features.ts', () => {
  it('writes the model and a sidecar with its sha256 and shapes, is idempotent and repairs a damaged file', () => {
    expect(convertSotFeatures(['--out', out])).toMatch(/wrote .*mobilenetv3_features_s8\.onnx/);
    const onnx = readFileSync(join(out, 'mobilenetv3_features_s8.onnx'));
    const sidecar = JSON.parse(readFileSync(join(out, 'mobilenetv3_features_s8.json'), 'utf8')) as FeatureSidecar;
    expect(sidecar.sha256).toBe(createHash('sha256').update(onnx).digest('hex'));
    expect(sidecar.input).toMatchObject({ name: 'crop', shape: [1, 3, 255, 255], colorOrder: 'RGB' });
    expect(sidecar.output).toMatchObject({ name: 'features', shape: [1, 32, 32, 32], stride: 8 });
    expect(convertSotFeatures(['--out', out])).toMatch(/is up to date/);
    writeFileSync(join(out, 'mobilenetv3_features_s8.onnx'), 'truncated');
    expect(convertSotFeatures(['--out', out])).toMatch(/wrote/);
    expect(readFileSync(join(out, 'mobilenetv3_features_s8.onnx')).equals(onnx)).toBe(true);
  });
});
