import type { DecodedFrame } from '../media/frame-source.ts';
import type { VideoInput } from '../media/open-video.ts';
import type { VideoInfo } from '../media/video-info.ts';

/** Messages to the decode worker. Frame requests are served in order; `gen` lets the client drop stale ones. */
export type DecodeRequest =
  | { type: 'open'; openId: number; input: VideoInput }
  | { type: 'cancel-open'; openId: number }
  | { type: 'frame'; reqId: number; gen: number; index: number }
  | { type: 'set-gen'; gen: number }
  | { type: 'close' };

/** Messages from the decode worker. */
export type DecodeResponse =
  | { type: 'open-progress'; openId: number; stage: 'probe' | 'ffmpeg'; fraction: number }
  /** `playable` is the H.264 re-encode when ffmpeg.wasm decoded the file (the exporter reuses it). */
  | { type: 'opened'; openId: number; info: VideoInfo; playable: Blob | null }
  | { type: 'open-failed'; openId: number; message: string; cancelled: boolean }
  | { type: 'frame'; reqId: number; index: number; frame: DecodedFrame; decodeMs: number }
  | { type: 'frame-failed'; reqId: number; index: number; message: string }
  | { type: 'frame-skipped'; reqId: number };
