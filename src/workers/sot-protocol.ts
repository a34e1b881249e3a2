import type { ConfigDict } from '../core/config/config-value.ts';
import type { XywhBox } from '../core/models/sot/sot-tracker.ts';

/** Messages to the SOT worker. Model files: the user's by file name; anything else is fetched from `modelBase`. */
export type SotRequest =
  | { type: 'load'; id: number; config: ConfigDict; files: Record<string, ArrayBuffer>; modelBase: string }
  | { type: 'init'; id: number; frame: VideoFrame | ImageBitmap; box: XywhBox }
  | { type: 'track'; id: number; frame: VideoFrame | ImageBitmap };

export type SotResponse =
  | { type: 'loaded'; id: number; modelType: string; files: string[] }
  | { type: 'initialised'; id: number }
  | { type: 'tracked'; id: number; box: XywhBox; score: number; ms: number }
  | { type: 'failed'; id: number; message: string };
