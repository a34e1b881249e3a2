import { describe, expect, it } from 'vitest';
import { boxCaption, boxColor, trackColor, trackHsl, trackRgb } from './overlay-scene.ts';

describe('overlay scene helpers', () => {
  it('gives every id the same colour each time and neighbours different colours', () => {
    expect(trackColor(7)).toBe(trackColor(7));
    const colours = new Set(Array.from({ length: 50 }, (_, i) => trackColor(i)));
    expect(colours.size).toBe(50);
  });
  it('prefers an explicit colour, then the id, then the label', () => {
    expect(boxColor({ x1: 0, y1: 0, x2: 1, y2: 1, color: 'red', trackId: 3 })).toBe('red');
    expect(boxColor({ x1: 0, y1: 0, x2: 1, y2: 1, trackId: 3, label: 'car' })).toBe(trackColor(3));
    expect(boxColor({ x1: 0, y1: 0, x2: 1, y2: 1, label: 'car' })).toBe(boxColor({ x1: 5, y1: 5, x2: 9, y2: 9, label: 'car' }));
  });
  it('captions id, label and score', () => {
    expect(boxCaption({ x1: 0, y1: 0, x2: 1, y2: 1, trackId: 12, label: 'person', score: 0.876 })).toBe('#12 person 0.88');
    expect(boxCaption({ x1: 0, y1: 0, x2: 1, y2: 1 })).toBe('');
  });
  it('gives the same colour as RGB for pixel writers (standard HSL → RGB)', () => {
    expect(trackHsl(0)).toEqual([0, 85, 55]);
    expect(trackRgb(0)).toEqual([238, 43, 43]); // hsl(0, 85%, 55%)
    expect(trackColor(0)).toBe('hsl(0.0, 85%, 55%)');
    const [r, g, b] = trackRgb(1); // hue 137.5°, lightness 62%: green dominates
    expect(g).toBeGreaterThan(r);
    expect(g).toBeGreaterThan(b);
  });
});
