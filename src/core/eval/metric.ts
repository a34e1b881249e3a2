/**
 * The shape every metric family shares, after TrackEval's `_BaseMetric`
 * (https://github.com/JonathonLuiten/TrackEval/blob/master/trackeval/metrics/_base_metric.py):
 * evaluate one sequence, combine the per-sequence results, and combine classes two ways (averaging the class
 * scores, or pooling the detections). `summary` picks the scalar fields a table shows.
 */
export interface SequenceMetric<Data, Res> {
  /** TrackEval's metric name (`HOTA`, `CLEAR`, `Identity`) or MMTracking's (`OPE`). */
  readonly name: string;
  evalSequence(data: Data): Res;
  combineSequences(all: Record<string, Res>): Res;
  combineClassesClassAveraged(all: Record<string, Res>): Res;
  combineClassesDetAveraged(all: Record<string, Res>): Res;
  /** Scalar fields for tables, named as the reference prints them. */
  summary(res: Res): Record<string, number>;
}

/** `sum(all[k][field])` over sequences. */
export function combineSum<R>(all: Record<string, R>, field: (r: R) => number): number {
  let s = 0;
  for (const r of Object.values(all)) s += field(r);
  return s;
}

/** Element-wise sum of equally long arrays. */
export function sumArrays(arrays: readonly Float64Array[], length: number): Float64Array {
  const out = new Float64Array(length);
  for (const a of arrays) for (let i = 0; i < length; i++) out[i] = out[i]! + a[i]!;
  return out;
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

/** numpy's `np.finfo(float).eps`, which TrackEval adds to its thresholds. */
export const EPS = Number.EPSILON;
