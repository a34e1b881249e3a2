import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/config-error.ts';
import { AnchorGenerator, ANCHOR_GENERATORS } from './anchor-generator.ts';

const rows = (a: Float32Array) => Array.from({ length: a.length / 4 }, (_, i) => Array.from(a.subarray(i * 4, i * 4 + 4)));

describe('AnchorGenerator (MMDetection 2.x)', () => {
  // The examples of MMDetection's AnchorGenerator / LegacyAnchorGenerator docstrings (mmdet/core/anchor/anchor_generator.py).
  it("reproduces the docstring example AnchorGenerator([16], [1.], [1.], [9]) on a 2x2 map", () => {
    const g = new AnchorGenerator({ strides: [16], ratios: [1], scales: [1], baseSizes: [9] });
    expect(rows(g.gridPriors([[2, 2]])[0]!)).toEqual([
      [-4.5, -4.5, 4.5, 4.5],
      [11.5, -4.5, 20.5, 4.5],
      [-4.5, 11.5, 4.5, 20.5],
      [11.5, 11.5, 20.5, 20.5],
    ]);
  });

  it('reproduces the two-level docstring example AnchorGenerator([16, 32], [1.], [1.], [9, 18])', () => {
    const g = new AnchorGenerator({ strides: [16, 32], ratios: [1], scales: [1], baseSizes: [9, 18] });
    const [a, b] = g.gridPriors([[2, 2], [1, 1]]);
    expect(rows(a!)[3]).toEqual([11.5, 11.5, 20.5, 20.5]);
    expect(rows(b!)).toEqual([[-9, -9, 9, 9]]);
  });

  it('reproduces the LegacyAnchorGenerator docstring example (center_offset=0.5, 1.x corners)', () => {
    const g = new AnchorGenerator({ strides: [16], ratios: [1], scales: [1], baseSizes: [9], centerOffset: 0.5, legacy: true });
    expect(rows(g.gridPriors([[2, 2]])[0]!)).toEqual([
      [0, 0, 8, 8],
      [16, 0, 24, 8],
      [0, 16, 8, 24],
      [16, 16, 24, 24],
    ]);
  });

  it('does not round (MMDetection 2.x), orders ratios outer and scales inner, and cells (y, x, anchor)', () => {
    const g = new AnchorGenerator({ strides: [4], ratios: [0.5, 1, 2], scales: [8, 16] });
    const f = Math.fround;
    const wr = f(1 / f(Math.sqrt(0.5)));
    const hr = f(Math.sqrt(0.5));
    const base = rows(g.baseAnchors[0]!);
    expect(base).toHaveLength(6);
    // ratio 0.5, scale 8: w = 4 * sqrt(2) * 8 = 45.25..., h = 22.62...
    expect(base[0]).toEqual([-f(0.5 * f(f(4 * wr) * 8)), -f(0.5 * f(f(4 * hr) * 8)), f(0.5 * f(f(4 * wr) * 8)), f(0.5 * f(f(4 * hr) * 8))]);
    expect(base[0]![0]).toBeCloseTo(-22.627417, 5);
    expect(base[1]![0]).toBeCloseTo(-45.254834, 5); // ratio 0.5, scale 16
    expect(base[2]).toEqual([-16, -16, 16, 16]); // ratio 1, scale 8
    expect(base[5]![1]).toBeCloseTo(-45.254834, 5); // ratio 2, scale 16: tall
    const grid = rows(g.singleLevelGridPriors(2, 3, 0));
    expect(grid).toHaveLength(2 * 3 * 6);
    // cell (y=1, x=2), anchor 2 → row (1 * 3 + 2) * 6 + 2
    expect(grid[(1 * 3 + 2) * 6 + 2]).toEqual([-16 + 8, -16 + 4, 16 + 8, 16 + 4]);
  });

  it('scale_major=False puts scales outer; octave scales; (w, h) strides; base size = the smaller stride', () => {
    const g = new AnchorGenerator({ strides: [[8, 16]], ratios: [1, 2], scales: [1, 2], scaleMajor: false });
    const ws = rows(g.baseAnchors[0]!).map((r) => r[2]! - r[0]!);
    const f = Math.fround;
    expect(ws).toEqual([8, f(f(8 * 1) * f(1 / f(Math.SQRT2))), 16, f(f(8 * 2) * f(1 / f(Math.SQRT2)))]);
    expect(rows(g.singleLevelGridPriors(2, 2, 0))[(1 * 2 + 1) * 4]).toEqual([-4 + 8, -4 + 16, 4 + 8, 4 + 16]);
    // RetinaNet: octave_base_scale=4, scales_per_octave=3 → scales 4, 4 * 2^(1/3), 4 * 2^(2/3).
    const r = new AnchorGenerator({ strides: [8], ratios: [1], octaveBaseScale: 4, scalesPerOctave: 3 });
    expect(rows(r.baseAnchors[0]!).map((b) => b[2]! * 2)).toEqual([32, f(8 * f(4 * 2 ** (1 / 3))), f(8 * f(4 * 2 ** (2 / 3)))]);
  });

  it('legacy corners round half to even, as torch.round', () => {
    // Base size 6, ratio 1, scale 1, centre 0: corners ±0.5 * (6 - 1) = ±2.5 → ±2 (the even neighbour).
    const g = new AnchorGenerator({ strides: [6], ratios: [1], scales: [1], legacy: true });
    expect(rows(g.baseAnchors[0]!)).toEqual([[-2, -2, 2, 2]]);
    const h = new AnchorGenerator({ strides: [8], ratios: [1], scales: [1], legacy: true });
    expect(rows(h.baseAnchors[0]!)).toEqual([[-4, -4, 4, 4]]); // -3.5 → -4, 3.5 → 4
  });

  it('builds from config dicts and names the problem', () => {
    const g = ANCHOR_GENERATORS.build({ type: 'AnchorGenerator', scales: [8], ratios: [0.5, 1.0, 2.0], strides: [4, 8, 16, 32, 64] }, { path: 'rpn_head.anchor_generator' });
    expect(g.numBaseAnchors).toEqual([3, 3, 3, 3, 3]);
    expect(() => ANCHOR_GENERATORS.build({ type: 'AnchorGenerator', ratios: [1], strides: [4] }, { path: 'a' })).toThrow(/a: give either scales or octave_base_scale/);
    expect(() => ANCHOR_GENERATORS.build({ type: 'AnchorGenerator', scales: [8], ratios: [1], strides: ['4'] }, { path: 'a' })).toThrow(/a: strides item 0: expected an int > 0 or \(w, h\), got '4'/);
    expect(() => ANCHOR_GENERATORS.build({ type: 'AnchorGenerator', scales: [8], ratio: [1], strides: [4] }, { path: 'a' })).toThrow(ConfigError);
    expect(() => ANCHOR_GENERATORS.build({ type: 'AnchorGenerator', scales: [8], ratio: [1], strides: [4] }, { path: 'a' })).toThrow(/'ratio' \(did you mean 'ratios'\?\)/);
    expect(() => ANCHOR_GENERATORS.build({ type: 'AnchorGenerator', scales: [8], ratios: [1], strides: [4], center_offset: 0.5, centers: [[1, 1]] }, { path: 'a' })).toThrow(/centers cannot be set/);
  });
});
