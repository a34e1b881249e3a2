import type { DecodedFrame } from '../media/frame-source.ts';
import type { VideoInput } from '../media/open-video.ts';
import type { VideoInfo } from '../media/video-info.ts';
import type { Method } from './rpc.ts';

export interface OpenedVideo {
  info: VideoInfo;
  /** The H.264 re-encode when ffmpeg.wasm decoded the file (the exporter reuses it). */
  playable: Blob | null;
}

/** The decode worker's API: one video at a time, calls served in order (one decoder cursor). */
export type DecodeApi = {
  /** Opens a video, replacing the current one once it has opened. Cancelling stops ffmpeg.wasm. */
  open: Method<VideoInput, OpenedVideo, { stage: 'probe' | 'ffmpeg'; fraction: number }>;
  /** Frame `index` (0-based), transferred to the caller, who must close it. */
  frame: Method<number, { frame: DecodedFrame; index: number; decodeMs: number }>;
  close: Method<null, void>;
};
