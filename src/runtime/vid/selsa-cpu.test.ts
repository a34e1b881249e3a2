/**
 * Our SELSA against MMTracking's, restated in PyTorch (scripts/fixtures/make_selsa_fixture.py): the DFF fixture's clip
 * and detector with a SelsaBBoxHead (two shared fcs, a SelsaAggregator each, 16 attention blocks), exported as the four
 * graphs of fixtures/selsa_tiny.py; 5 references over the whole 7-frame clip by test_with_adaptive_stride (frames
 * 0, 2, 3, 4, 6: Python's round takes 1.5 to 2 and 4.5 to 4). Tolerances as DFF and FGFA (labels identical, boxes
 * 1e-3 px, proposal scores 1e-5) except detection scores, 3e-4: each is a softmax over the classes after two attention
 * softmaxes over 1 200 reference RoIs, whose sums run in another order in onnxruntime than in PyTorch (frame 4 has one
 * detection 1.35e-4 from PyTorch's, its box within 3e-4 px).
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { adaptiveStrideReferences, Selsa, type SelsaFrameResult, type SelsaGraphRole } from '../../core/models/vid/selsa.ts';
import { type SelsaModel, selsaModel } from '../../core/models/vid/vid-config.ts';
import { ortRunGraph } from '../detectors/faster-rcnn-cpu.ts';
import { type FixtureImage } from '../detectors/faster-rcnn-fixture.node.ts';
import { expectRestatementFrame, fixturePreparedFrames, readVidFixture, vidFixtureConfig, vidFixtureSessions } from './vid-fixture.node.ts';

const fixture = readVidFixture<{
  settings: { num_ref_imgs: number; ref_frames: number[] };
  margins: Record<string, number | null>;
  frames: (FixtureImage & { frame_id: number; ref_rois: number })[];
}>('selsa_tiny');

async function loadSelsa(): Promise<{ model: SelsaModel; selsa: Selsa; calls: Map<SelsaGraphRole, number> }> {
  const config = await vidFixtureConfig('selsa_tiny');
  const model = selsaModel(config);
  const run = ortRunGraph<SelsaGraphRole>(ort, await vidFixtureSessions<SelsaGraphRole>(config));
  const calls = new Map<SelsaGraphRole, number>();
  const counted: typeof run = (role, feeds) => (calls.set(role, (calls.get(role) ?? 0) + 1), run(role, feeds));
  return { model, selsa: new Selsa(model, counted), calls };
}

const preparedFrames = (model: SelsaModel) => fixturePreparedFrames(fixture.frames, model.preprocess);

describe('SELSA runner vs the PyTorch restatement of MMTracking (fixtures/selsa_tiny.*)', () => {
  let loaded: Awaited<ReturnType<typeof loadSelsa>>;
  let frames: ReturnType<typeof preparedFrames>;
  const results: SelsaFrameResult[] = [];
  const T = 7;

  beforeAll(async () => {
    loaded = await loadSelsa();
    frames = preparedFrames(loaded.model);
    for (const f of fixture.frames) results.push(await loaded.selsa.detect(f.frame_id, T, frames));
  });

  it("the config's references are the generator's, and MMTracking's adaptive stride rounds halves to even", () => {
    expect(loaded.model.selsa).toEqual({ method: 'SELSA', numRefImgs: fixture.settings.num_ref_imgs });
    expect(adaptiveStrideReferences(T, 5)).toEqual(fixture.settings.ref_frames);
    expect(fixture.settings.ref_frames).toEqual([0, 2, 3, 4, 6]);
    // MMTracking's configs: 14 references; a 150-frame video, and one shorter than 14 frames (repeats).
    expect(adaptiveStrideReferences(150, 14)).toEqual([0, 11, 23, 34, 46, 57, 69, 80, 92, 103, 115, 126, 138, 149]);
    expect(adaptiveStrideReferences(4, 14)).toEqual([0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3]);
    for (const v of Object.values(fixture.margins)) if (v !== null) expect(v).toBeGreaterThanOrEqual(2e-5);
  });

  it("the references' keys and values are computed once, at the first frame, and kept", () => {
    expect(results.map((r) => r.references)).toEqual(fixture.frames.map(() => [0, 2, 3, 4, 6]));
    expect(results[0]!.timings.references).toBeGreaterThan(0);
    expect(results.slice(1).every((r) => r.timings.references === undefined)).toBe(true);
    // 5 references + 7 frames through the backbone; bbox_head_ref on 5 references + each frame's own RoIs.
    expect(loaded.calls.get('backbone')).toBe(5 + 7);
    expect(loaded.calls.get('bbox_head_ref')).toBe(5 + 7);
    expect(loaded.calls.get('bbox_head')).toBe(7);
    expect(frames.asked).toEqual([0, 2, 3, 4, 6, 0, 1, 2, 3, 4, 5, 6]);
  });

  for (const frame of fixture.frames) {
    it(`frame ${frame.frame_id} (${frame.ref_rois} reference RoIs): same proposals (1e-3 px, 1e-5) and detections (labels, 1e-3 px, 3e-4)`, () => {
      const ours = results[frame.frame_id]!;
      expectRestatementFrame(ours, frame, 3e-4);
    });
  }

  it('needs the video length, and a frame inside it', async () => {
    const { selsa, model } = await loadSelsa();
    await expect(selsa.detect(0, 0, preparedFrames(model))).rejects.toThrow("SELSA: the video's length must be known (got 0 frames)");
    await expect(selsa.detect(7, 7, preparedFrames(model))).rejects.toThrow("SELSA: frame 7 is outside the video's 7 frames");
    // A length longer than the video: a reference past its end cannot be read.
    await expect(selsa.detect(0, 9, preparedFrames(model))).rejects.toThrow('SELSA: reference frame 8 of 9 could not be read');
  });
});
