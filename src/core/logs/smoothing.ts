/**
 * TensorBoard's scalar smoothing: an exponential moving average with debiasing, so the start of the curve is
 * not pulled towards 0. `weight` in [0, 1): 0 = raw values, 0.9 = strong smoothing. Non-finite values are passed
 * through and do not enter the average.
 * Reference: https://github.com/tensorflow/tensorboard/blob/master/tensorboard/webapp/widgets/line_chart_v2/data_transformer.ts (classicSmoothing)
 */
export function smoothEma(y: ArrayLike<number>, weight: number): Float64Array {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  const out = new Float64Array(y.length);
  let last = 0;
  let count = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    count++;
    out[i] = weight === 0 ? v : last / (1 - weight ** count);
  }
  return out;
}
