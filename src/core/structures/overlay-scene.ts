import type { BitMasks } from './bit-masks.ts';

/**
 * What the overlay renderer draws on one frame: plain data, so scenes can cross worker boundaries
 * (the export worker draws the same scenes as the player). Coordinates are frame pixels.
 */
export interface OverlayBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Class name or any short text shown in the label. */
  label?: string;
  /** Confidence in [0, 1], shown with 2 decimals. */
  score?: number;
  /** Track id: picks a stable colour and is shown as `#id`. */
  trackId?: number;
  /** CSS colour overriding the id/label colour. */
  color?: string;
  /** Drawn thicker, others dimmed (a selected track). */
  highlighted?: boolean;
}

/** Recent centre points of a track, oldest first; drawn with fading opacity. */
export interface OverlayTrail {
  trackId: number;
  /** x, y, x, y, … in frame pixels. Flat: a run keeps a trail per track and frame (30 points each), and an array of
   * pairs took ~4x the memory. */
  points: Float32Array;
  color?: string;
}

/**
 * A binary instance mask covering the whole frame: `data` (`width*height` bytes, row-major, non-zero = inside), or
 * mask `index` of a frame's bit-packed `bits`, or COCO run lengths `rle` (column-major; a VIS run's masks, drawn
 * without unpacking them first).
 */
export interface OverlayMask {
  width: number;
  height: number;
  data?: Uint8Array;
  bits?: BitMasks;
  index?: number;
  rle?: Uint32Array;
  trackId?: number;
  color?: string;
  /** Fill opacity, default 0.45. */
  alpha?: number;
}

export interface OverlayScene {
  boxes?: OverlayBox[];
  trails?: OverlayTrail[];
  masks?: OverlayMask[];
}

/** Scenes by 0-based frame: a Map, or a view that makes each scene when it is drawn (a MOT run's, RunScenes). */
export interface SceneLookup {
  get(frame: number): OverlayScene | undefined;
}

/** The scenes of frames 0..frameCount-1 as a Map, to post to a worker (a view's methods do not cross). */
export function sceneMap(scenes: SceneLookup, frameCount: number): Map<number, OverlayScene> {
  if (scenes instanceof Map) return scenes as Map<number, OverlayScene>;
  const out = new Map<number, OverlayScene>();
  for (let f = 0; f < frameCount; f++) {
    const scene = scenes.get(f);
    if (scene) out.set(f, scene);
  }
  return out;
}

/**
 * A stable, well-separated colour per track id (golden-angle hue walk), so an id keeps its
 * colour across frames, runs and exports.
 */
export function trackColor(trackId: number): string {
  const [hue, sat, light] = trackHsl(trackId);
  return `hsl(${hue.toFixed(1)}, ${sat}%, ${light}%)`;
}

/** The hue (degrees), saturation and lightness (percent) of {@link trackColor}. */
export function trackHsl(trackId: number): [number, number, number] {
  return [(((trackId * 137.508) % 360) + 360) % 360, 85, trackId % 2 === 0 ? 55 : 62];
}

/** {@link trackColor} as 0-255 RGB, for code that writes pixels (the CLI's video writer). */
export function trackRgb(trackId: number): [number, number, number] {
  const [h, sPct, lPct] = trackHsl(trackId);
  const s = sPct / 100;
  const l = lPct / 100;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** Colour for a box: explicit colour, else by track id, else by label text. */
export function boxColor(box: OverlayBox): string {
  if (box.color) return box.color;
  if (box.trackId !== undefined) return trackColor(box.trackId);
  if (box.label) {
    let h = 0;
    for (let i = 0; i < box.label.length; i++) h = (h * 31 + box.label.charCodeAt(i)) | 0;
    return trackColor(Math.abs(h) % 1000);
  }
  return 'hsl(140, 85%, 50%)';
}

/** The text drawn above a box: `#id label 0.87`. */
export function boxCaption(box: OverlayBox): string {
  const parts: string[] = [];
  if (box.trackId !== undefined) parts.push(`#${box.trackId}`);
  if (box.label) parts.push(box.label);
  if (box.score !== undefined) parts.push(box.score.toFixed(2));
  return parts.join(' ');
}
