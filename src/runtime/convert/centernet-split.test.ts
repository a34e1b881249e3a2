// The default detector cut in two (the default VID method's graphs): run one after the other on a real frame they
// must be the whole converted detector (itself checked against the TFJS original in centernet-mobilenetv3.test.ts).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertCenterNet } from './centernet-mobilenetv3.ts';
import { CENTERNET_CUT, convertCenterNetSplit } from './centernet-split.ts';
import { maxAbsDifference, runOnnx } from './reference-runners.node.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const humanModels = resolve(repoRoot, 'node_modules/@vladmandic/human/models');

describe('centernet_mobilenetv3_features.onnx + centernet_mobilenetv3_head.onnx', () => {
  it('compose to the whole detector on a street frame', async () => {
    const json = readFileSync(resolve(humanModels, 'centernet.json'), 'utf8');
    const bin = readFileSync(resolve(humanModels, 'centernet.bin'));
    const split = convertCenterNetSplit(json, bin);
    expect(split.features.outputs).toEqual([{ name: CENTERNET_CUT.onnx, elemType: 1, shape: [1, 128, 128, 128] }]);
    expect(split.head.inputs).toEqual([{ name: CENTERNET_CUT.onnx, elemType: 1, shape: [1, 128, 128, 128] }]);
    expect(split.head.outputs.map((o) => o.name)).toEqual(['keypoints', 'wh']);
    // The head is small: the backbone and neck are in the first graph.
    expect(split.head.bytes.length).toBeLessThan(split.features.bytes.length / 20);
    const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', resolve(repoRoot, '../shared/sot/street-car/img/000001.jpg'), '-vf', 'scale=512:512,format=rgb24', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const n = 512 * 512;
    const image = new Float32Array(3 * n);
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) image[c * n + p] = rgb[p * 3 + c]!;
    const feeds = { images: { shape: [1, 3, 512, 512], data: image } };
    const [feat] = await runOnnx(split.features.bytes, feeds, ['feat']);
    const [heat, wh] = await runOnnx(split.head.bytes, { feat: feat! }, ['keypoints', 'wh']);
    const [fullHeat, fullWh] = await runOnnx(convertCenterNet(json, bin).bytes, feeds, ['keypoints', 'wh']);
    expect(maxAbsDifference(heat!.data, fullHeat!.data)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDifference(wh!.data, fullWh!.data)).toBeLessThanOrEqual(1e-4);
    // Something is detected on this frame (the car): the comparison is not between two empty maps.
    expect(fullHeat!.data.reduce((a, b) => Math.max(a, b), 0)).toBeGreaterThan(0.3);
  }, 120_000);
});
