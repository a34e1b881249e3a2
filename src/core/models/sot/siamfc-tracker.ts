/**
 * The default single object tracker: SiamFC's tracking loop (Bertinetto et al. 2016, https://arxiv.org/abs/1606.09549;
 * steps as in siamfc-pytorch's `TrackerSiamFC.init/update`,
 * https://github.com/huanglianghua/siamfc-pytorch/blob/master/siamfc/siamfc.py) on features of a network that was
 * never trained for tracking: the default detector's MobileNetV3 backbone cut at stride 8. Weights come from npm
 * packages only, so it works out of the box; a trained tracker (NanoTrack, SiamRPN++) is far more robust.
 *
 * 1. init: context size `s_z = sqrt((w + c(w+h)) (h + c(w+h)))`, search size `s_x = s_z * search / exemplar`;
 *    the backbone sees the `s_x` region resized to `search_size` (the exemplar region is its centre
 *    `exemplar_size` pixels) and the template is the centre `round(exemplar / stride)` cells of the features —
 *    template and search go through the same fixed-size graph, so their cells line up exactly;
 * 2. track, for each scale `f = scale_step^k`: crop `s_x * f`, features, depthwise cross-correlation with the
 *    template summed over channels and divided by the feature norms (cosine similarity: the features are not
 *    trained for correlation, raw dot products favour high-energy regions);
 * 3. upsample each response `response_up` times (bilinear, half-pixel), multiply the off-centre scales by
 *    `scale_penalty`, keep the scale with the highest peak;
 * 4. shift it to >= 0, normalise to sum 1, mix with a normalised Hanning window (`window_influence`), argmax;
 * 5. displacement from the map centre → crop pixels (`stride / response_up`) → frame pixels (`s_x f / search`);
 *    sizes scale by `(1 - scale_lr) + scale_lr * f`.
 */
import { depthwiseCorrelation } from '../../ops/depthwise-xcorr.ts';
import type { FeatureMap } from '../../ops/roi-align.ts';
import { channelMean, getCroppedImg, torchLinearTap } from '../../ops/sot-crop.ts';
import { contextSize } from './siamese-tracker.ts';
import { hanningWindow2d } from './siamese-postprocess.ts';
import type { SiamFcSettings } from './sot-models.ts';
import { checkFrame, checkInitBox, type SingleObjectTracker, type SotFrame, type SotTrackResult, type XywhBox } from './sot-tracker.ts';

/** The network half: one crop `[1, 3, size, size]` (RGB 0-255) → features `[1, C, H, W]`. */
export interface FeatureBackend {
  features(crop: Float32Array, size: number): Promise<FeatureMap>;
}

/** Centre `k x k` cells of `[1, C, H, W]` features. */
export function centerCropFeatures(f: FeatureMap, k: number): FeatureMap {
  const [n, c, h, w] = f.shape;
  if (k > h || k > w || (h - k) % 2 !== 0 || (w - k) % 2 !== 0) throw new Error(`SiamFC: cannot take the centre ${k}x${k} cells of a ${h}x${w} feature map`);
  const y0 = (h - k) / 2;
  const x0 = (w - k) / 2;
  const out = new Float32Array(n * c * k * k);
  for (let p = 0; p < n * c; p++) for (let y = 0; y < k; y++) out.set(f.data.subarray(p * h * w + (y0 + y) * w + x0, p * h * w + (y0 + y) * w + x0 + k), (p * k + y) * k);
  return { data: out, shape: [n, c, k, k] };
}

/**
 * Cosine similarity of the template with every search window: depthwise correlation summed over channels,
 * divided by `|z| |x_window|`. @returns `[Ho * Wo]` row-major, values in [-1, 1].
 */
export function cosineResponse(search: FeatureMap, template: FeatureMap): { data: Float64Array; height: number; width: number } {
  const corr = depthwiseCorrelation(search, template);
  const [, c, ho, wo] = corr.shape;
  const [, , hs, ws] = search.shape;
  const [, , hz, wz] = template.shape;
  // |x_window|^2: channel-summed squares, box-summed over the template size (an integral image).
  const sq = new Float64Array((hs + 1) * (ws + 1));
  for (let y = 0; y < hs; y++) {
    for (let x = 0; x < ws; x++) {
      let s = 0;
      for (let ch = 0; ch < c; ch++) s += search.data[(ch * hs + y) * ws + x]! ** 2;
      sq[(y + 1) * (ws + 1) + x + 1] = s + sq[y * (ws + 1) + x + 1]! + sq[(y + 1) * (ws + 1) + x]! - sq[y * (ws + 1) + x]!;
    }
  }
  let zNorm = 0;
  for (const v of template.data) zNorm += v * v;
  zNorm = Math.sqrt(zNorm);
  const out = new Float64Array(ho * wo);
  for (let y = 0; y < ho; y++) {
    for (let x = 0; x < wo; x++) {
      let dot = 0;
      for (let ch = 0; ch < c; ch++) dot += corr.data[(ch * ho + y) * wo + x]!;
      const box = sq[(y + hz) * (ws + 1) + x + wz]! - sq[y * (ws + 1) + x + wz]! - sq[(y + hz) * (ws + 1) + x]! + sq[y * (ws + 1) + x]!;
      out[y * wo + x] = dot / (zNorm * Math.sqrt(Math.max(box, 0)) + 1e-12);
    }
  }
  return { data: out, height: ho, width: wo };
}

/** Bilinear resize of a `h x w` map to `h*up x w*up` (half-pixel centres, clamped at the borders). */
export function upsampleResponse(map: Float64Array, height: number, width: number, up: number): Float64Array {
  const oh = height * up;
  const ow = width * up;
  const out = new Float64Array(oh * ow);
  const xs = Array.from({ length: ow }, (_, x) => torchLinearTap(x, width, ow));
  for (let y = 0; y < oh; y++) {
    const ty = torchLinearTap(y, height, oh);
    for (let x = 0; x < ow; x++) {
      const tx = xs[x]!;
      const top = map[ty.i0 * width + tx.i0]! * (1 - tx.lambda) + map[ty.i0 * width + tx.i1]! * tx.lambda;
      const bottom = map[ty.i1 * width + tx.i0]! * (1 - tx.lambda) + map[ty.i1 * width + tx.i1]! * tx.lambda;
      out[y * ow + x] = top * (1 - ty.lambda) + bottom * ty.lambda;
    }
  }
  return out;
}

export class SiamFcTracker implements SingleObjectTracker {
  private center: [number, number] = [0, 0];
  private size: [number, number] = [0, 0];
  private xSize = 0;
  private template: FeatureMap | undefined;
  private avgChannel: [number, number, number] = [0, 0, 0];
  private readonly scales: number[];
  private window: { size: number; values: Float64Array } | undefined;

  constructor(
    readonly test: SiamFcSettings['test'],
    private readonly backend: FeatureBackend,
  ) {
    const half = Math.floor(test.numScales / 2);
    this.scales = Array.from({ length: test.numScales }, (_, i) => test.scaleStep ** (i - half));
  }

  /** Template cells: the exemplar region inside the search-size crop. */
  get templateCells(): number {
    return Math.round(this.test.exemplarSize / this.test.totalStride);
  }

  private crop(frame: SotFrame, cropSize: number): Float32Array {
    return getCroppedImg(frame.data, frame.width, frame.height, { cx: this.center[0], cy: this.center[1], cropSize: Math.max(1, Math.round(cropSize)), targetSize: this.test.searchSize, avgChannel: this.avgChannel, channelOrder: 'rgb' });
  }

  async init(frame: SotFrame, box: XywhBox): Promise<void> {
    checkFrame(frame);
    const [x, y, w, h] = checkInitBox(box, frame.width, frame.height);
    const t = this.test;
    this.center = [x + w / 2, y + h / 2];
    this.size = [w, h];
    this.xSize = (contextSize(w, h, t.contextAmount) * t.searchSize) / t.exemplarSize;
    this.avgChannel = channelMean(frame.data, frame.width, frame.height);
    const f = await this.backend.features(this.crop(frame, this.xSize), t.searchSize);
    let k = this.templateCells;
    if ((f.shape[2] - k) % 2 !== 0) k -= 1;
    this.template = centerCropFeatures(f, k);
  }

  async track(frame: SotFrame): Promise<SotTrackResult> {
    checkFrame(frame);
    if (!this.template) throw new Error('SOT tracker: track() before init()');
    const t = this.test;
    // 2-3. responses per scale, upsampled, penalised; the best scale wins.
    let best: { index: number; peak: number; map: Float64Array; size: number } | undefined;
    for (let i = 0; i < this.scales.length; i++) {
      const f = await this.backend.features(this.crop(frame, this.xSize * this.scales[i]!), t.searchSize);
      const r = cosineResponse(f, this.template);
      const map = upsampleResponse(r.data, r.height, r.width, t.responseUp);
      const penalty = i === Math.floor(this.scales.length / 2) ? 1 : t.scalePenalty;
      let peak = -Infinity;
      for (let j = 0; j < map.length; j++) {
        map[j] = map[j]! * penalty;
        if (map[j]! > peak) peak = map[j]!;
      }
      if (!best || peak > best.peak) best = { index: i, peak, map, size: r.height * t.responseUp };
    }
    const { map, size, index } = best!;
    // 4. normalise, window, argmax.
    if (this.window?.size !== size) {
      const hw = hanningWindow2d(size, size);
      const sum = hw.reduce((a, b) => a + b, 0);
      this.window = { size, values: hw.map((v) => v / sum) };
    }
    let min = Infinity;
    for (const v of map) min = Math.min(min, v);
    let total = 0;
    for (let j = 0; j < map.length; j++) total += (map[j] = map[j]! - min);
    let arg = 0;
    let argVal = -Infinity;
    for (let j = 0; j < map.length; j++) {
      const v = (1 - t.windowInfluence) * (map[j]! / (total + 1e-16)) + t.windowInfluence * this.window.values[j]!;
      if (v > argVal) {
        argVal = v;
        arg = j;
      }
    }
    // 5. displacement and scale update.
    const scale = this.scales[index]!;
    const toFrame = ((t.totalStride / t.responseUp) * this.xSize * scale) / t.searchSize;
    this.center = [
      Math.min(Math.max(this.center[0] + ((arg % size) - (size - 1) / 2) * toFrame, 0), frame.width),
      Math.min(Math.max(this.center[1] + (Math.floor(arg / size) - (size - 1) / 2) * toFrame, 0), frame.height),
    ];
    const s = 1 - t.scaleLr + t.scaleLr * scale;
    this.size = [Math.min(Math.max(this.size[0] * s, 10), frame.width), Math.min(Math.max(this.size[1] * s, 10), frame.height)];
    this.xSize *= s;
    return { box: [this.center[0] - this.size[0] / 2, this.center[1] - this.size[1] / 2, this.size[0], this.size[1]], score: best!.peak };
  }
}
