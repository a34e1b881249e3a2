import type { VideoInfo } from './video-info.ts';

/** A decoded frame handed to the renderer; the receiver must `close()` it. */
export type DecodedFrame = VideoFrame | ImageBitmap;

/**
 * Random access to the frames of one opened video. Sequential reads (`frame(i)` then `frame(i + 1)`) are cheap;
 * other jumps restart decoding at the nearest key frame. Memory stays bounded: nothing keeps decoded frames.
 */
export interface FrameSource {
  readonly info: VideoInfo;
  /** The bytes the WebCodecs path reads: the file itself, or ffmpeg.wasm's H.264 re-encode of it. */
  readonly playable?: Blob;
  /** Frame `index` (0-based). */
  frame(index: number): Promise<DecodedFrame>;
  close(): void;
}
