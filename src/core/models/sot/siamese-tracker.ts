/**
 * Siamese trackers with a score map and a box per cell: SiamRPN++ as MMTracking 0.x runs it
 * (`SiamRPN.init/track/simple_test`, https://github.com/open-mmlab/mmtracking/blob/v0.14.0/mmtrack/models/sot/siamrpn.py)
 * and NanoTrack as its reference tracker runs it (`NanoTracker.init/track`,
 * https://github.com/HonglinChu/SiamTrackers/blob/master/NanoTrack/nanotrack/tracker/nano_tracker.py).
 * The networks are behind {@link SiameseHeadBackend} (ONNX Runtime in `src/runtime/sot/`, anything in tests).
 *
 * Per frame (steps as in the references):
 * 1. init: context crop side `s_z = round(sqrt((w + c(w+h)) (h + c(w+h))))`, mean colour of the frame, template crop
 *    resized to `exemplar_size`, template features once;
 * 2. track: `s_z` from the current size (not rounded), `s_x = round(s_z * search_size / exemplar_size)`, search crop
 *    around the previous centre, head outputs;
 * 3. decode the head (anchors + deltas, or points + ltrb), penalise, window, pick, smooth, clip
 *    (`siamese-postprocess.ts`).
 *
 * The two references differ in details kept here: MMTracking's centre is `x + w/2` and its crop window is
 * `int(c - s/2) … int(c + s/2)` (`src/core/ops/sot-crop.ts`); pysot/NanoTrack's centre is `x + (w-1)/2` and its
 * window starts at `floor(c - (s+1)/2 + 0.5)` (`pysot-subwindow.ts`). Both feed BGR 0-255, unnormalised.
 */
import { channelMean, getCroppedImg } from '../../ops/sot-crop.ts';
import { pysotSubwindow } from './pysot-subwindow.ts';
import { decodeSiameseBan, siameseBanPoints } from './siamese-ban-head.ts';
import { type CenterBox, clipSiameseBox, hanningWindow2d, selectSiameseBox, type SiameseCandidates, type SiamesePenaltyParams } from './siamese-postprocess.ts';
import { decodeSiameseRpn, type DeltaXywhCoderConfig, siameseRpnAnchors, type SiameseRpnAnchorConfig } from './siamese-rpn-head.ts';
import { checkFrame, checkInitBox, type SingleObjectTracker, type SotFrame, type SotTrackResult, type XywhBox } from './sot-tracker.ts';

/** Raw head outputs of one search crop: `cls [1, 2K, H, W]`, `reg [1, 4K, H, W]` (K anchors per cell, 1 when anchor-free). */
export interface SiameseHeadOutputs {
  cls: Float32Array;
  reg: Float32Array;
  height: number;
  width: number;
}

/** The network half: template branch once per init, search branch + head once per frame. */
export interface SiameseHeadBackend {
  /** `crop`: float32 NCHW `[1, 3, size, size]`, BGR 0-255. */
  setTemplate(crop: Float32Array, size: number): Promise<void>;
  search(crop: Float32Array, size: number): Promise<SiameseHeadOutputs>;
}

/** Turns head outputs into candidates and gives the matching cosine window. */
export interface SiameseHeadDecoder {
  decode(out: SiameseHeadOutputs): { candidates: SiameseCandidates; window: Float64Array };
}

/** SiamRPN++: anchors (H, W, A), DeltaXYWH deltas; window repeated per anchor. Caches per map size. */
export function siameseRpnDecoder(anchors: SiameseRpnAnchorConfig, coder: DeltaXywhCoderConfig): SiameseHeadDecoder {
  let cache: { key: string; anchors: Float64Array; window: Float64Array } | undefined;
  const a = anchors.ratios.length * anchors.scales.length;
  return {
    decode(out) {
      const key = `${out.height}x${out.width}`;
      if (cache?.key !== key) cache = { key, anchors: siameseRpnAnchors(out.height, out.width, anchors), window: hanningWindow2d(out.height, out.width, a) };
      return { candidates: decodeSiameseRpn(out.cls, out.reg, out.height, out.width, cache.anchors, coder), window: cache.window };
    },
  };
}

/** NanoTrack / SiamBAN: one point per cell at `stride`, ltrb distances. */
export function siameseBanDecoder(stride: number, scoreSize?: number): SiameseHeadDecoder {
  let cache: { size: number; points: Float64Array; window: Float64Array } | undefined;
  return {
    decode(out) {
      if (out.height !== out.width) throw new Error(`anchor-free Siamese head: square score map expected, got ${out.height}x${out.width}`);
      if (scoreSize !== undefined && out.height !== scoreSize) throw new Error(`anchor-free Siamese head: the score map is ${out.height}x${out.width}, test_cfg.score_size is ${scoreSize}`);
      if (cache?.size !== out.height) cache = { size: out.height, points: siameseBanPoints(out.height, stride), window: hanningWindow2d(out.height, out.width) };
      return { candidates: decodeSiameseBan(out.cls, out.reg, cache.points), window: cache.window };
    },
  };
}

export interface SiameseTrackerOptions {
  exemplarSize: number;
  searchSize: number;
  contextAmount: number;
  rpn: SiamesePenaltyParams;
  /** Crop geometry and box centre convention of the reference: MMTracking's SiamRPN or pysot's (NanoTrack). */
  reference: 'mmtracking' | 'pysot';
}

/** Python 3 / torch / numpy `round`: half to even. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Context crop side `sqrt((w + c(w+h)) (h + c(w+h)))` (frame pixels), before any rounding. */
export function contextSize(w: number, h: number, contextAmount: number): number {
  const ctx = contextAmount * (w + h);
  return Math.sqrt((w + ctx) * (h + ctx));
}

export class SiameseTracker implements SingleObjectTracker {
  private state: CenterBox | undefined;
  private avgChannel: [number, number, number] = [0, 0, 0];
  /** Extra per-frame outputs for callers that want them (the last search's index and crop geometry). */
  last: { index: number; searchSize: number; scaleFactor: number } | undefined;

  constructor(
    readonly options: SiameseTrackerOptions,
    private readonly backend: SiameseHeadBackend,
    private readonly decoder: SiameseHeadDecoder,
  ) {}

  private crop(frame: SotFrame, cx: number, cy: number, targetSize: number, cropSize: number): Float32Array {
    if (this.options.reference === 'mmtracking') {
      return getCroppedImg(frame.data, frame.width, frame.height, { cx, cy, cropSize, targetSize, avgChannel: this.avgChannel, channelOrder: 'bgr' });
    }
    return pysotSubwindow(frame.data, frame.width, frame.height, { cx, cy, modelSize: targetSize, originalSize: cropSize, avgChannel: this.avgChannel, channelOrder: 'bgr' });
  }

  async init(frame: SotFrame, box: XywhBox): Promise<void> {
    checkFrame(frame);
    const [x, y, w, h] = checkInitBox(box, frame.width, frame.height);
    const o = this.options;
    this.state = o.reference === 'mmtracking' ? { cx: x + w / 2, cy: y + h / 2, w, h } : { cx: x + (w - 1) / 2, cy: y + (h - 1) / 2, w, h };
    const zSize = roundHalfEven(contextSize(w, h, o.contextAmount));
    this.avgChannel = channelMean(frame.data, frame.width, frame.height);
    await this.backend.setTemplate(this.crop(frame, this.state.cx, this.state.cy, o.exemplarSize, zSize), o.exemplarSize);
    this.last = undefined;
  }

  async track(frame: SotFrame): Promise<SotTrackResult> {
    checkFrame(frame);
    const prev = this.state;
    if (!prev) throw new Error('SOT tracker: track() before init()');
    const o = this.options;
    const zSize = contextSize(prev.w, prev.h, o.contextAmount);
    const xSize = roundHalfEven((zSize * o.searchSize) / o.exemplarSize);
    const scaleFactor = o.exemplarSize / zSize;
    const out = await this.backend.search(this.crop(frame, prev.cx, prev.cy, o.searchSize, xSize), o.searchSize);
    const { candidates, window } = this.decoder.decode(out);
    const selection = selectSiameseBox(candidates, window, prev, scaleFactor, o.rpn);
    const box = clipSiameseBox(selection.box, frame.width, frame.height);
    this.state = box;
    this.last = { index: selection.index, searchSize: xSize, scaleFactor };
    return { box: [box.cx - box.w / 2, box.cy - box.h / 2, box.w, box.h], score: selection.score };
  }
}
