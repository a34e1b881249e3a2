import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config-loader.ts';
import { nodeConfigFs } from '../../config/node-config-fs.node.ts';
import { maskArea, maskBit } from '../../structures/bit-masks.ts';
import { cropMasks, cropWindows, personMaskDemoSettings } from './person-mask-demo.ts';

describe('person-mask demo', () => {
  it('crop windows: the box grown around its centre, whole pixels, clipped to the frame, never empty', () => {
    expect(Array.from(cropWindows(Float32Array.from([10, 20, 30, 60, -5, -5, 4, 4, 99.5, 10, 99.9, 10]), 100, 80, 1.5))).toEqual([5, 10, 35, 70, 0, 0, 7, 7, 99, 10, 100, 11]);
  });

  it('masks: a probability map of ones fills exactly the box; a left-half map fills the crop’s left half inside the box', () => {
    const size = 8;
    const ones = new Float32Array(size * size).fill(1);
    const left = Float32Array.from({ length: size * size }, (_, k) => (k % size < size / 2 ? 1 : 0));
    const boxes = Float32Array.from([10, 10, 20, 30, 0, 0, 40, 40]);
    const crops = Float32Array.from([5, 5, 25, 35, 0, 0, 40, 40]);
    const m = cropMasks([ones, left], crops, boxes, 50, 40, size, 0.5);
    expect(maskArea(m, 0)).toBe(10 * 20);
    expect([maskBit(m, 0, 10, 10), maskBit(m, 0, 29, 19), maskBit(m, 0, 9, 10), maskBit(m, 0, 10, 20)]).toEqual([1, 1, 0, 0]);
    // The crop is 40 wide: columns 0..19 map to the left half (value 1 up to the half-pixel blend at the centre).
    expect(maskArea(m, 1)).toBe(40 * 20);
    expect([maskBit(m, 1, 5, 19), maskBit(m, 1, 5, 20)]).toEqual([1, 0]);
  });

  it('configs/vis/default.py: the wrapped MOT config and the segmentor; a config without onnx.segmentor names it', async () => {
    const { config } = await loadConfig(new URL('../../../../configs/vis/default.py', import.meta.url).pathname, nodeConfigFs);
    const s = personMaskDemoSettings(config);
    expect(s.mot.model).toMatchObject({ type: 'ByteTrack' });
    expect(Object.keys(s.mot.model as object)).not.toContain('segmentor');
    expect([s.cropScale, s.threshold, s.size, s.segmentor.file]).toEqual([1.2, 0.5, 256, 'selfie_segmentation.onnx']);
    const { segmentor: _, ...onnx } = config.onnx as Record<string, never>;
    expect(() => personMaskDemoSettings({ ...config, onnx })).toThrow(/onnx\.segmentor: missing/);
    expect(() => personMaskDemoSettings({ ...config, model: { ...(config.model as object), segmentor: { type: 'Nope' } } })).toThrow(/model\.segmentor/);
  });
});
