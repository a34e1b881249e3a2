/**
 * The frame-by-frame interface of every single object tracker, as MMTracking's `simple_test` drives SOT models:
 * frame 0 initialises from a box (its result is that box), every later frame returns the tracked box and a score.
 */

/** An RGBA frame (`width*height*4` bytes, row-major): what decoders and canvases give. */
export interface SotFrame {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** `x, y, w, h` in frame pixels (LaSOT/OTB result rows). */
export type XywhBox = [number, number, number, number];

export interface SotTrackResult {
  box: XywhBox;
  /** The tracker's confidence for this frame (for Siamese trackers the chosen cell's raw foreground score). */
  score: number;
}

export interface SingleObjectTracker {
  /** (Re-)initialises on `frame` with the target at `box`. */
  init(frame: SotFrame, box: XywhBox): Promise<void>;
  /** Tracks the target into the next frame. */
  track(frame: SotFrame): Promise<SotTrackResult>;
}

/** Checks a user box: finite, positive size. */
export function checkInitBox(box: readonly number[], frameWidth: number, frameHeight: number): XywhBox {
  const [x, y, w, h] = box;
  if (box.length !== 4 || ![x, y, w, h].every((v) => typeof v === 'number' && Number.isFinite(v))) throw new Error(`init box: expected 4 finite numbers x, y, w, h, got [${box.join(', ')}]`);
  if (w! <= 0 || h! <= 0) throw new Error(`init box: width and height must be > 0, got ${w} x ${h}`);
  if (x! + w! <= 0 || y! + h! <= 0 || x! >= frameWidth || y! >= frameHeight) throw new Error(`init box [${box.join(', ')}] lies outside the ${frameWidth}x${frameHeight} frame`);
  return [x!, y!, w!, h!];
}

export function checkFrame(frame: SotFrame): void {
  if (frame.data.length !== frame.width * frame.height * 4) throw new Error(`SOT frame: ${frame.data.length} bytes for a ${frame.width}x${frame.height} RGBA frame`);
}
