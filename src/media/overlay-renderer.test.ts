import { describe, expect, it } from 'vitest';
import { canvasToFrame, fitView } from './overlay-renderer.ts';

describe('fitView', () => {
  it('letterboxes a wide frame in a tall canvas and maps points back', () => {
    const v = fitView(1920, 1080, 1000, 1000, 2);
    expect(v.scale).toBeCloseTo(1000 / 1920);
    expect(v.offsetX).toBeCloseTo(0);
    expect(v.offsetY).toBeCloseTo((1000 - 1080 * v.scale) / 2);
    const [x, y] = canvasToFrame(v, v.offsetX + 960 * v.scale, v.offsetY + 540 * v.scale);
    expect(x).toBeCloseTo(960);
    expect(y).toBeCloseTo(540);
  });
  it('pillarboxes a tall frame', () => {
    const v = fitView(100, 400, 800, 800, 1);
    expect(v.scale).toBe(2);
    expect(v.offsetX).toBe(300);
    expect(v.offsetY).toBe(0);
  });
});
