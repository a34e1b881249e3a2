import { describe, expect, it } from 'vitest';
import { IdCounter } from './id-counter.ts';
import { TrackStore } from './track-store.ts';

const obs = (x: number, embed?: number[]) => ({ box: [x, 0, x + 10, 20], score: 0.9, label: 0, ...(embed ? { embed: Float32Array.from(embed) } : {}) });

describe('TrackStore (MMTracking BaseTracker buffers)', () => {
  it('drops a track once frame − last seen >= num_frames_retain', () => {
    const store = new TrackStore({ numFramesRetain: 3 });
    store.record(7, obs(0), 10);
    expect(store.removeInvalid(12)).toEqual([]);
    expect(store.removeInvalid(13)).toEqual([7]);
    expect(store.empty).toBe(true);
  });

  it('keeps creation order, counts hits, and applies extra removal rules', () => {
    const store = new TrackStore({ numFramesRetain: 30 });
    store.record(5, obs(0), 0);
    store.record(2, obs(50), 0);
    store.record(5, obs(1), 1);
    expect(store.ids).toEqual([5, 2]);
    expect(store.get(5).hits).toBe(2);
    expect(Array.from(store.lastBoxes([2, 5]))).toEqual([50, 0, 60, 20, 1, 0, 11, 20]);
    expect(store.removeInvalid(1, (t) => t.frameId !== 1)).toEqual([2]);
  });

  it('averages the last num_samples embeddings (the last one when None)', () => {
    const store = new TrackStore({ numFramesRetain: 30, embedHistory: 2 });
    store.record(0, obs(0, [1, 0]), 0);
    store.record(0, obs(0, [0, 1]), 1);
    store.record(0, obs(0, [0, 3]), 2);
    expect(Array.from(store.meanEmbeddings([0], 2, 2))).toEqual([0, 2]);
    expect(Array.from(store.meanEmbeddings([0], null, 2))).toEqual([0, 3]);
    expect(store.get(0).embeds.length).toBe(2);
  });

  it('blends items with momentums instead of replacing them', () => {
    const store = new TrackStore({ numFramesRetain: 30, momentums: { embeds: 0.25, bboxes: 0.5 } });
    store.record(0, obs(0, [4, 0]), 0);
    store.record(0, obs(10, [0, 4]), 1);
    expect(Array.from(store.get(0).embeds[0]!)).toEqual([3, 1]);
    expect(Array.from(store.get(0).bbox)).toEqual([5, 0, 15, 20]);
    expect(() => new TrackStore({ numFramesRetain: 3, momentums: { labels: 0.5 } as never })).toThrow(/'labels' cannot be blended/);
    expect(() => new TrackStore({ numFramesRetain: 0 })).toThrow(/num_frames_retain/);
  });
});

describe('IdCounter', () => {
  it('counts from its start and restarts on reset', () => {
    const ids = new IdCounter(1);
    expect([ids.next(), ids.next(), ids.peek()]).toEqual([1, 2, 3]);
    ids.reset();
    expect(ids.next()).toBe(1);
  });
});
