import { describe, expect, it } from 'vitest';
import { makeDetections } from '../../core/structures/detections.ts';
import { drawOverlay } from '../../media/overlay-renderer.ts';
import { SceneBuilder, TRAIL_FRAMES } from './scene-builder.ts';

/** Track 7 moving right by 10 px a frame (box 20 wide, bottom at 50), and track 8 seen once on frame 0. */
function frame(f: number) {
  const ids = f === 0 ? [7, 8] : [7];
  const boxes = ids.flatMap((id) => (id === 7 ? [f * 10, 30, f * 10 + 20, 50] : [100, 100, 110, 120]));
  return makeDetections({ boxes, scores: ids.map(() => 0.9), labels: ids.map(() => 0), ids });
}

describe('SceneBuilder trails', () => {
  it('keeps each track\'s recent bottom centres as flat x, y pairs, oldest first, at most TRAIL_FRAMES frames back', () => {
    const b = new SceneBuilder(['person'], 7);
    for (let f = 0; f < TRAIL_FRAMES + 5; f++) b.add(f, frame(f));
    expect(b.scenes.get(0)!.trails).toEqual([]); // one point is no trail
    expect(Array.from(b.scenes.get(2)!.trails![0]!.points)).toEqual([10, 50, 20, 50, 30, 50]);
    const last = b.scenes.get(TRAIL_FRAMES + 4)!;
    expect(last.trails).toHaveLength(1);
    const points = last.trails![0]!.points;
    expect(points).toBeInstanceOf(Float32Array);
    expect(points.length).toBe(TRAIL_FRAMES * 2);
    expect(points[0]).toBe(5 * 10 + 10); // frame 5's centre: frames 5..34
    expect(last.boxes![0]).toMatchObject({ trackId: 7, label: 'person', highlighted: true });
  });

  it('draws a trail as one segment per pair of points, fading in', () => {
    const b = new SceneBuilder(['person'], null);
    for (let f = 0; f < 4; f++) b.add(f, frame(f));
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
    drawOverlay(ctx as never, { trails: b.scenes.get(3)!.trails }, { scale: 1, offsetX: 0, offsetY: 0, uiScale: 1 });
    expect(calls.filter((c) => c.startsWith('moveTo') || c.startsWith('lineTo'))).toEqual([
      'moveTo(10,50)', 'lineTo(20,50)', 'moveTo(20,50)', 'lineTo(30,50)', 'moveTo(30,50)', 'lineTo(40,50)',
    ]);
    expect(alphas.slice(0, 3).map((a) => a.toFixed(3))).toEqual(['0.433', '0.717', '1.000']);
  });
});
