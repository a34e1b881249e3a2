/**
 * Axis helpers shared by the SVG renderer and the app: "nice" tick steps (1, 2, 5 × 10^k, after Heckbert,
 * "Nice numbers for graph labels", Graphics Gems, 1990) and tick labels without float noise.
 */

/** Ticks inside [min, max], about `count` of them, on a 1/2/5 × 10^k step. */
export function niceTicks(min: number, max: number, count = 6): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  if (min > max) [min, max] = [max, min];
  const step = niceStep((max - min) / Math.max(1, count));
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last && ticks.length < 1000; k++) ticks.push(roundToStep(k * step, step));
  return ticks;
}

/** The 1/2/5 × 10^k value closest above `raw`. */
export function niceStep(raw: number): number {
  const exp = Math.floor(Math.log10(raw));
  const base = 10 ** exp;
  const f = raw / base;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * base;
}

function roundToStep(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(20, decimals)));
}

/** A tick label: as many decimals as the step needs, exponent form for very large or small magnitudes. */
export function formatTick(v: number, step: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e6 || abs < 1e-4) return v.toExponential(Math.max(0, Math.min(6, Math.round(Math.log10(abs) - Math.log10(step)))));
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(decimals);
}

/**
 * The [min, max] of the finite values, padded by `pad` of the range (a flat series gets ±1 or ±10 %).
 * [0, 1] when there is nothing finite.
 */
export function dataDomain(values: Iterable<ArrayLike<number>>, pad = 0): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const arr of values) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - d, hi + d];
  }
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}
