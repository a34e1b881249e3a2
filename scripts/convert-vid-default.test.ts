/** The install-time conversion of the default VID method's two graphs: written once with their sidecar, then a no-op. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertVidDefault, type VidDefaultSidecar } from './convert-vid-default.ts';

const out = mkdtempSync(join(tmpdir(), 'convert-vid-default-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('scripts/convert-vid-default.ts', () => {
  it('writes both graphs and a sidecar with their sha256 and shapes, is idempotent and repairs a damaged file', () => {
    expect(convertVidDefault(['--out', out])).toMatch(/wrote .*centernet_mobilenetv3_features\.onnx/);
    const head = readFileSync(join(out, 'centernet_mobilenetv3_head.onnx'));
    const sidecar = JSON.parse(readFileSync(join(out, 'centernet_mobilenetv3_dff.json'), 'utf8')) as VidDefaultSidecar;
    expect(sidecar.head.sha256).toBe(sha(head));
    expect(sidecar.backbone.sha256).toBe(sha(readFileSync(join(out, 'centernet_mobilenetv3_features.onnx'))));
    expect(sidecar.backbone.outputs).toEqual([{ name: 'feat', shape: [1, 128, 128, 128] }]);
    expect(sidecar.head.outputs.map((o) => o.name)).toEqual(['keypoints', 'wh']);
    expect(sidecar.cut).toMatchObject({ stride: 4 });
    expect(convertVidDefault(['--out', out])).toMatch(/are up to date/);
    writeFileSync(join(out, 'centernet_mobilenetv3_head.onnx'), 'truncated');
    expect(convertVidDefault(['--out', out])).toMatch(/wrote/);
    expect(readFileSync(join(out, 'centernet_mobilenetv3_head.onnx')).equals(head)).toBe(true);
  });
});
