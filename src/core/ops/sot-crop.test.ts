import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.ts';
import { channelMean, getCroppedImg, siamCropWindow, type SotCropOptions } from './sot-crop.ts';

/**
 * MMTracking's get_cropped_img transcribed literally (pad the tensor, Python slice that clips at the end,
 * F.interpolate bilinear align_corners=False), in double precision: the reference for the CPU twin.
 */
function referenceCrop(rgba: Uint8Array, W: number, H: number, o: SotCropOptions): Float64Array {
  const f = Math.fround;
  let xmin = Math.trunc(f(f(o.cx) - f(o.cropSize / 2)));
  let xmax = Math.trunc(f(f(o.cx) + f(o.cropSize / 2)));
  let ymin = Math.trunc(f(f(o.cy) - f(o.cropSize / 2)));
  let ymax = Math.trunc(f(f(o.cy) + f(o.cropSize / 2)));
  const left = Math.max(0, -xmin);
  const top = Math.max(0, -ymin);
  const right = Math.max(0, xmax - W);
  const bottom = Math.max(0, ymax - H);
  xmin += left;
  xmax += left;
  ymin += top;
  ymax += top;
  const nw = W + left + right;
  const nh = H + top + bottom;
  const order = o.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const padded = (x: number, y: number, c: number): number => {
    const ix = x - left;
    const iy = y - top;
    return ix >= 0 && ix < W && iy >= 0 && iy < H ? rgba[(iy * W + ix) * 4 + order[c]!]! : o.avgChannel[order[c]!]!;
  };
  // Python slice [min:max + 1] clipped to the tensor's extent.
  const cw = Math.min(xmax + 1, nw) - xmin;
  const ch = Math.min(ymax + 1, nh) - ymin;
  const t = o.targetSize;
  const src = (d: number, inSize: number) => Math.max((d + 0.5) * (inSize / t) - 0.5, 0);
  const out = new Float64Array(3 * t * t);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < t; y++) {
      const sy = src(y, ch);
      const y0 = Math.floor(sy);
      const y1 = Math.min(y0 + 1, ch - 1);
      for (let x = 0; x < t; x++) {
        const sx = src(x, cw);
        const x0 = Math.floor(sx);
        const x1 = Math.min(x0 + 1, cw - 1);
        const v = (a: number, b: number) => padded(xmin + a, ymin + b, c);
        const wx = sx - x0;
        const wy = sy - y0;
        out[(c * t + y) * t + x] = (1 - wy) * ((1 - wx) * v(x0, y0) + wx * v(x1, y0)) + wy * ((1 - wx) * v(x0, y1) + wx * v(x1, y1));
      }
    }
  }
  return out;
}

function randomRgba(w: number, h: number, seed: number): Uint8Array {
  const rand = seededRandom(seed);
  return Uint8Array.from({ length: w * h * 4 }, () => Math.floor(rand() * 256));
}

describe('siamCropWindow', () => {
  it('uses int() truncation toward zero and inclusive xmax', () => {
    expect(siamCropWindow(50.5, 20, 10, 100, 100)).toEqual({ x0: 45, y0: 15, width: 11, height: 11 });
    // int(1.5 - 5) = int(-3.5) = -3, not floor's -4.
    expect(siamCropWindow(1.5, 1.5, 10, 100, 100)).toEqual({ x0: -3, y0: -3, width: 10, height: 10 });
  });

  it('stops one column short when xmax reaches the right edge (Python slice clipping)', () => {
    expect(siamCropWindow(94, 94, 10, 100, 100).width).toBe(11); // xmax = 99 = W - 1
    expect(siamCropWindow(95, 95, 10, 100, 100).width).toBe(10); // xmax = 100 = W
    expect(siamCropWindow(98, 98, 10, 100, 100).width).toBe(10); // xmax = 103, padded to 103 wide
  });

  it('rejects an empty window', () => {
    expect(() => siamCropWindow(100.2, 5, 0.2, 100, 100)).toThrow(/window of 0x/);
  });
});

describe('getCroppedImg', () => {
  it('copies a window 1:1 with mean-colour padding (hand-worked)', () => {
    // 2x2 frame, size 4 centred on (0.5, 0.5): xmin = int(-1.5) = -1, xmax = int(2.5) = 2 = W, so the
    // padded tensor is 3 wide and the slice [0:4] keeps 3 columns: frame columns -1, 0, 1.
    const rgba = new Uint8Array([10, 20, 30, 255, 40, 50, 60, 255, 70, 80, 90, 255, 100, 110, 120, 255]);
    const out = getCroppedImg(rgba, 2, 2, { cx: 0.5, cy: 0.5, cropSize: 4, targetSize: 3, avgChannel: [1, 2, 3], channelOrder: 'rgb' });
    expect(Array.from(out.subarray(0, 9))).toEqual([1, 1, 1, 1, 10, 40, 1, 70, 100]);
    const bgr = getCroppedImg(rgba, 2, 2, { cx: 0.5, cy: 0.5, cropSize: 4, targetSize: 3, avgChannel: [1, 2, 3], channelOrder: 'bgr' });
    expect(Array.from(bgr.subarray(0, 9))).toEqual([3, 3, 3, 3, 30, 60, 3, 90, 120]);
  });

  it('halves with pairwise averages (align_corners=False)', () => {
    const rgba = new Uint8Array(4 * 4 * 4);
    for (let i = 0; i < 16; i++) rgba.fill(i * 10, i * 4, i * 4 + 3);
    // centre (1.5, 1.5), size 3: xmin = int(0) = 0, xmax = int(3) = 3 -> 4x4 window -> 2x2.
    const out = getCroppedImg(rgba, 4, 4, { cx: 1.5, cy: 1.5, cropSize: 3, targetSize: 2, avgChannel: [0, 0, 0], channelOrder: 'rgb' });
    expect(Array.from(out.subarray(0, 4))).toEqual([25, 45, 105, 125]);
  });

  it('matches the literal transcription of MMTracking on random frames and windows', () => {
    const W = 31;
    const H = 23;
    const rgba = randomRgba(W, H, 7);
    const avg = channelMean(rgba, W, H);
    const rand = seededRandom(8);
    let worst = 0;
    for (let k = 0; k < 40; k++) {
      const o: SotCropOptions = {
        cx: rand() * 50 - 10,
        cy: rand() * 40 - 10,
        cropSize: 2 + rand() * 40,
        targetSize: 1 + Math.floor(rand() * 20),
        avgChannel: avg,
        channelOrder: k % 2 ? 'bgr' : 'rgb',
      };
      const ref = referenceCrop(rgba, W, H, o);
      const out = getCroppedImg(rgba, W, H, o);
      for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i]! - ref[i]!));
    }
    expect(worst).toBeLessThan(1e-3);
  });

  it('channelMean averages each channel', () => {
    const rgba = new Uint8Array([0, 10, 255, 0, 3, 20, 0, 9]);
    expect(channelMean(rgba, 2, 1)).toEqual([1.5, 15, 127.5]);
  });
});
