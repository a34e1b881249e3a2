// An MP4 written frame by frame from a 2D canvas with WebCodecs and mediabunny's muxer: the video export and the
// live camera recording draw their annotated frames on it.
import { BufferTarget, CanvasSource, getFirstEncodableVideoCodec, Mp4OutputFormat, Output, QUALITY_HIGH, type VideoCodec } from 'mediabunny';

/** H.264 and yuv420p need even sizes: the canvas is padded by at most one pixel. */
export const even = (n: number) => n + (n % 2);

/** The first of H.264, VP9, AV1 this browser's WebCodecs can encode at `width` x `height` (padded even); null: none. */
export function encodableCodec(width: number, height: number): Promise<VideoCodec | null> {
  return getFirstEncodableVideoCodec(['avc', 'vp9', 'av1'] as VideoCodec[], { width: even(width), height: even(height) });
}

/** An MP4 written from a canvas: draw each frame on `ctx`, then `add` it; `finish` gives the file. */
export interface CanvasMp4 {
  readonly ctx: OffscreenCanvasRenderingContext2D;
  /** Encodes the canvas as the frame shown from `seconds` for `duration` seconds. */
  add(seconds: number, duration: number): Promise<void>;
  finish(): Promise<Blob>;
  cancel(): Promise<void>;
}

/** WebCodecs `VideoEncoder` (`codec`, every frame a key frame) + mediabunny's MP4 muxer, on a `width` x `height` canvas. */
export async function openCanvasMp4(width: number, height: number, codec: VideoCodec, frameRate?: number): Promise<CanvasMp4> {
  const canvas = new OffscreenCanvas(even(width), even(height));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas in this context');
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target: new BufferTarget() });
  const track = new CanvasSource(canvas, { codec, quality: QUALITY_HIGH, keyFrameInterval: 1 });
  output.addVideoTrack(track, frameRate ? { frameRate } : {});
  await output.start();
  return {
    ctx,
    add: (seconds, duration) => track.add(seconds, duration),
    async finish() {
      await output.finalize();
      const buffer = output.target.buffer;
      if (!buffer) throw new Error('the muxer produced no data');
      return new Blob([buffer], { type: 'video/mp4' });
    },
    cancel: () => output.cancel(),
  };
}
