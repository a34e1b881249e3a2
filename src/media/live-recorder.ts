// The annotated MP4 of a live session, encoded as the frames are shown (there is no file to read them back from):
// WebCodecs through mediabunny, each frame at the time it was captured.
import { BufferTarget, CanvasSource, getFirstEncodableVideoCodec, Mp4OutputFormat, Output, QUALITY_HIGH, type VideoCodec } from 'mediabunny';
import type { OverlayScene } from '../core/structures/overlay-scene.ts';
import type { DecodedFrame } from './frame-source.ts';
import { renderAnnotatedFrame } from './render-frame.ts';

/** H.264 and yuv420p need even sizes. */
const even = (n: number) => n + (n % 2);

export class LiveRecorder {
  private constructor(
    private readonly output: Output,
    private readonly track: CanvasSource,
    private readonly ctx: OffscreenCanvasRenderingContext2D,
    readonly width: number,
    readonly height: number,
    /** `webcodecs avc`, `webcodecs vp9`... */
    readonly encoder: string,
  ) {}

  private last = -1;
  frames = 0;

  /** A recorder for frames of `width` x `height`; throws when the browser can encode none of H.264, VP9, AV1. */
  static async start(width: number, height: number): Promise<LiveRecorder> {
    const codec = await getFirstEncodableVideoCodec(['avc', 'vp9', 'av1'] as VideoCodec[], { width: even(width), height: even(height) });
    if (!codec) throw new Error('this browser has no WebCodecs encoder for H.264, VP9 or AV1: the session is not recorded as video (its results are)');
    const canvas = new OffscreenCanvas(even(width), even(height));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas in this context');
    const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target: new BufferTarget() });
    const track = new CanvasSource(canvas, { codec, quality: QUALITY_HIGH, keyFrameInterval: 1 });
    output.addVideoTrack(track);
    await output.start();
    return new LiveRecorder(output, track, ctx, width, height, `webcodecs ${codec}`);
  }

  /** Adds a frame with its overlay, shown from `seconds` (since the session started) until the next frame. */
  async add(image: DecodedFrame, scene: OverlayScene | undefined, seconds: number): Promise<void> {
    // Timestamps must increase; a frame captured in the same millisecond as the last is shown a millisecond later.
    const t = Math.max(seconds, this.last + 0.001);
    renderAnnotatedFrame(this.ctx, image, this.width, this.height, scene);
    await this.track.add(t, 1 / 30);
    this.last = t;
    this.frames++;
  }

  /** The MP4 of what was added (none when nothing was). */
  async finish(): Promise<Blob | null> {
    if (this.frames === 0) {
      await this.output.cancel();
      return null;
    }
    await this.output.finalize();
    const buffer = (this.output.target as BufferTarget).buffer;
    return buffer ? new Blob([buffer], { type: 'video/mp4' }) : null;
  }
}
