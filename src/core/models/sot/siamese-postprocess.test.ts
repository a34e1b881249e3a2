// Parity of the Siamese post-processing with references written here, step by step, from MMTracking 0.x's
// SiameseRPNHead.get_bbox / SiamRPN._bbox_clip (SiamRPN++) and NanoTrack's NanoTracker.track (anchor-free), in
// the tensor style of the originals (view → permute → reshape, softmax over a dim, outer/repeat windows).
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../ops/seeded-random.ts';
import { decodeSiameseBan, siameseBanPoints } from './siamese-ban-head.ts';
import { clipSiameseBox, hanning, hanningWindow2d, selectSiameseBox, type CenterBox } from './siamese-postprocess.ts';
import { decodeSiameseRpn, siameseRpnAnchors } from './siamese-rpn-head.ts';
import { roundHalfEven, siameseBanDecoder, siameseRpnDecoder } from './siamese-tracker.ts';

// ---- a tiny ndarray: just view/permute/flatten as torch does them ----
interface Nd {
  shape: number[];
  get(idx: number[]): number;
}
const fromFlat = (data: ArrayLike<number>, shape: number[]): Nd => {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  return { shape, get: (idx) => data[idx.reduce((o, v, i) => o + v * strides[i]!, 0)]! };
};
const permute = (t: Nd, order: number[]): Nd => ({
  shape: order.map((o) => t.shape[o]!),
  get: (idx) => {
    const src = new Array<number>(idx.length);
    order.forEach((o, i) => (src[o] = idx[i]!));
    return t.get(src);
  },
});
const flatten = (t: Nd): number[] => {
  const out: number[] = [];
  const rec = (prefix: number[]) => {
    if (prefix.length === t.shape.length) return void out.push(t.get(prefix));
    for (let i = 0; i < t.shape[prefix.length]!; i++) rec([...prefix, i]);
  };
  rec([]);
  return out;
};
const rows = (flat: number[], k: number): number[][] => Array.from({ length: flat.length / k }, (_, i) => flat.slice(i * k, i * k + k));

// ---- reference: MMTracking 0.x SiamRPN++ inference after the head ----
const MMTRACK = { stride: 8, ratios: [0.33, 0.5, 1, 2, 3], scales: [8] };

function referenceAnchors(H: number, W: number): number[][] {
  // gen_single_level_base_anchors (scale_major, center 0): ws = int(8 * w_ratio) * scale.
  const base = MMTRACK.ratios.flatMap((r) => MMTRACK.scales.map((s) => [Math.floor(8 / Math.sqrt(r)) * s, Math.floor(8 * Math.sqrt(r)) * s]));
  const out: number[][] = [];
  // grid_priors: meshgrid of shifts (y outer), base anchors inner; then centre the map on the crop.
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (const [w, h] of base) {
    const sx = x * 8 - Math.floor(W / 2) * 8;
    const sy = y * 8 - Math.floor(H / 2) * 8;
    out.push([sx - w! / 2, sy - h! / 2, sx + w! / 2, sy + h! / 2]);
  }
  return out;
}

function referenceSiamRpn(cls: Float32Array, reg: Float32Array, H: number, W: number, prev: CenterBox, scaleFactor: number, cfg: { k: number; wi: number; lr: number }, frame: [number, number]) {
  const A = 5;
  // cls.view(2, -1, H, W).permute(2, 3, 1, 0).view(-1, 2).softmax(1)[:, 1]
  const clsRows = rows(flatten(permute(fromFlat(cls, [2, A, H, W]), [2, 3, 1, 0])), 2);
  const score = clsRows.map(([bg, fg]) => Math.exp(fg!) / (Math.exp(bg!) + Math.exp(fg!)));
  // bbox_pred.view(4, -1, H, W).permute(2, 3, 1, 0).view(-1, 4) → delta2bbox → xyxy → cxcywh
  const regRows = rows(flatten(permute(fromFlat(reg, [4, A, H, W]), [2, 3, 1, 0])), 4);
  const anchors = referenceAnchors(H, W);
  const clip = Math.abs(Math.log(16 / 1000));
  const pred = regRows.map(([dx, dy, dw, dh], i) => {
    const [ax1, ay1, ax2, ay2] = anchors[i]!;
    const pw = ax2! - ax1!;
    const ph = ay2! - ay1!;
    const gx = (ax1! + ax2!) / 2 + pw * dx!;
    const gy = (ay1! + ay2!) / 2 + ph * dy!;
    const gw = pw * Math.exp(Math.min(Math.max(dw!, -clip), clip));
    const gh = ph * Math.exp(Math.min(Math.max(dh!, -clip), clip));
    return [gx, gy, gw, gh];
  });
  // np.outer(hanning(H), hanning(W)).flatten().repeat(A)
  const np_hanning = (m: number) => Array.from({ length: m }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (m - 1)));
  const outer = np_hanning(H).flatMap((a) => np_hanning(W).map((b) => a * b));
  const windows = outer.flatMap((v) => Array<number>(A).fill(v));
  const change = (r: number) => Math.max(r, 1 / r);
  const enlarge = (w: number, h: number) => Math.sqrt((w + (w + h) / 2) * (h + (w + h) / 2));
  const penalty = pred.map(([, , w, h]) => Math.exp(-(change(prev.w / prev.h / (w! / h!)) * change(enlarge(w!, h!) / enlarge(prev.w * scaleFactor, prev.h * scaleFactor)) - 1) * cfg.k));
  const pscore = penalty.map((p, i) => p * score[i]! * (1 - cfg.wi) + windows[i]! * cfg.wi);
  const best = pscore.indexOf(Math.max(...pscore));
  const b = pred[best]!.map((v) => v / scaleFactor);
  const lr = penalty[best]! * score[best]! * cfg.lr;
  const out = [b[0]! + prev.cx, b[1]! + prev.cy, prev.w * (1 - lr) + b[2]! * lr, prev.h * (1 - lr) + b[3]! * lr];
  // _bbox_clip
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const clipped = [clamp(out[0]!, 0, frame[0]), clamp(out[1]!, 0, frame[1]), clamp(out[2]!, 10, frame[0]), clamp(out[3]!, 10, frame[1])];
  return { best, score: score[best]!, box: clipped };
}

// ---- reference: NanoTracker.track after the head ----
function referenceNano(cls: Float32Array, loc: Float32Array, size: number, prev: CenterBox, scaleZ: number, cfg: { k: number; wi: number; lr: number }, frame: [number, number]) {
  const ori = -Math.floor(size / 2) * 16;
  const points: number[][] = [];
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) points.push([ori + 16 * x, ori + 16 * y]);
  // score.permute(1, 2, 3, 0).view(2, -1).permute(1, 0).softmax(1)[:, 1]
  const s2 = flatten(permute(fromFlat(cls, [1, 2, size, size]), [1, 2, 3, 0]));
  const n = size * size;
  const score = points.map((_, i) => 1 / (1 + Math.exp(s2[i]! - s2[n + i]!)));
  // delta.permute(1, 2, 3, 0).view(4, -1); corners from the points; corner2center
  const d = flatten(permute(fromFlat(loc, [1, 4, size, size]), [1, 2, 3, 0]));
  const pred = points.map(([px, py], i) => {
    const x1 = px! - d[i]!;
    const y1 = py! - d[n + i]!;
    const x2 = px! + d[2 * n + i]!;
    const y2 = py! + d[3 * n + i]!;
    return [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1];
  });
  const hw = Array.from({ length: size }, (_, k) => 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (size - 1)));
  const window = hw.flatMap((a) => hw.map((b) => a * b));
  const change = (r: number) => Math.max(r, 1 / r);
  const sz = (w: number, h: number) => Math.sqrt((w + (w + h) * 0.5) * (h + (w + h) * 0.5));
  const sc = pred.map(([, , w, h]) => change(sz(w!, h!) / sz(prev.w * scaleZ, prev.h * scaleZ)));
  const rc = pred.map(([, , w, h]) => change(prev.w / prev.h / (w! / h!)));
  const penalty = sc.map((s, i) => Math.exp(-(rc[i]! * s - 1) * cfg.k));
  const pscore = penalty.map((p, i) => p * score[i]! * (1 - cfg.wi) + window[i]! * cfg.wi);
  const best = pscore.indexOf(Math.max(...pscore));
  const bbox = pred[best]!.map((v) => v / scaleZ);
  const lr = penalty[best]! * score[best]! * cfg.lr;
  const cx = bbox[0]! + prev.cx;
  const cy = bbox[1]! + prev.cy;
  const width = prev.w * (1 - lr) + bbox[2]! * lr;
  const height = prev.h * (1 - lr) + bbox[3]! * lr;
  return { best, score: score[best]!, box: [Math.max(0, Math.min(cx, frame[0])), Math.max(0, Math.min(cy, frame[1])), Math.max(10, Math.min(width, frame[0])), Math.max(10, Math.min(height, frame[1]))] };
}

/** Head outputs with a few confident cells over noise (as a trained head gives), seeded. */
function fakeRpnOutputs(seed: number, H: number, W: number, A: number) {
  const rnd = seededRandom(seed);
  const cls = Float32Array.from({ length: 2 * A * H * W }, () => (rnd() - 0.5) * 4);
  const reg = Float32Array.from({ length: 4 * A * H * W }, () => (rnd() - 0.5) * 0.6);
  for (let p = 0; p < 3; p++) {
    const cell = Math.floor(rnd() * H * W);
    const a = Math.floor(rnd() * A);
    cls[(A + a) * H * W + cell] = 6 + rnd() * 3;
  }
  return { cls, reg };
}

const expectClose = (actual: readonly number[], expected: readonly number[]) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!), `component ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected[i]!))));
};

describe('SiamRPN++ post-processing (MMTracking 0.x)', () => {
  it('anchors: 104x32, 88x40, 64x64, 40x88, 32x104 at stride 8, (H, W, A) order, centred on the crop', () => {
    const a = siameseRpnAnchors(25, 25, MMTRACK);
    const sizes = Array.from({ length: 5 }, (_, k) => [a[k * 4 + 2]! - a[k * 4]!, a[k * 4 + 3]! - a[k * 4 + 1]!]);
    expect(sizes).toEqual([[104, 32], [88, 40], [64, 64], [40, 88], [32, 104]]);
    const centre = ((12 * 25 + 12) * 5 + 2) * 4; // cell (12, 12), anchor 2
    expect([a[centre], a[centre + 1], a[centre + 2], a[centre + 3]]).toEqual([-32, -32, 32, 32]);
    expect(Array.from(a)).toEqual(referenceAnchors(25, 25).flat());
  });

  it('hanning windows: numpy values, each cell repeated per anchor', () => {
    expectClose(Array.from(hanning(5)), [0, 0.5, 1, 0.5, 0]);
    expect(Array.from(hanning(1))).toEqual([1]);
    const w = hanningWindow2d(3, 3, 2);
    expect(Array.from(w)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('matches the reference on seeded head outputs (index, score, clipped box) for many previous boxes', () => {
    const cfg = { k: 0.05, wi: 0.42, lr: 0.38 };
    const decoder = siameseRpnDecoder(MMTRACK, { targetMeans: [0, 0, 0, 0], targetStds: [1, 1, 1, 1] });
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = seededRandom(1000 + seed);
      const { cls, reg } = fakeRpnOutputs(seed, 25, 25, 5);
      const prev = { cx: 20 + rnd() * 600, cy: 20 + rnd() * 320, w: 8 + rnd() * 200, h: 8 + rnd() * 200 };
      const ctx = 0.5 * (prev.w + prev.h);
      const scaleFactor = 127 / Math.sqrt((prev.w + ctx) * (prev.h + ctx));
      const frame: [number, number] = [640, 360];
      const ref = referenceSiamRpn(cls, reg, 25, 25, prev, scaleFactor, cfg, frame);
      const { candidates, window } = decoder.decode({ cls, reg, height: 25, width: 25 });
      const sel = selectSiameseBox(candidates, window, prev, scaleFactor, { penaltyK: cfg.k, windowInfluence: cfg.wi, lr: cfg.lr });
      const box = clipSiameseBox(sel.box, ...frame);
      expect(sel.index, `seed ${seed}`).toBe(ref.best);
      expectClose([sel.score], [ref.score]);
      expectClose([box.cx, box.cy, box.w, box.h], ref.box);
    }
  });

  it('decodes with non-trivial target means/stds and clamps log-size deltas', () => {
    const anchors = siameseRpnAnchors(1, 1, MMTRACK);
    const cls = new Float32Array(10);
    const reg = new Float32Array(20);
    reg[0] = 1; // dx of anchor 0 (104 wide)
    reg[2 * 5 + 0] = 10; // dw of anchor 0: clamped to |log(16/1000)|
    const c = decodeSiameseRpn(cls, reg, 1, 1, anchors, { targetMeans: [0.5, 0, 0, 0], targetStds: [2, 1, 1, 1] });
    expect(c.boxes[0]).toBeCloseTo(104 * (1 * 2 + 0.5), 9);
    expect(c.boxes[2]).toBeCloseTo(104 * (1000 / 16), 6);
    expect(c.scores[0]).toBeCloseTo(0.5, 12);
  });

  it('picks the first of equal maxima, as torch.argmax', () => {
    const scores = Float64Array.from([0.2, 0.9, 0.9, 0.1]);
    const boxes = Float64Array.from([0, 0, 10, 10, 1, 1, 10, 10, 2, 2, 10, 10, 3, 3, 10, 10]);
    const sel = selectSiameseBox({ scores, boxes }, [0, 0, 0, 0], { cx: 0, cy: 0, w: 10, h: 10 }, 1, { penaltyK: 0, windowInfluence: 0, lr: 1 });
    expect(sel.index).toBe(1);
    expect(sel.box).toEqual({ cx: 1, cy: 1, w: 10 * (1 - 0.9) + 10 * 0.9, h: 10 * (1 - 0.9) + 10 * 0.9 });
  });

  it('rejects outputs of the wrong size', () => {
    const anchors = siameseRpnAnchors(25, 25, MMTRACK);
    expect(() => decodeSiameseRpn(new Float32Array(10), new Float32Array(20), 25, 25, anchors, { targetMeans: [0, 0, 0, 0], targetStds: [1, 1, 1, 1] })).toThrow(/cls has 10 values/);
  });
});

describe('anchor-free post-processing (NanoTrack v2)', () => {
  it('points span -128 … 112 at stride 16 for a 16x16 map', () => {
    const p = siameseBanPoints(16, 16);
    expect([p[0], p[1], p[30], p[511]]).toEqual([-128, -128, 112, 112]);
  });

  it('matches the reference on seeded head outputs', () => {
    const cfg = { k: 0.15, wi: 0.49, lr: 0.385 };
    const decoder = siameseBanDecoder(16, 16);
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = seededRandom(7000 + seed);
      const cls = Float32Array.from({ length: 2 * 256 }, () => (rnd() - 0.5) * 6);
      const loc = Float32Array.from({ length: 4 * 256 }, () => Math.exp((rnd() - 0.5) * 2) * 30);
      const prev = { cx: rnd() * 640, cy: rnd() * 360, w: 5 + rnd() * 300, h: 5 + rnd() * 300 };
      const ctx = 0.5 * (prev.w + prev.h);
      const scaleZ = 127 / Math.sqrt((prev.w + ctx) * (prev.h + ctx));
      const ref = referenceNano(cls, loc, 16, prev, scaleZ, cfg, [640, 360]);
      const { candidates, window } = decoder.decode({ cls, reg: loc, height: 16, width: 16 });
      const sel = selectSiameseBox(candidates, window, prev, scaleZ, { penaltyK: cfg.k, windowInfluence: cfg.wi, lr: cfg.lr });
      const box = clipSiameseBox(sel.box, 640, 360);
      expect(sel.index, `seed ${seed}`).toBe(ref.best);
      expectClose([sel.score], [ref.score]);
      expectClose([box.cx, box.cy, box.w, box.h], ref.box);
    }
    expect(() => decoder.decode({ cls: new Float32Array(2 * 64), reg: new Float32Array(4 * 64), height: 8, width: 8 })).toThrow(/score_size is 16/);
    expect(() => decodeSiameseBan(new Float32Array(3), new Float32Array(4), siameseBanPoints(1, 16))).toThrow(/expected 2 and 4/);
  });
});

describe('roundHalfEven', () => {
  it('rounds halves to even like Python 3 / torch.round', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, 7].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3, 7]);
  });
});
