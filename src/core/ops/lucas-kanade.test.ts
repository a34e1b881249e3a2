// Analytic checks of the pyramidal Lucas–Kanade flow: a smooth texture moved by a known displacement must be found
// (sub-pixel, and beyond the finest level's window thanks to the pyramid); zero motion gives zero flow.
import { describe, expect, it } from 'vitest';
import type { FeatureMap } from './roi-align.ts';
import { type GrayImage, grayPool, grayPyramid, lkStructure, pyramidalLucasKanade, resizeFlowTo, sampleBorder } from './lucas-kanade.ts';

/** A smooth random texture (sum of sinusoids), 0..255, 3 channels, CHW. */
function texture(h: number, w: number, dx: number, dy: number): Float32Array {
  const out = new Float32Array(3 * h * w);
  const waves = [
    [0.11, 0.07, 0.3],
    [0.05, -0.13, 1.1],
    [-0.09, 0.04, 2.0],
    [0.17, 0.15, 0.7],
  ] as const;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // The content at (x, y) is the reference's at (x + dx, y + dy).
      const X = x + dx;
      const Y = y + dy;
      let v = 0;
      for (const [a, b, ph] of waves) v += Math.sin(a * X + b * Y + ph);
      const g = 127.5 + 30 * v;
      for (let c = 0; c < 3; c++) out[(c * h + y) * w + x] = g + c * 3;
    }
  }
  return out;
}

const options = { levels: 4, windowSize: 9, iterations: 4, regularization: 1e-4 };

/** Mean flow over the central region (away from borders, where content enters or leaves). */
function centralMean(flow: FeatureMap, margin: number): [number, number] {
  const [, , h, w] = flow.shape;
  let u = 0;
  let v = 0;
  let n = 0;
  for (let y = margin; y < h - margin; y++) {
    for (let x = margin; x < w - margin; x++) {
      u += flow.data[y * w + x]!;
      v += flow.data[h * w + y * w + x]!;
      n++;
    }
  }
  return [u / n, v / n];
}

describe('pyramidal Lucas–Kanade', () => {
  it('pools channels and blocks, and builds levels down to 8 px', () => {
    const img = Float32Array.from({ length: 3 * 8 * 8 }, (_, i) => i);
    const g = grayPool(img, 3, 8, 8, 4, 1);
    expect([g.height, g.width]).toEqual([2, 2]);
    // Block (0, 0): channel c rows 0..3, cols 0..3; mean over the three channels.
    let s = 0;
    for (let c = 0; c < 3; c++) for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) s += c * 64 + y * 8 + x;
    expect(g.data[0]).toBeCloseTo(s / 48, 4);
    const pyr = grayPyramid(new Float32Array(3 * 512 * 512), 3, 512, 512, 4, 10);
    expect(pyr.map((l) => l.width)).toEqual([128, 64, 32, 16, 8]);
    expect(grayPyramid(new Float32Array(3 * 512 * 512), 3, 512, 512, 4, 2).length).toBe(2);
  });

  it('resizes a flow by size and scales it by the size ratio', () => {
    const prior: FeatureMap = { data: new Float32Array(2 * 4 * 4).fill(1), shape: [1, 2, 4, 4] };
    prior.data.fill(-2, 16);
    const up = resizeFlowTo(prior, 8, 8);
    expect(up.slice(0, 64).every((v) => v === 2)).toBe(true);
    expect(up.slice(64).every((v) => v === -4)).toBe(true);
  });

  it('samples bilinearly with the border replicated', () => {
    const img: GrayImage = { data: Float32Array.from([0, 1, 2, 3]), height: 2, width: 2 };
    expect(sampleBorder(img, 0.5, 0.5)).toBeCloseTo(1.5, 6);
    expect(sampleBorder(img, -3, 7)).toBe(1);
  });

  it('finds no motion between identical frames', () => {
    const a = grayPyramid(texture(128, 128, 0, 0), 3, 128, 128, 1, 4);
    const flow = pyramidalLucasKanade(a, a, options);
    expect(Math.max(...Array.from(flow.data, Math.abs))).toBe(0);
  });

  for (const [dx, dy] of [
    [1.5, -0.75],
    [0.3, 0.2],
    [6, 4],
    [-11, 7],
  ] as const) {
    it(`recovers a shift of (${dx}, ${dy}) px`, () => {
      const h = 128;
      const w = 128;
      // cur(p) = key(p + d): the flow from cur to key is d.
      const key = grayPyramid(texture(h, w, 0, 0), 3, h, w, 1, 4);
      const cur = grayPyramid(texture(h, w, dx, dy), 3, h, w, 1, 4);
      const flow = pyramidalLucasKanade(cur, key, options);
      const [u, v] = centralMean(flow, 24);
      expect(Math.abs(u - dx)).toBeLessThan(0.05 + 0.01 * Math.abs(dx));
      expect(Math.abs(v - dy)).toBeLessThan(0.05 + 0.01 * Math.abs(dy));
    });
  }

  it('sums the structure tensor over the window clipped at the border', () => {
    const img: GrayImage = { data: Float32Array.from({ length: 25 }, (_, i) => (i % 5) * 2), height: 5, width: 5 };
    const s = lkStructure(img, 3);
    // Ix = 2 inside, 1 at the left/right columns; Iy = 0. Corner (0, 0): window 2x2 → Ix² = 1 + 4, twice.
    expect(s[0]).toBeCloseTo(10, 6);
    // Centre: 3x3 window, all Ix = 2.
    expect(s[12]).toBeCloseTo(36, 6);
    expect(s.slice(25, 75).every((v) => v === 0)).toBe(true);
  });
});
