/**
 * Our FGFA against MMTracking's, restated in PyTorch (scripts/fixtures/make_fgfa_fixture.py): the DFF fixture's clip
 * and networks plus an EmbedAggregator, exported as the five graphs of fixtures/fgfa_tiny.py; the reference frames
 * are MMTracking's test_with_fix_stride over frame_range [-2, 2], so the windows are clamped at both ends of the
 * 7-frame clip. Same tolerances as DFF: labels identical, boxes 1e-3 px, scores 1e-4 (1e-5 for proposals).
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { Fgfa, type FgfaFrameResult, type FgfaGraphRole } from '../../core/models/vid/fgfa.ts';
import { type FgfaModel, fgfaModel } from '../../core/models/vid/vid-config.ts';
import { ortRunGraph } from '../detectors/faster-rcnn-cpu.ts';
import { type FixtureImage } from '../detectors/faster-rcnn-fixture.node.ts';
import { expectRestatementFrame, fixturePreparedFrames, readVidFixture, vidFixtureConfig, vidFixtureSessions } from './vid-fixture.node.ts';

const fixture = readVidFixture<{
  settings: { frame_range: number[]; stride: number };
  parts: Record<FgfaGraphRole, { file: string; outputs: string[] }>;
  margins: Record<string, number | null>;
  frames: (FixtureImage & { frame_id: number; window: number[]; flow_abs_max: number })[];
}>('fgfa_tiny');

async function loadFgfa(): Promise<{ model: FgfaModel; fgfa: Fgfa }> {
  const config = await vidFixtureConfig('fgfa_tiny');
  const model = fgfaModel(config);
  return { model, fgfa: new Fgfa(model, ortRunGraph<FgfaGraphRole>(ort, await vidFixtureSessions<FgfaGraphRole>(config))) };
}

const preparedFrames = (model: FgfaModel) => fixturePreparedFrames(fixture.frames, model.preprocess);

describe('FGFA runner vs the PyTorch restatement of MMTracking (fixtures/fgfa_tiny.*)', () => {
  let model: FgfaModel;
  let frames: ReturnType<typeof preparedFrames>;
  const results: FgfaFrameResult[] = [];

  beforeAll(async () => {
    const loaded = await loadFgfa();
    model = loaded.model;
    frames = preparedFrames(model);
    for (const f of fixture.frames) results.push(await loaded.fgfa.detect(f.frame_id, frames));
  });

  it("the config's reference sampling and aggregator are the generator's", () => {
    expect(model.fgfa).toMatchObject({ method: 'FGFA', frameRange: fixture.settings.frame_range, stride: fixture.settings.stride });
    expect(model.graphs.aggregator.spec.file).toBe(fixture.parts.aggregator.file);
    for (const v of Object.values(fixture.margins)) if (v !== null) expect(v).toBeGreaterThanOrEqual(2e-5);
  });

  it("each frame aggregates MMTracking's window, clamped at both ends of the video", () => {
    expect(results.map((r) => r.window)).toEqual(fixture.frames.map((f) => f.window));
    expect(results[0]!.window).toEqual([0, 0, 0, 1, 2]);
    expect(results[6]!.window).toEqual([4, 5, 6, 6, 6]);
    // The end of the video is found by asking for the frame after it (index 7), once.
    expect([...new Set(frames.asked)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(frames.asked.filter((i) => i === 7)).toHaveLength(1);
  });

  for (const frame of fixture.frames) {
    it(`frame ${frame.frame_id} (window ${frame.window.join(', ')}): same proposals (1e-3 px, 1e-5) and detections (labels, 1e-3 px, 1e-4)`, () => {
      const ours = results[frame.frame_id]!;
      expectRestatementFrame(ours, frame, 1e-4, true);
    });
  }

  it('a frame past the end is refused', async () => {
    const { fgfa } = await loadFgfa();
    await expect(fgfa.detect(7, preparedFrames(model))).rejects.toThrow('FGFA: frame 7 is past the end of the video');
  });
});
