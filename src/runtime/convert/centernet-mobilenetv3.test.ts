/**
 * The converted default detector against the TFJS original on a real frame of the street video:
 * heat map and box sizes within 1e-3, and the decode documented in docs/models.md reproduces the TFJS
 * graph's own `tower_0/detections`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CENTERNET_INPUT, CENTERNET_OUTPUTS, COCO_80_LABELS, convertCenterNet } from './centernet-mobilenetv3.ts';
import type { CenterNetConversion } from './centernet-mobilenetv3.ts';
import { parseTfjsGraphModel } from './tfjs-graph-model.ts';
import { maxAbsDifference, nchwToNhwc, runOnnx, runTfjsReference } from './reference-runners.node.ts';
import type { HostTensor } from './reference-runners.node.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const humanModels = resolve(repoRoot, 'node_modules/@vladmandic/human/models');
const video = resolve(repoRoot, '../shared/media/street-540p-h264.mp4');
const SIZE = 512;
const FRAME_INDEX = 3;

/** One frame of the video stretched to 512x512 (as human does), RGB 0..255 as float32, NHWC. */
function decodeFrame(index: number): HostTensor {
  const rgb = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', video, '-vf', `select=eq(n\\,${index}),scale=${SIZE}:${SIZE}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { maxBuffer: SIZE * SIZE * 3 + 1024 },
  );
  expect(rgb.length).toBe(SIZE * SIZE * 3);
  return { shape: [1, SIZE, SIZE, 3], data: Float32Array.from(rgb) };
}

/** Flat NHWC index of a heat-map cell → (class, x, y), as the TFJS graph computes it (FloorMod / FloorDiv). */
const H = 128;
const W = 128;
const C = 80;

/**
 * CenterNet decode from NHWC heat map / sizes, written out here to check our understanding of the TFJS
 * graph's decode: 3x3 max-pool (stride 1, SAME) peak suppression, top-100 over H·W·C (score descending,
 * ties by lower index), class = idx % C, x = (idx / C) % W, y = (idx / C) / W,
 * box = (4x − l, 4y − t, 4x + r, 4y + b) in input pixels. Returns rows [x1, y1, x2, y2, score, class].
 */
function decodeDetections(keypoints: Float32Array, wh: Float32Array, k = 100): number[][] {
  const peaks: { value: number; index: number }[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < C; c++) {
        const index = (y * W + x) * C + c;
        const v = keypoints[index]!;
        let max = -Infinity;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy >= 0 && yy < H && xx >= 0 && xx < W) max = Math.max(max, keypoints[(yy * W + xx) * C + c]!);
          }
        }
        // Non-peaks become 0 (keypoints · (keypoints == maxpool)) and still compete in the top-k.
        peaks.push({ value: v === max ? v : 0, index });
      }
    }
  }
  peaks.sort((a, b) => b.value - a.value || a.index - b.index);
  return peaks.slice(0, k).map(({ value, index }) => {
    const cls = index % C;
    const x = Math.floor(index / C) % W;
    const y = Math.floor(Math.floor(index / C) / W);
    const cell = (y * W + x) * 4;
    const [l, t, r, b] = [wh[cell]!, wh[cell + 1]!, wh[cell + 2]!, wh[cell + 3]!];
    return [Math.fround(4 * x - l), Math.fround(4 * y - t), Math.fround(4 * x + r), Math.fround(4 * y + b), value, cls];
  });
}

function rows(t: HostTensor, width: number): number[][] {
  return Array.from({ length: t.data.length / width }, (_, i) => Array.from(t.data.subarray(i * width, (i + 1) * width)));
}

describe('centernet_mobilenetv3_coco.onnx vs the TFJS original (@tensorflow/tfjs CPU)', () => {
  let conversion: CenterNetConversion;
  let tfjs: { keypoints: HostTensor; wh: HostTensor; detections: HostTensor };
  let onnx: { keypoints: HostTensor; wh: HostTensor };

  beforeAll(async () => {
    const json = readFileSync(resolve(humanModels, 'centernet.json'), 'utf8');
    const bin = readFileSync(resolve(humanModels, 'centernet.bin'));
    conversion = convertCenterNet(json, bin);
    const frame = decodeFrame(FRAME_INDEX);

    const nchw = new Float32Array(frame.data.length);
    for (let p = 0; p < SIZE * SIZE; p++) for (let c = 0; c < 3; c++) nchw[c * SIZE * SIZE + p] = frame.data[p * 3 + c]!;
    const [keypoints, wh] = await runOnnx(conversion.bytes, { images: { shape: [1, 3, SIZE, SIZE], data: nchw } }, ['keypoints', 'wh']);
    onnx = { keypoints: keypoints!, wh: wh! };

    const [tk, tw, td] = await runTfjsReference(parseTfjsGraphModel(json, 'centernet.json'), bin, { 'tower_0/images': frame }, [
      'tower_0/keypoints',
      'tower_0/wh',
      'tower_0/detections',
    ]);
    tfjs = { keypoints: tk!, wh: tw!, detections: td! };
  }, 240_000);

  it('has the documented input and outputs', () => {
    expect(conversion.inputs).toEqual([{ name: CENTERNET_INPUT.name, elemType: 1, shape: [...CENTERNET_INPUT.shape] }]);
    expect(conversion.outputs).toEqual(CENTERNET_OUTPUTS.map((o) => ({ name: o.name, elemType: 1, shape: [...o.shape] })));
    expect(onnx.keypoints.shape).toEqual([1, 80, 128, 128]);
    expect(onnx.wh.shape).toEqual([1, 4, 128, 128]);
    expect(conversion.model.metadataProps?.labels?.split(',')).toEqual([...COCO_80_LABELS]);
  });

  it('heat map (keypoints) within 1e-3 of TFJS', () => {
    const diff = maxAbsDifference(nchwToNhwc(onnx.keypoints).data, tfjs.keypoints.data);
    console.info(`keypoints max |ONNX - TFJS| = ${diff.toExponential(3)}`);
    expect(diff).toBeLessThanOrEqual(1e-3);
  });

  it('box sizes (wh) within 1e-3 px of TFJS, plus float32 drift relative to the size (numpy allclose, rtol 1e-5)', () => {
    // wh is in input pixels (up to a few hundred): two float32 runtimes summing ~60 layers in different
    // orders drift by a few ulps per layer, ~1e-3 px at 200 px (the ONNX graph has exactly TFJS's ops and
    // weights). Hence |Δ| ≤ atol + rtol·|wh| with atol = 1e-3 px and numpy's default rtol = 1e-5.
    const actual = nchwToNhwc(onnx.wh).data;
    const expected = tfjs.wh.data;
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / (1e-3 + 1e-5 * Math.abs(expected[i]!)));
    const diff = maxAbsDifference(actual, expected);
    console.info(`wh max |ONNX - TFJS| = ${diff.toExponential(3)} px (values up to ${Math.max(...expected).toFixed(1)} px); worst |Δ| / (1e-3 + 1e-5·|wh|) = ${worst.toFixed(3)}`);
    expect(worst).toBeLessThanOrEqual(1);
    expect(diff).toBeLessThanOrEqual(5e-3);
  });

  it('the documented decode of TFJS keypoints/wh reproduces tower_0/detections exactly', () => {
    const expected = rows(tfjs.detections, 6);
    expect(expected).toHaveLength(100);
    expect(decodeDetections(tfjs.keypoints.data, tfjs.wh.data)).toEqual(expected);
  });

  it('decoding the ONNX outputs finds the same detections as the TFJS graph', () => {
    const expected = rows(tfjs.detections, 6);
    const actual = decodeDetections(nchwToNhwc(onnx.keypoints).data, nchwToNhwc(onnx.wh).data);
    // The frame has confident people and cars, not just noise.
    expect(expected.filter((d) => d[4]! > 0.3).map((d) => COCO_80_LABELS[d[5]!])).toEqual(expect.arrayContaining(['person', 'car']));
    // Same peaks in the same order wherever the scores are not within the 1e-3 tolerance of each other.
    const separated = (i: number) => [i - 1, i + 1].every((j) => !expected[j] || Math.abs(expected[j][4]! - expected[i]![4]!) > 2e-3);
    let compared = 0;
    for (let i = 0; i < expected.length; i++) {
      if (!separated(i)) continue;
      compared++;
      const [e, a] = [expected[i]!, actual[i]!];
      expect(a[5], `class of detection ${i}`).toBe(e[5]);
      for (let j = 0; j < 5; j++) expect(Math.abs(a[j]! - e[j]!), `field ${j} of detection ${i}`).toBeLessThanOrEqual(1e-3);
    }
    expect(compared).toBeGreaterThan(10);
  });
});
