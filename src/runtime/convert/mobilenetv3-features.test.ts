// The SOT feature extractor cut from MB3-CenterNet, against the TFJS original run to the same tensor on a real crop
// (street-car frame 1 around the car, 255x255: the padding of this input size is what the conversion fixed).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertMobileNetV3Features, MOBILENETV3_FEATURES_INPUT, MOBILENETV3_FEATURES_OUTPUT } from './mobilenetv3-features.ts';
import { maxAbsDifference, nchwToNhwc, runOnnx, runTfjsReference } from './reference-runners.node.ts';
import { parseTfjsGraphModel } from './tfjs-graph-model.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const humanModels = resolve(repoRoot, 'node_modules/@vladmandic/human/models');
const S = 255;

describe('mobilenetv3_features_s8.onnx vs the TFJS original', () => {
  it('gives the stride-8 backbone tensor within float32 drift of TFJS on a 255x255 crop', async () => {
    const json = readFileSync(resolve(humanModels, 'centernet.json'), 'utf8');
    const bin = readFileSync(resolve(humanModels, 'centernet.bin'));
    const conversion = convertMobileNetV3Features(json, bin);
    expect(conversion.inputs).toEqual([{ name: 'crop', elemType: 1, shape: [...MOBILENETV3_FEATURES_INPUT.shape] }]);
    expect(conversion.outputs[0]!.shape).toEqual([1, 32, 32, 32]);
    // A 255x255 crop of frame 1 around the car, RGB (ffmpeg crop filter), as the tracker feeds it.
    const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', resolve(repoRoot, '../shared/sot/street-car/img/000001.jpg'), '-vf', `format=rgb24,crop=${S}:${S}:350:50`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const nhwc = Float32Array.from(rgb);
    const nchw = new Float32Array(nhwc.length);
    for (let p = 0; p < S * S; p++) for (let c = 0; c < 3; c++) nchw[c * S * S + p] = nhwc[p * 3 + c]!;
    const [onnx] = await runOnnx(conversion.bytes, { crop: { shape: [1, 3, S, S], data: nchw } }, ['features']);
    // TFJS checks the feed against the placeholder's declared [1, 512, 512, 3]: declare the crop size instead (TFJS
    // computes SAME padding from the actual input, which is the reference for our fixed pads).
    const dims = { dim: [1, S, S, 3].map((size) => ({ size: String(size) })) };
    const raw = JSON.parse(json) as { modelTopology: { node: Array<{ name: string; attr?: { shape?: { shape?: unknown } } }> }; signature?: { inputs?: Record<string, { tensorShape?: unknown }> } };
    const placeholder = raw.modelTopology.node.find((n) => n.name === 'tower_0/images');
    if (!placeholder?.attr?.shape) throw new Error('centernet.json: no tower_0/images placeholder shape');
    placeholder.attr.shape.shape = dims;
    const sig = raw.signature?.inputs?.['tower_0/images'];
    if (sig) sig.tensorShape = dims;
    const model = parseTfjsGraphModel(JSON.stringify(raw), 'centernet.json');
    const [tfjs] = await runTfjsReference(model, bin, { 'tower_0/images': { shape: [1, S, S, 3], data: nhwc } }, [MOBILENETV3_FEATURES_OUTPUT.tf]);
    expect(tfjs!.shape).toEqual([1, 32, 32, 32]);
    const peak = Math.max(...Array.from(tfjs!.data, Math.abs));
    const diff = maxAbsDifference(nchwToNhwc(onnx!).data, tfjs!.data);
    console.info(`features max |ONNX - TFJS| = ${diff.toExponential(3)} (values up to ${peak.toFixed(2)})`);
    expect(diff).toBeLessThanOrEqual(1e-4 * peak);
  }, 120_000);
});
