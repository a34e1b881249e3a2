// Tests: the VID fixtures (src/core/models/vid/fixtures/, made by scripts/fixtures/make_*_fixture.py): their configs,
// the PyTorch restatement's results, their frames, and their graphs on onnxruntime-web's wasm EP by `onnx` role.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { loadConfig } from '../../core/config/config-loader.ts';
import type { ConfigDict } from '../../core/config/config-value.ts';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';
import { imageMeta, type TensorData } from '../../core/models/det/faster-rcnn.ts';
import type { PreparedFrames } from '../../core/models/vid/fgfa.ts';
import { type PreprocessOptions, preprocessImage } from '../../core/ops/preprocess.ts';
import { expect } from 'vitest';
import type { Proposals } from '../../core/models/det/faster-rcnn.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { type FixtureImage, fixtureRgba, maxAbsDiff, unmatchedDetections } from '../detectors/faster-rcnn-fixture.node.ts';
import { uploadBuffer } from '../../gpu/device.ts';
import { loadModel } from '../model-session.ts';
import type { GpuPreparedFrames } from './gpu-frames.ts';
import { vidGraphSpecs } from './vid-runner.ts';

export const VID_FIXTURE_DIR = new URL('../../core/models/vid/fixtures/', import.meta.url);

/** `NAME.json`: the generator's settings, parts and per-frame results. */
export function readVidFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, VID_FIXTURE_DIR), 'utf8')) as T;
}

/** The merged config `NAME.py`. */
export async function vidFixtureConfig(name: string): Promise<ConfigDict> {
  return (await loadConfig(new URL(`${name}.py`, VID_FIXTURE_DIR).pathname, nodeConfigFs)).config;
}

/** Every graph of the config's VID method, loaded (and checked against the config) on the wasm EP, by role. */
export async function vidFixtureSessions<R extends string>(config: ConfigDict): Promise<Record<R, ort.InferenceSession>> {
  const sessions: Record<string, ort.InferenceSession> = {};
  for (const spec of vidGraphSpecs(config)) {
    sessions[spec.role] = (await loadModel(ort, new Uint8Array(readFileSync(new URL(spec.file, VID_FIXTURE_DIR))), spec.file, spec, { providers: ['wasm'] })).session;
  }
  return sessions;
}

/** A fixture's frames, pre-processed on demand; `asked` lists the frames asked for, in order. */
export function fixturePreparedFrames(frames: readonly FixtureImage[], preprocess: PreprocessOptions): PreparedFrames & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    get(i) {
      asked.push(i);
      const frame = frames[i];
      if (!frame) return Promise.resolve(null);
      const { data, geometry: g } = preprocessImage(fixtureRgba(frame), frame.width, frame.height, preprocess);
      const image: TensorData = { data, dims: [1, 3, g.paddedHeight, g.paddedWidth] };
      return Promise.resolve({ image, meta: imageMeta(g) });
    },
  };
}

/**
 * The restatement's proposals without a match among ours (1e-3 px, 1e-5), in the same order except that proposals
 * whose scores differ by float noise may come in either order (neighbours are tried).
 */
export function unmatchedProposals(ours: { boxes: Float32Array; scores: Float32Array }, ref: FixtureImage): string[] {
  const problems: string[] = [];
  for (let i = 0; i < ref.proposal_scores.length; i++) {
    const near = [i, i - 1, i + 1].filter((j) => j >= 0 && j < ours.scores.length && Math.abs(ours.scores[j]! - ref.proposal_scores[i]!) <= 1e-5);
    if (!near.some((j) => [0, 1, 2, 3].every((c) => Math.abs(ours.boxes[j * 4 + c]! - ref.proposals[i * 4 + c]!) <= 1e-3))) problems.push(`proposal ${i}`);
  }
  return problems;
}

/** A fixture's frames pre-processed into GPU buffers on demand; `live` holds those not yet disposed. */
export function fixtureGpuFrames(device: GPUDevice, frames: readonly FixtureImage[], preprocess: PreprocessOptions): GpuPreparedFrames & { live: Set<GPUBuffer> } {
  const live = new Set<GPUBuffer>();
  return {
    live,
    get(i) {
      const frame = frames[i];
      if (!frame) return Promise.resolve(null);
      const { data, geometry: g } = preprocessImage(fixtureRgba(frame), frame.width, frame.height, preprocess);
      const buffer = uploadBuffer(device, data, `frame ${i}`);
      live.add(buffer);
      const meta = imageMeta(g);
      return Promise.resolve({ image: { buffer, dims: [1, 3, g.paddedHeight, g.paddedWidth] }, meta, dispose: () => (live.delete(buffer), buffer.destroy()) });
    },
  };
}

/**
 * Expects `ours` to be the restatement's frame: the same proposals (scores 1e-5, boxes 1e-3 px; in the same order, or
 * with `reorderedTies` in the order float noise may give ties) and detections (labels, boxes `boxTol` px, `scoreTol`).
 */
export function expectRestatementFrame(ours: { proposals: Proposals; detections: Detections }, frame: FixtureImage, scoreTol: number, reorderedTies = false, boxTol = 1e-3): void {
  expect(maxAbsDiff(ours.proposals.scores, frame.proposal_scores)).toBeLessThan(1e-5);
  if (reorderedTies) expect(unmatchedProposals(ours.proposals, frame)).toEqual([]);
  else expect(maxAbsDiff(ours.proposals.boxes, frame.proposals)).toBeLessThan(1e-3);
  expect(ours.detections.scores.length).toBe(frame.detections.scores.length);
  expect(unmatchedDetections(ours.detections, frame.detections, boxTol, scoreTol)).toEqual([]);
}
