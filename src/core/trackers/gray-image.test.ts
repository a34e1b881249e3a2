import { describe, expect, it } from 'vitest';
import { grayImage } from './gray-image.ts';

describe('grayImage', () => {
  it('weights RGB as OpenCV and box-averages by the factor that fits maxSide', () => {
    const rgba = new Uint8Array(4 * 2 * 4);
    // Row 0: red, green, blue, white; row 1: black ×4.
    rgba.set([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
    const full = grayImage(rgba, 4, 2, 4);
    expect(full.scale).toBe(1);
    expect(Array.from(full.data.subarray(0, 4)).map((v) => Math.round(v * 1000) / 1000)).toEqual([76.245, 149.685, 29.07, 255]);
    const half = grayImage(rgba, 4, 2, 2);
    expect([half.width, half.height, half.scale]).toEqual([2, 1, 0.5]);
    expect(half.data[1]).toBeCloseTo((29.07 + 255) / 4, 3);
    expect(() => grayImage(rgba, 5, 2)).toThrow(/32 bytes for a 5x2 RGBA frame/);
  });
});
