import { describe, expect, it } from 'vitest';
import type { ConfigDict } from '../../core/config/config-value.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { syntheticScene } from '../../core/trackers/synthetic-scene.ts';
import { CancelledError } from '../../workers/rpc.ts';
import { type MotFrameSource, MotSession, type MotSessionRecord } from './mot-session.ts';

const byteTrack: ConfigDict = { model: { type: 'ByteTrack', motion: { type: 'KalmanFilter' }, tracker: { type: 'ByteTracker', num_frames_retain: 30 } } };
const settings = (config: ConfigDict = byteTrack) => ({ config, configPath: 'configs/mot/x.py', classes: null });

/** A video of synthetic detections (about a third with low scores), served as the player and detector would. */
function source(frames = 20): MotFrameSource & { asked: number[]; forgot: number } {
  const scene = syntheticScene({ seed: 7, numFrames: frames, numObjects: 6, lowScoreRate: 0.35, falsePositives: 1 });
  const s = {
    frameCount: frames,
    asked: [] as number[],
    forgot: 0,
    detections: (i: number) => {
      s.asked.push(i);
      return Promise.resolve(scene[i]!.detections);
    },
    trackerInputs: () => Promise.resolve({}),
    forgetCache: () => void s.forgot++,
  };
  return s;
}

const minTrackedScore = (session: MotSession) => Math.min(...[...session.result.frames.values()].flatMap((d: Detections) => Array.from(d.scores)));

describe('MotSession', () => {
  it('tracks every frame in order at the threshold it was given, keeping the detections it tracked', async () => {
    const src = source();
    const session = MotSession.create(settings(), ['person'], 0.5);
    const progress: number[] = [];
    await session.track(src, (done) => progress.push(done));
    expect(src.asked).toEqual([...Array(20).keys()]);
    expect(progress).toEqual([...Array(20).keys()].map((i) => i + 1));
    expect(session.minScore).toBe(0.5);
    expect(session.frameCount).toBe(20);
    // Every tracked box came from a detection at or above the threshold the store shows.
    expect(minTrackedScore(session)).toBeGreaterThanOrEqual(0.5);
    expect(session.tracks().length).toBeGreaterThanOrEqual(6);
    expect(session.scenes().size).toBe(20);
  });

  it('re-tracks its cached detections at a new threshold without asking the source again', async () => {
    const src = source();
    const session = MotSession.create(settings(), ['person'], 0.5);
    await session.track(src, () => undefined);
    const before = session.result.motRows().frame.length;
    await session.retrack(0.1);
    expect(src.asked).toHaveLength(20);
    expect(session.minScore).toBe(0.1);
    expect(minTrackedScore(session)).toBeLessThan(0.5);
    expect(session.result.motRows().frame.length).toBeGreaterThan(before);
  });

  it('comes back from its record (a reload) with the same tracks, threshold and detections', async () => {
    const session = MotSession.create(settings(), ['person'], 0.3);
    await session.track(source(), () => undefined);
    const record: MotSessionRecord = structuredClone(session.toRecord());
    const restored = MotSession.fromRecord(record);
    expect(restored.tracks()).toEqual(session.tracks());
    expect(restored.minScore).toBe(0.3);
    expect(restored.configPath).toBe('configs/mot/x.py');
    expect(restored.result.motRows()).toEqual(session.result.motRows());
    // Re-tracking the restored run at the same threshold gives the same tracks as the original run.
    await restored.retrack(0.3, settings());
    expect(restored.result.motRows()).toEqual(session.result.motRows());
  });

  it('stops between frames when cancelled', async () => {
    const src = source();
    const session = MotSession.create(settings(), ['person'], 0);
    const running = session.track(src, (done) => {
      if (done === 3) session.cancel();
    });
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(src.asked).toEqual([0, 1, 2]);
  });

  it('tracks a grid config with the first value of each axis and says so', () => {
    const grid: ConfigDict = { model: { ...(byteTrack.model as ConfigDict), tracker: { type: 'ByteTracker', init_track_thr: [0.4, 0.6], num_frames_retain: 30 } } };
    const session = MotSession.create(settings(grid), ['person'], 0);
    expect(session.config).toMatchObject({ model: { tracker: { init_track_thr: 0.4 } } });
    expect(session.gridNote).toMatch(/tracked with the first values \(init_track_thr=0\.4\)/);
  });

  it('ticked classes replace the config classes', () => {
    const session = MotSession.create({ ...settings(), classes: ['car'] }, ['person', 'car'], 0);
    expect(session.config.classes).toEqual(['car']);
  });

  it('refuses to re-track with a tracker that needs the frame, and keeps its run', async () => {
    const session = MotSession.create(settings(), ['person'], 0.2);
    await session.track(source(), () => undefined);
    const tracks = session.tracks();
    const tracktor: ConfigDict = { model: { type: 'Tracktor', tracker: { type: 'TracktorTracker', reid: null } } };
    await expect(session.retrack(0.2, settings(tracktor))).rejects.toThrow(/TracktorTracker cannot re-track cached detections/);
    expect(session.tracks()).toEqual(tracks);
    expect(session.minScore).toBe(0.2);
  });
});
