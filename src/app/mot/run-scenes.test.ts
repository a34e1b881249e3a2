import { describe, expect, it } from 'vitest';
import { makeDetections } from '../../core/structures/detections.ts';
import { drawOverlay } from '../../media/overlay-renderer.ts';
import type { Detections } from '../../core/structures/detections.ts';
import { RunScenes, TRAIL_FRAMES } from './run-scenes.ts';

/** Track 7 moving right by 10 px a frame (box 20 wide, bottom at 50), and track 8 seen once on frame 0. */
function frame(f: number) {
  const ids = f === 0 ? [7, 8] : [7];
  const boxes = ids.flatMap((id) => (id === 7 ? [f * 10, 30, f * 10 + 20, 50] : [100, 100, 110, 120]));
  return makeDetections({ boxes, scores: ids.map(() => 0.9), labels: ids.map(() => 0), ids });
}

/** A run's tracked frames 0..n-1. */
function run(n: number): Map<number, Detections> {
  return new Map(Array.from({ length: n }, (_, f) => [f, frame(f)] as const));
}

describe('RunScenes', () => {
  it('keeps each track\'s recent bottom centres as flat x, y pairs, oldest first, at most TRAIL_FRAMES frames back', () => {
    const b = new RunScenes(run(TRAIL_FRAMES + 5), ['person'], 7);
    expect(b.get(0)!.trails).toEqual([]); // one point is no trail
    expect(Array.from(b.get(2)!.trails![0]!.points)).toEqual([10, 50, 20, 50, 30, 50]);
    const last = b.get(TRAIL_FRAMES + 4)!;
    expect(last.trails).toHaveLength(1);
    const points = last.trails![0]!.points;
    expect(points).toBeInstanceOf(Float32Array);
    expect(points.length).toBe(TRAIL_FRAMES * 2);
    expect(points[0]).toBe(5 * 10 + 10); // frame 5's centre: frames 5..34
    expect(last.boxes![0]).toMatchObject({ trackId: 7, label: 'person', highlighted: true });
  });

  it('makes a scene when asked, from the frames tracked so far, and gives the same object for a frame drawn again', () => {
    const frames = new Map<number, Detections>();
    const b = new RunScenes(frames, ['person'], null);
    expect(b.get(0)).toBeUndefined();
    frames.set(0, frame(0)); // a live run tracks frame 0
    const first = b.get(0)!;
    expect(first.boxes!.map((x) => x.trackId)).toEqual([7, 8]);
    expect(b.get(0)).toBe(first);
    for (let f = 1; f < 20; f++) frames.set(f, frame(f));
    for (let f = 0; f < 20; f++) b.get(f); // frame 0 falls out of the few kept
    const again = b.get(0)!;
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    expect(b.size).toBe(20);
    expect([...b.values()].map((sc) => sc.boxes!.length)).toEqual([2, ...Array<number>(19).fill(1)]);
  });

  it('draws a trail as one segment per pair of points, fading in', () => {
    const b = new RunScenes(run(4), ['person'], null);
    const calls: string[] = [];
    const alphas: number[] = [];
    const target: Record<string, unknown> = {};
    const ctx = new Proxy(target, {
      get: (t, k: string) => (k in t ? t[k] : (...args: unknown[]) => calls.push(`${k}(${args.join(',')})`)),
      set: (t, k: string, v) => {
        if (k === 'globalAlpha') alphas.push(v as number);
        t[k] = v;
        return true;
      },
    });
    drawOverlay(ctx as never, { trails: b.get(3)!.trails }, { scale: 1, offsetX: 0, offsetY: 0, uiScale: 1 });
    expect(calls.filter((c) => c.startsWith('moveTo') || c.startsWith('lineTo'))).toEqual([
      'moveTo(10,50)', 'lineTo(20,50)', 'moveTo(20,50)', 'lineTo(30,50)', 'moveTo(30,50)', 'lineTo(40,50)',
    ]);
    expect(alphas.slice(0, 3).map((a) => a.toFixed(3))).toEqual(['0.433', '0.717', '1.000']);
  });
});
