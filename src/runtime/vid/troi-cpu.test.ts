/**
 * Our Temporal RoI Align against MMTracking's, restated in PyTorch (scripts/fixtures/make_troi_fixture.py): the SELSA
 * fixture's clip and references (frames 0, 2, 3, 4, 6) with three shared fcs and a TemporalRoIAlign (2 most similar
 * points, 4 temporal attention blocks, searching the last of the 3 RoI levels), 8 proposals per frame, exported as the
 * five graphs of fixtures/troi_tiny.py. Tolerances as SELSA's: labels identical, boxes 1e-3 px, proposal scores 1e-5,
 * detection scores 3e-4 (attention softmaxes summed in another order in onnxruntime than in PyTorch); the generator
 * picked a seed whose float32 results are within 4e-4 px and 5e-5 of its own float64 rerun.
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { Selsa, type SelsaFrameResult, type SelsaGraphRole } from '../../core/models/vid/selsa.ts';
import { type SelsaModel, selsaModel } from '../../core/models/vid/vid-config.ts';
import { ortRunGraph } from '../detectors/faster-rcnn-cpu.ts';
import { type FixtureImage } from '../detectors/faster-rcnn-fixture.node.ts';
import { expectRestatementFrame, fixturePreparedFrames, readVidFixture, vidFixtureConfig, vidFixtureSessions } from './vid-fixture.node.ts';

const fixture = readVidFixture<{
  settings: { ref_frames: number[]; rpn_max_per_img: number; num_most_similar_points: number; num_temporal_attention_blocks: number; float32_noise: { box: number; score: number } };
  margins: Record<string, number | null>;
  frames: (FixtureImage & { frame_id: number; ref_rois: number })[];
}>('troi_tiny');

async function loadTroi(): Promise<{ model: SelsaModel; selsa: Selsa; calls: Map<SelsaGraphRole, number[]> }> {
  const config = await vidFixtureConfig('troi_tiny');
  const model = selsaModel(config);
  const run = ortRunGraph<SelsaGraphRole>(ort, await vidFixtureSessions<SelsaGraphRole>(config));
  // Per role, the batch size of every call.
  const calls = new Map<SelsaGraphRole, number[]>();
  const counted: typeof run = (role, feeds) => (calls.set(role, [...(calls.get(role) ?? []), Object.values(feeds)[0]!.dims[0]!]), run(role, feeds));
  return { model, selsa: new Selsa(model, counted), calls };
}

describe('Temporal RoI Align (SELSA + TemporalRoIAlign) vs the PyTorch restatement of MMTracking (fixtures/troi_tiny.*)', () => {
  let loaded: Awaited<ReturnType<typeof loadTroi>>;
  const results: SelsaFrameResult[] = [];
  const T = 7;

  beforeAll(async () => {
    loaded = await loadTroi();
    const frames = fixturePreparedFrames(fixture.frames, loaded.model.preprocess);
    for (const f of fixture.frames) results.push(await loaded.selsa.detect(f.frame_id, T, frames));
  });

  it("the config is the generator's, and every decision of the fixture is clear of float noise", () => {
    const { roiExtractor } = loaded.model.detector.rcnn;
    expect(roiExtractor.temporal).toEqual({ numMostSimilarPoints: fixture.settings.num_most_similar_points, numTemporalAttentionBlocks: fixture.settings.num_temporal_attention_blocks });
    expect(loaded.model.detector.rpn.maxPerImg).toBe(fixture.settings.rpn_max_per_img);
    expect(loaded.model.graphs.embedNetwork?.spec.file).toBe('troi_tiny_embed_network.onnx');
    expect(loaded.model.graphs.bboxHead.keysValues).toHaveLength(6);
    for (const [k, v] of Object.entries(fixture.margins)) if (v !== null) expect(v, k).toBeGreaterThanOrEqual(k.startsWith('TRoI') ? 1e-6 : 2e-5);
    // The restatement's own float32 noise (against its float64 rerun) is well inside the tolerances below.
    expect(fixture.settings.float32_noise.box).toBeLessThanOrEqual(4e-4);
    expect(fixture.settings.float32_noise.score).toBeLessThanOrEqual(5e-5);
  });

  it("the references' maps are searched by every frame; the embed network sees the frame and 6 maps' RoIs", () => {
    expect(results.map((r) => r.references)).toEqual(fixture.frames.map(() => fixture.settings.ref_frames));
    expect(results.every((r) => r.timings.aggregate! > 0)).toBe(true);
    // (1 + 5 references + the frame itself) x 8 RoIs per frame, one call each (chunks of 16 RoIs).
    expect(loaded.calls.get('embed_network')).toEqual(fixture.frames.map((f) => 7 * (f.proposal_scores.length)));
    expect(loaded.calls.get('bbox_head')).toEqual(fixture.frames.map((f) => f.proposal_scores.length));
  });

  for (const frame of fixture.frames) {
    it(`frame ${frame.frame_id} (${frame.ref_rois} reference RoIs): same proposals (1e-3 px, 1e-5) and detections (labels, 1e-3 px, 3e-4)`, () => {
      const ours = results[frame.frame_id]!;
      expectRestatementFrame(ours, frame, 3e-4);
    });
  }
});
