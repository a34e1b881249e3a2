import type { ConfigDict } from '../core/config/config-value.ts';
import type { XywhBox } from '../core/models/sot/sot-tracker.ts';
import type { Method } from './rpc.ts';

/** The SOT worker's API (calls run one at a time, in order). Frames are transferred; the worker closes them. */
export type SotApi = {
  /** Model files: the user's by file name; anything else is fetched from `modelBase`. */
  load: Method<{ config: ConfigDict; files: Record<string, ArrayBuffer>; modelBase: string }, { modelType: string; files: string[] }>;
  init: Method<{ frame: VideoFrame | ImageBitmap; box: XywhBox }, void>;
  track: Method<{ frame: VideoFrame | ImageBitmap }, { box: XywhBox; score: number; ms: number }>;
};
