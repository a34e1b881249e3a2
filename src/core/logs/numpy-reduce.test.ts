import { describe, expect, it } from 'vitest';
import { NUMPY_1, NUMPY_2, numpyArgmax, numpyArgmin, numpyMean, numpyStd, numpySum } from './numpy-reduce.ts';

// Deterministic data, identical in Python: value i = ((i * 2654435761) % 1000003) / 1000003 * SCALES[i % 7].
const SCALES = [0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0];
const sample = (n: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => (((i * 2654435761) % 1000003) / 1000003) * SCALES[i % 7]!);

type Row = [n: number, sum: string, mean: string, std: string];

// np.sum / np.mean / np.std as float.hex, printed by `scripts/fixtures/analyze_logs_reference.py --numpy-sums`
// with Debian 12's /usr/bin/python3 (3.11.2, python3-numpy 1.24.2).
const NUMPY_1_24: Row[] = [
  [1, '0x0.0p+0', '0x0.0p+0', '0x0.0p+0'],
  [7, '0x1.2615cc4d1e2f0p+9', '0x1.5018e97cb4c80p+6', '0x1.8a4b8452f317dp+7'],
  [8, '0x1.2615ece44b185p+9', '0x1.2615ece44b185p+6', '0x1.74fe2d1e9946bp+7'],
  [9, '0x1.2616774c3dbd8p+9', '0x1.05694d991a6f9p+6', '0x1.62af18ac5587ap+7'],
  [100, '0x1.e06c918359835p+12', '0x1.3378af0c623f9p+6', '0x1.6f606dd024808p+7'],
  [127, '0x1.2e12edc9e7b4fp+13', '0x1.3073d574d157ap+6', '0x1.6a119e400a577p+7'],
  [128, '0x1.2e12f48dae4c0p+13', '0x1.2e12f48dae4c0p+6', '0x1.68e6900366c38p+7'],
  [129, '0x1.2e138fd05bf2ep+13', '0x1.2bbc17a119bf6p+6', '0x1.67be17864d674p+7'],
  [1000, '0x1.19b11c0a3a3e1p+16', '0x1.2073d2fc23107p+6', '0x1.8027bb334823ep+7'],
  [8192, '0x1.3ad06e96fabe2p+19', '0x1.3ad06e96fabe2p+6', '0x1.939f7010c42d4p+7'],
  [8193, '0x1.3ad070400ecb7p+19', '0x1.3ac69a0b3e718p+6', '0x1.939a16e5fcf49p+7'],
  [20000, '0x1.803d96dd3505bp+20', '0x1.3ac5173c6180cp+6', '0x1.9526c8ef30236p+7'],
  [100000, '0x1.e3f6c0df4e5d2p+22', '0x1.3d2baa644e8ddp+6', '0x1.9865e50671097p+7'],
];

// The same with numpy 2.4.6 (Python 3.11.7): from 8193 values on, numpy 2 no longer sums in 8192-value blocks.
const NUMPY_2_4: Row[] = [
  [1, '0x0.0p+0', '0x0.0p+0', '0x0.0p+0'],
  [7, '0x1.2615cc4d1e2f0p+9', '0x1.5018e97cb4c80p+6', '0x1.8a4b8452f317dp+7'],
  [8, '0x1.2615ece44b185p+9', '0x1.2615ece44b185p+6', '0x1.74fe2d1e9946bp+7'],
  [9, '0x1.2616774c3dbd8p+9', '0x1.05694d991a6f9p+6', '0x1.62af18ac5587ap+7'],
  [100, '0x1.e06c918359835p+12', '0x1.3378af0c623f9p+6', '0x1.6f606dd024808p+7'],
  [127, '0x1.2e12edc9e7b4fp+13', '0x1.3073d574d157ap+6', '0x1.6a119e400a577p+7'],
  [128, '0x1.2e12f48dae4c0p+13', '0x1.2e12f48dae4c0p+6', '0x1.68e6900366c38p+7'],
  [129, '0x1.2e138fd05bf2ep+13', '0x1.2bbc17a119bf6p+6', '0x1.67be17864d674p+7'],
  [1000, '0x1.19b11c0a3a3e1p+16', '0x1.2073d2fc23107p+6', '0x1.8027bb334823ep+7'],
  [8192, '0x1.3ad06e96fabe2p+19', '0x1.3ad06e96fabe2p+6', '0x1.939f7010c42d4p+7'],
  [8193, '0x1.3ad070400ecb6p+19', '0x1.3ac69a0b3e717p+6', '0x1.939a16e5fcf48p+7'],
  [20000, '0x1.803d96dd3505bp+20', '0x1.3ac5173c6180cp+6', '0x1.9526c8ef30236p+7'],
  [100000, '0x1.e3f6c0df4e5d3p+22', '0x1.3d2baa644e8dep+6', '0x1.9865e50671099p+7'],
];

/** float.hex() of Python, for comparing doubles exactly. */
function pythonHex(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0x0.0p+0' : '0x0.0p+0';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exp = Number(bits >> 52n) - 1023;
  const frac = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  return `${x < 0 ? '-' : ''}0x1.${frac}p${exp >= 0 ? '+' : ''}${exp}`;
}

describe('numpy reductions', () => {
  it.each(NUMPY_1_24)('n=%i matches numpy 1.24 bit for bit', (n, sum, mean, std) => {
    const a = sample(n);
    expect([pythonHex(numpySum(a)), pythonHex(numpyMean(a)), pythonHex(numpyStd(a))]).toEqual([sum, mean, std]);
    expect(pythonHex(numpySum(a, NUMPY_1))).toBe(sum);
  });

  it.each(NUMPY_2_4)('n=%i matches numpy 2.4 bit for bit with NUMPY_2', (n, sum, mean, std) => {
    const a = sample(n);
    expect([pythonHex(numpySum(a, NUMPY_2)), pythonHex(numpyMean(a, NUMPY_2)), pythonHex(numpyStd(a, NUMPY_2))]).toEqual([sum, mean, std]);
  });

  it('differs from a plain left-to-right sum (the order matters)', () => {
    const a = sample(1000);
    let plain = 0;
    for (const v of a) plain += v;
    expect(numpySum(a)).not.toBe(plain);
  });

  it('argmax / argmin return the first extreme, as numpy', () => {
    expect(numpyArgmax([1, 3, 3, 2])).toBe(1);
    expect(numpyArgmin([2, 1, 5, 1])).toBe(1);
    expect(numpyArgmax([1, Number.NaN, 5])).toBe(1);
    expect(numpyArgmax([])).toBe(-1);
  });

  it('mean of nothing is NaN', () => {
    expect(numpyMean([])).toBeNaN();
  });
});
