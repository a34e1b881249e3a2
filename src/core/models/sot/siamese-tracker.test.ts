// The tracker's crop geometry and state updates, with a scripted network that records the crops it is given and
// answers with seeded head outputs; expectations follow MMTracking's SiamRPN.init/track (centre x + w/2,
// get_cropped_img) and NanoTracker.init/track (centre x + (w-1)/2, get_subwindow).
import { describe, expect, it } from 'vitest';
import { getCroppedImg } from '../../ops/sot-crop.ts';
import { seededRandom } from '../../ops/seeded-random.ts';
import { pysotSubwindow, pysotWindowStart } from './pysot-subwindow.ts';
import { clipSiameseBox, selectSiameseBox } from './siamese-postprocess.ts';
import { type SiameseHeadBackend, type SiameseHeadOutputs, SiameseTracker, siameseBanDecoder, siameseRpnDecoder } from './siamese-tracker.ts';
import type { SotFrame } from './sot-tracker.ts';

function frame(seed: number, width = 160, height = 120): SotFrame {
  const rnd = seededRandom(seed);
  return { data: Uint8Array.from({ length: width * height * 4 }, () => Math.floor(rnd() * 256)), width, height };
}

class ScriptedBackend implements SiameseHeadBackend {
  crops: Array<{ crop: Float32Array; size: number }> = [];
  constructor(private readonly outputs: () => SiameseHeadOutputs) {}
  setTemplate(crop: Float32Array, size: number): Promise<void> {
    this.crops.push({ crop, size });
    return Promise.resolve();
  }
  search(crop: Float32Array, size: number): Promise<SiameseHeadOutputs> {
    this.crops.push({ crop, size });
    return Promise.resolve(this.outputs());
  }
}

const rpnParams = { penaltyK: 0.05, windowInfluence: 0.42, lr: 0.38 };
const anchors = { stride: 8, ratios: [0.33, 0.5, 1, 2, 3], scales: [8] };
const coder = { targetMeans: [0, 0, 0, 0], targetStds: [1, 1, 1, 1] } as const;

describe('SiameseTracker (MMTracking SiamRPN geometry)', () => {
  it('crops the template and search regions as SiamRPN.init/track, and moves the box as get_bbox says', async () => {
    const rnd = seededRandom(5);
    const outputs = () => ({ cls: Float32Array.from({ length: 10 * 625 }, () => (rnd() - 0.5) * 8), reg: Float32Array.from({ length: 20 * 625 }, () => (rnd() - 0.5) * 0.5), height: 25, width: 25 });
    let last: SiameseHeadOutputs | undefined;
    const backend = new ScriptedBackend(() => (last = outputs()));
    const tracker = new SiameseTracker({ exemplarSize: 127, searchSize: 255, contextAmount: 0.5, rpn: rpnParams, reference: 'mmtracking' }, backend, siameseRpnDecoder(anchors, coder));
    const f0 = frame(1);
    const box: [number, number, number, number] = [50.5, 30.25, 40, 22];
    await tracker.init(f0, box);
    // s_z = round(sqrt((40 + 31)(22 + 31))) = round(61.34...) = 61
    const avg = ((): [number, number, number] => {
      const s: [number, number, number] = [0, 0, 0];
      for (let i = 0; i < f0.data.length; i += 4) for (let c = 0; c < 3; c++) s[c as 0 | 1 | 2] += f0.data[i + c]!;
      return s.map((v) => v / (f0.width * f0.height)) as [number, number, number];
    })();
    expect(backend.crops[0]!.size).toBe(127);
    expect(backend.crops[0]!.crop).toEqual(getCroppedImg(f0.data, 160, 120, { cx: 70.5, cy: 41.25, cropSize: 61, targetSize: 127, avgChannel: avg, channelOrder: 'bgr' }));

    const f1 = frame(2);
    const r = await tracker.track(f1);
    const zSize = Math.sqrt(71 * 53);
    expect(backend.crops[1]!.crop).toEqual(getCroppedImg(f1.data, 160, 120, { cx: 70.5, cy: 41.25, cropSize: Math.round((zSize * 255) / 127), targetSize: 255, avgChannel: avg, channelOrder: 'bgr' }));
    const { candidates, window } = siameseRpnDecoder(anchors, coder).decode(last!);
    const sel = selectSiameseBox(candidates, window, { cx: 70.5, cy: 41.25, w: 40, h: 22 }, 127 / zSize, rpnParams);
    const b = clipSiameseBox(sel.box, 160, 120);
    expect(r.score).toBe(sel.score);
    expect(r.box).toEqual([b.cx - b.w / 2, b.cy - b.h / 2, b.w, b.h]);

    // The next search is centred on the new state, sized from the smoothed box.
    await tracker.track(frame(3));
    const z2 = Math.sqrt((b.w + 0.5 * (b.w + b.h)) * (b.h + 0.5 * (b.w + b.h)));
    expect(backend.crops[2]!.crop).toEqual(getCroppedImg(frame(3).data, 160, 120, { cx: b.cx, cy: b.cy, cropSize: Math.round((z2 * 255) / 127), targetSize: 255, avgChannel: avg, channelOrder: 'bgr' }));
  });

  it('rejects a track() before init(), a bad box and a frame of the wrong size', async () => {
    const backend = new ScriptedBackend(() => ({ cls: new Float32Array(0), reg: new Float32Array(0), height: 0, width: 0 }));
    const tracker = new SiameseTracker({ exemplarSize: 127, searchSize: 255, contextAmount: 0.5, rpn: rpnParams, reference: 'mmtracking' }, backend, siameseRpnDecoder(anchors, coder));
    await expect(tracker.track(frame(1))).rejects.toThrow(/before init/);
    await expect(tracker.init(frame(1), [10, 10, 0, 5])).rejects.toThrow(/width and height must be > 0/);
    await expect(tracker.init(frame(1), [500, 10, 5, 5])).rejects.toThrow(/outside the 160x120 frame/);
    await expect(tracker.init({ data: new Uint8Array(10), width: 160, height: 120 }, [10, 10, 5, 5])).rejects.toThrow(/10 bytes for a 160x120/);
  });
});

describe('SiameseTracker (NanoTrack / pysot geometry)', () => {
  it('uses the x + (w-1)/2 centre and pysot windows; reports x = cx - w/2', async () => {
    const rnd = seededRandom(9);
    let last: SiameseHeadOutputs | undefined;
    const backend = new ScriptedBackend(() => (last = { cls: Float32Array.from({ length: 512 }, () => (rnd() - 0.5) * 8), reg: Float32Array.from({ length: 1024 }, () => 10 + rnd() * 40), height: 16, width: 16 }));
    const tracker = new SiameseTracker({ exemplarSize: 127, searchSize: 255, contextAmount: 0.5, rpn: { penaltyK: 0.15, windowInfluence: 0.49, lr: 0.385 }, reference: 'pysot' }, backend, siameseBanDecoder(16, 16));
    const f0 = frame(4);
    await tracker.init(f0, [20, 30, 31, 17]);
    expect(backend.crops[0]!.crop).toEqual(pysotSubwindow(f0.data, 160, 120, { cx: 35, cy: 38, modelSize: 127, originalSize: Math.round(Math.sqrt(55 * 41)), avgChannel: [0, 0, 0].map((_, c) => {
      let s = 0;
      for (let i = c; i < f0.data.length; i += 4) s += f0.data[i]!;
      return s / (160 * 120);
    }) as [number, number, number], channelOrder: 'bgr' }));
    const r = await tracker.track(frame(5));
    const zSize = Math.sqrt(55 * 41);
    const { candidates, window } = siameseBanDecoder(16).decode(last!);
    const sel = selectSiameseBox(candidates, window, { cx: 35, cy: 38, w: 31, h: 17 }, 127 / zSize, { penaltyK: 0.15, windowInfluence: 0.49, lr: 0.385 });
    const b = clipSiameseBox(sel.box, 160, 120);
    expect(r.box).toEqual([b.cx - b.w / 2, b.cy - b.h / 2, b.w, b.h]);
  });
});

describe('pysotSubwindow', () => {
  it('window start floor(c - (s+1)/2 + 0.5), truncated mean padding, exact copy when sizes agree', () => {
    expect(pysotWindowStart(35, 47)).toBe(11);
    expect(pysotWindowStart(35.5, 10)).toBe(30);
    const f = frame(6, 8, 6);
    const crop = pysotSubwindow(f.data, 8, 6, { cx: 1.5, cy: 1.5, modelSize: 5, originalSize: 5, avgChannel: [10.9, 20.2, 30.7], channelOrder: 'rgb' });
    // Window start floor(1.5 - 3 + 0.5) = -1: x, y in [-1, 3]: row 0 and column 0 are padding (10, 20, 30), pixel (0, 0) lands at (1, 1).
    expect([crop[0], crop[25], crop[50]]).toEqual([10, 20, 30]);
    expect([crop[6], crop[25 + 6], crop[50 + 6]]).toEqual([f.data[0], f.data[1], f.data[2]]);
    const bgr = pysotSubwindow(f.data, 8, 6, { cx: 1.5, cy: 1.5, modelSize: 5, originalSize: 5, avgChannel: [10.9, 20.2, 30.7], channelOrder: 'bgr' });
    expect(bgr[6]).toBe(f.data[2]);
  });

  it('resizes with half-pixel bilinear taps and rounds to uint8 like cv2.resize', () => {
    // A horizontal ramp 0, 10, 20, 30 upsampled 4 → 8: taps at -0.25 (clamped), 0.25, 0.75, ... → 0, 2.5, 7.5, ...,
    // rounded half up as cv2's fixed-point cast does.
    const w = 4;
    const data = new Uint8Array(w * w * 4);
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) data.set([x * 10, x * 10, x * 10, 255], (y * w + x) * 4);
    const crop = pysotSubwindow(data, w, w, { cx: 2, cy: 2, modelSize: 8, originalSize: 4, avgChannel: [0, 0, 0], channelOrder: 'rgb' });
    expect(Array.from(crop.subarray(0, 8))).toEqual([0, 3, 8, 13, 18, 23, 28, 30]);
  });
});
