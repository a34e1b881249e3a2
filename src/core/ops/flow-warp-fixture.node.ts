// Tests: the PyTorch fixture of flow_warp_feats (scripts/fixtures/make_flow_warp_fixture.py), shared by the CPU-twin
// and kernel tests.
import { readFileSync } from 'node:fs';
import type { FeatureMap } from './roi-align.ts';

type Shape = FeatureMap['shape'];

export interface FlowWarpCase {
  name: string;
  x: FeatureMap;
  flow: FeatureMap;
  /** PyTorch's output of MMTracking's flow_warp_feats. */
  out: Float32Array;
}

const floats = (b64: string) => {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

/** The cases of scripts/fixtures/make_flow_warp_fixture.py (PyTorch running the restated MMTracking function). */
export function flowWarpFixture(): FlowWarpCase[] {
  const json = JSON.parse(readFileSync(new URL('fixtures/flow_warp.json', import.meta.url), 'utf8')) as {
    cases: { name: string; x_shape: number[]; flow_shape: number[]; x: string; flow: string; out: string }[];
  };
  return json.cases.map((c) => ({
    name: c.name,
    x: { data: floats(c.x), shape: c.x_shape as unknown as Shape },
    flow: { data: floats(c.flow), shape: c.flow_shape as unknown as Shape },
    out: floats(c.out),
  }));
}

