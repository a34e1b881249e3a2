/**
 * Depthwise cross-correlation of Siamese trackers (MMTracking's `depthwise_correlation`: a grouped
 * `F.conv2d` with one group per channel, i.e. correlation without kernel flip, no padding, stride 1),
 * CPU twin of `src/gpu/depthwise-xcorr.ts`.
 * https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/core/track/correlation.py
 *
 * out[n, c, y, x] = Σ_i Σ_j search[n, c, y + i, x + j] * template[n, c, i, j], accumulated in float32
 * over i then j.
 */
import type { FeatureMap } from './roi-align.ts';

/** Output shape `[N, C, Hs - Hz + 1, Ws - Wz + 1]`; throws on mismatched inputs. */
export function xcorrOutputShape(search: FeatureMap['shape'], template: FeatureMap['shape']): [number, number, number, number] {
  const [n, c, hs, ws] = search;
  const [nz, cz, hz, wz] = template;
  if (n !== nz || c !== cz) throw new Error(`depthwise correlation: search ${search.join('x')} and template ${template.join('x')} differ in batch or channels`);
  if (hz > hs || wz > ws || hz < 1 || wz < 1) throw new Error(`depthwise correlation: template ${hz}x${wz} does not fit the search ${hs}x${ws}`);
  return [n, c, hs - hz + 1, ws - wz + 1];
}

export function depthwiseCorrelation(search: FeatureMap, template: FeatureMap): FeatureMap {
  const [n, c, ho, wo] = xcorrOutputShape(search.shape, template.shape);
  const [, , hs, ws] = search.shape;
  const [, , hz, wz] = template.shape;
  const f = Math.fround;
  const out = new Float32Array(n * c * ho * wo);
  for (let plane = 0; plane < n * c; plane++) {
    const s = plane * hs * ws;
    const t = plane * hz * wz;
    for (let y = 0; y < ho; y++) {
      for (let x = 0; x < wo; x++) {
        let sum = 0;
        for (let i = 0; i < hz; i++) {
          for (let j = 0; j < wz; j++) sum = f(sum + f(search.data[s + (y + i) * ws + x + j]! * template.data[t + i * wz + j]!));
        }
        out[(plane * ho + y) * wo + x] = sum;
      }
    }
  }
  return { data: out, shape: [n, c, ho, wo] };
}
