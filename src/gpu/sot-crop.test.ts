import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/ops/seeded-random.ts';
import { channelMean, getCroppedImg, type SotCropOptions } from '../core/ops/sot-crop.ts';
import { readBuffer } from './device.ts';
import type { KernelContext } from './kernel-program.ts';
import { maxAbsDiff, PARITY_TOLERANCE, testKernelContext } from './parity-testing.node.ts';
import { rgbaTexture } from './preprocess.ts';
import { channelMeanGpu, getCroppedImgGpu } from './sot-crop.ts';

// Top level, not beforeAll: without an adapter the file fails instead of reporting skipped tests.
const ctx: KernelContext = await testKernelContext();

const W = 45;
const H = 32;
const rand = seededRandom(11);
const rgba = Uint8Array.from({ length: W * H * 4 }, () => Math.floor(rand() * 256));

describe('SOT crop kernel vs CPU twin', () => {
  it('channel mean of the frame', async () => {
    const texture = rgbaTexture(ctx.device, rgba, W, H);
    const mean = await channelMeanGpu(ctx, texture);
    const gpu = await readBuffer(ctx.device, mean, Float32Array, 3);
    expect(maxAbsDiff(gpu, channelMean(rgba, W, H))).toBeLessThan(PARITY_TOLERANCE);
    mean.destroy();
    texture.destroy();
  });

  it('crops inside, across every border, fully outside, larger than the frame; 127 output; both channel orders', async () => {
    const texture = rgbaTexture(ctx.device, rgba, W, H);
    const avgBuffer = await channelMeanGpu(ctx, texture);
    const avg = channelMean(rgba, W, H);
    const cases: Omit<SotCropOptions, 'avgChannel' | 'channelOrder'>[] = [
      { cx: 22.3, cy: 15.8, cropSize: 11.7, targetSize: 7 },
      { cx: 1.5, cy: 2.2, cropSize: 20, targetSize: 16 }, // top-left border, int() of negatives
      { cx: 43.9, cy: 31, cropSize: 13, targetSize: 9 }, // bottom-right, slice clipping quirk
      { cx: -30, cy: 50, cropSize: 8, targetSize: 5 }, // entirely outside: mean colour only
      { cx: 20, cy: 16, cropSize: 90.4, targetSize: 127 }, // window larger than the frame, exemplar size
      { cx: 10, cy: 10, cropSize: 1, targetSize: 4 }, // 1-2 pixel window, upsampled
    ];
    let worst = 0;
    for (const [k, c] of cases.entries()) {
      const options = { ...c, channelOrder: k % 2 ? ('bgr' as const) : ('rgb' as const) };
      const cpu = getCroppedImg(rgba, W, H, { ...options, avgChannel: avg });
      // Alternate the padding colour source: GPU mean buffer or CPU values.
      const out = await getCroppedImgGpu(ctx, texture, { ...options, avgChannel: k % 3 ? avgBuffer : avg });
      worst = Math.max(worst, maxAbsDiff(await readBuffer(ctx.device, out, Float32Array, cpu.length), cpu));
      out.destroy();
    }
    expect(worst).toBeLessThan(PARITY_TOLERANCE);
    avgBuffer.destroy();
    texture.destroy();
  });
});
