import { describe, expect, it } from 'vitest';
import { seededRandom } from '../ops/seeded-random.ts';
import { CameraMotionCompensation } from './camera-motion-compensation.ts';
import { type GrayImage, type MotionType, EccError, findTransformEcc, pyrDown } from './ecc.ts';

// Same texture as scripts/fixtures/ecc_opencv_reference.py: sines of wavelength ~12-45 px and one blob.
const WAVES: [number, number, number, number][] = [
  [40, 0.21, 0.05, 0.3], [35, -0.08, 0.19, 1.1], [30, 0.13, -0.16, 2.0], [25, 0.33, 0.27, 0.7],
  [20, -0.27, 0.11, 2.9], [20, 0.05, -0.36, 1.7], [15, 0.45, -0.02, 0.2], [15, -0.14, -0.44, 2.4],
];

function texture(x: number, y: number): number {
  let v = 128;
  for (const [a, kx, ky, p] of WAVES) v += a * Math.sin(kx * x + ky * y + p);
  return v + 30 * Math.exp(-((x - 70) ** 2 + (y - 50) ** 2) / 300);
}

/** `f` sampled at `W⁻¹ u` for every pixel `u` of a `width x height` image (so that `image(W x) = f(x)`). */
function render(width: number, height: number, w: readonly number[] = [1, 0, 0, 0, 1, 0], f = texture): GrayImage {
  const [a, b, c, d, e, g] = w as [number, number, number, number, number, number];
  const det = a * e - b * d;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x - c;
      const v = y - g;
      data[y * width + x] = f((e * u - b * v) / det, (-d * u + a * v) / det);
    }
  }
  return { width, height, data };
}

/** A natural-looking texture: Gaussian blobs of every size from 3 to 40 px (energy at all scales, as in photos). */
function blobTexture(seed: number): (x: number, y: number) => number {
  const rand = seededRandom(seed);
  const blobs = Array.from({ length: 120 }, () => ({
    x: -60 + 460 * rand(),
    y: -60 + 360 * rand(),
    s2: 2 * (3 + 37 * rand() ** 2) ** 2,
    a: (rand() < 0.5 ? -1 : 1) * (20 + 60 * rand()),
  }));
  return (x, y) => {
    let v = 128;
    for (const b of blobs) {
      const d2 = (x - b.x) ** 2 + (y - b.y) ** 2;
      if (d2 < 9 * b.s2) v += b.a * Math.exp(-d2 / b.s2);
    }
    return v;
  };
}

function euclidean(theta: number, tx: number, ty: number): number[] {
  return [Math.cos(theta), -Math.sin(theta), tx, Math.sin(theta), Math.cos(theta), ty];
}

// cv2.findTransformECC (OpenCV 4.6.0, criteria COUNT|EPS 100 / 1e-6, no mask, gaussFiltSize 1) on the 160x120
// images of the same warps, from scripts/fixtures/ecc_opencv_reference.py.
const OPENCV: Record<MotionType, { true: number[]; opencv: number[] }> = {
  translation: { true: [1, 0, 2.37, 0, 1, -1.62], opencv: [1, 0, 2.377690315246582, 0, 1, -1.6194003820419312] },
  euclidean: {
    true: [0.9999280008639958, -0.011999712002073594, 1.8, 0.011999712002073594, 0.9999280008639958, 1.25],
    opencv: [0.9999284744262695, -0.011960232630372047, 1.7956515550613403, 0.011960232630372047, 0.9999284744262695, 1.2494709491729736],
  },
  affine: {
    true: [1.01, 0.008, -1.4, -0.006, 0.995, 0.9],
    opencv: [1.0099774599075317, 0.007960694842040539, -1.3960270881652832, -0.0058641317300498486, 0.9951508045196533, 0.878940761089325],
  },
};

function expectWarpClose(actual: ArrayLike<number>, expected: readonly number[], matrixTol: number, translationTol: number): void {
  for (const k of [0, 1, 3, 4]) expect(Math.abs(actual[k]! - expected[k]!)).toBeLessThan(matrixTol);
  for (const k of [2, 5]) expect(Math.abs(actual[k]! - expected[k]!)).toBeLessThan(translationTol);
}

describe('findTransformEcc', () => {
  for (const motionType of ['translation', 'euclidean', 'affine'] as const) {
    it(`recovers a known ${motionType} warp, as OpenCV does`, () => {
      const ref = OPENCV[motionType];
      const template = render(160, 120);
      const input = render(160, 120, ref.true);
      const r = findTransformEcc(template, input, { motionType, numIters: 100, stopEps: 1e-6 });
      expect(r.rho).toBeGreaterThan(0.995);
      // The true warp (exact bilinear interpolation gets closer to it than OpenCV's 1/32-pixel tables) ...
      expectWarpClose(r.warp, ref.true, 2e-3, 0.03);
      // ... and OpenCV's answer on the same images.
      expectWarpClose(r.warp, ref.opencv, 2e-3, 0.04);
      if (motionType === 'euclidean') expect(r.warp[0]! ** 2 + r.warp[3]! ** 2).toBeCloseTo(1, 12);
      if (motionType === 'translation') expect([r.warp[0], r.warp[1], r.warp[3], r.warp[4]]).toEqual([1, 0, 0, 1]);
    });
  }

  it('recovers a large camera motion (25 px pan, 1 degree roll) on a natural-looking texture', () => {
    const truth = euclidean(-0.02, -25.5, 14.25);
    const f = blobTexture(7);
    const template = render(320, 240, undefined, f);
    const input = render(320, 240, truth, f);
    const r = findTransformEcc(template, input, { motionType: 'euclidean', numIters: 100, stopEps: 1e-6 });
    expectWarpClose(r.warp, truth, 1e-3, 0.03);
  });

  it('stops after num_iters iterations per level and when rho changes by less than stop_eps', () => {
    const template = render(160, 120);
    const input = render(160, 120, euclidean(0.005, 1.5, -0.5));
    expect(findTransformEcc(template, input, { motionType: 'euclidean', numIters: 1, stopEps: 0, pyramidLevels: 0 }).iterations).toBe(1);
    const loose = findTransformEcc(template, input, { motionType: 'euclidean', numIters: 100, stopEps: 1e-2, pyramidLevels: 0 });
    const tight = findTransformEcc(template, input, { motionType: 'euclidean', numIters: 100, stopEps: 1e-9, pyramidLevels: 0 });
    expect(loose.iterations).toBeGreaterThanOrEqual(2); // the first change is from rho = -1
    expect(tight.iterations).toBeGreaterThan(loose.iterations);
    expect(tight.iterations).toBeLessThanOrEqual(100);
  });

  it('fails like OpenCV (EccError) on a flat image, and checks sizes', () => {
    const flat: GrayImage = { width: 64, height: 48, data: new Float32Array(64 * 48).fill(7) };
    expect(() => findTransformEcc(flat, flat, { motionType: 'euclidean', numIters: 10, stopEps: 1e-5 })).toThrow(EccError);
    expect(() => findTransformEcc(render(64, 48), render(64, 40), { motionType: 'translation', numIters: 10, stopEps: 1e-5 })).toThrow(/64x48, input 64x40/);
    expect(() => findTransformEcc({ width: 4, height: 4, data: new Float32Array(3) }, flat, { motionType: 'translation', numIters: 1, stopEps: 0 })).toThrow(/3 values/);
  });

  it('pyrDown smooths with [1 4 6 4 1]/16 (reflect-101 borders) and keeps every other pixel', () => {
    const img: GrayImage = { width: 5, height: 1, data: Float32Array.of(0, 16, 32, 48, 64) };
    const d = pyrDown(img);
    expect([d.width, d.height]).toEqual([3, 1]);
    // x=0: (1*32 + 4*16 + 6*0 + 4*16 + 1*32)/16; x=2: (0 + 4*16 + 6*32 + 4*48 + 64)/16; x=4: (32 + 4*48 + 6*64 + 4*48 + 32)/16
    expect(Array.from(d.data)).toEqual([12, 32, 52]);
    const linear: GrayImage = { width: 8, height: 6, data: Float32Array.from({ length: 48 }, (_, i) => 3 * (i % 8) + 5 * Math.floor(i / 8)) };
    const l = pyrDown(linear);
    expect([l.width, l.height]).toEqual([4, 3]);
    // A linear ramp stays exact away from the borders: value at (2x, 2y).
    expect(l.data[1 * 4 + 1]).toBe(3 * 2 + 5 * 2);
    expect(l.data[1 * 4 + 2]).toBe(3 * 4 + 5 * 2);
  });
});

describe('CameraMotionCompensation', () => {
  it('takes MMTracking defaults and refuses warp modes that do not give a 2x3 matrix', () => {
    const cmc = new CameraMotionCompensation();
    expect([cmc.warpMode, cmc.numIters, cmc.stopEps]).toEqual(['cv2.MOTION_EUCLIDEAN', 50, 0.001]);
    expect(() => new CameraMotionCompensation({ warp_mode: 'cv2.MOTION_HOMOGRAPHY' })).toThrow(/not supported/);
  });

  it('expresses the warp in frame pixels when the images are downscaled copies', () => {
    // Frame pan of (+8, -4) frame pixels; the images are half-size copies (scale 0.5): (+4, -2) image pixels.
    const half = (w: number[]): GrayImage => ({ ...render(160, 120, w), scale: 0.5 });
    const cmc = new CameraMotionCompensation({ warp_mode: 'cv2.MOTION_TRANSLATION', num_iters: 100, stop_eps: 1e-6 });
    const warp = cmc.getWarpMatrix(half([1, 0, 0, 0, 1, 0]), half([1, 0, 4, 0, 1, -2]));
    expect(cmc.lastStatus).toBe('ok');
    expect(warp[2]).toBeCloseTo(8, 1);
    expect(warp[5]).toBeCloseTo(-4, 1);
    const boxes = Float64Array.of(10, 20, 30, 60);
    cmc.warpBboxes(boxes, warp);
    expect(Array.from(boxes, (v) => Math.round(v * 10) / 10)).toEqual([18, 16, 38, 56]);
  });

  it('falls back to the identity (and says why) where ECC fails, instead of stopping the run', () => {
    const flat: GrayImage = { width: 64, height: 48, data: new Float32Array(64 * 48) };
    const cmc = new CameraMotionCompensation();
    expect(Array.from(cmc.getWarpMatrix(flat, flat))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(cmc.lastStatus).toMatch(/NaN|singular|converge/);
  });
});
