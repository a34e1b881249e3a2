// The annotated MP4 of a live session, encoded as the frames are shown (there is no file to read them back from):
// the canvas MP4 writer the export uses, each frame at the time it was captured.
import type { OverlayScene } from '../core/structures/overlay-scene.ts';
import { type CanvasMp4, encodableCodec, openCanvasMp4 } from './canvas-mp4.ts';
import type { DecodedFrame } from './frame-source.ts';
import { renderAnnotatedFrame } from './render-frame.ts';

export class LiveRecorder {
  private constructor(
    private readonly mp4: CanvasMp4,
    readonly width: number,
    readonly height: number,
    /** `webcodecs avc`, `webcodecs vp9`... */
    readonly encoder: string,
  ) {}

  private last = -1;
  frames = 0;

  /** A recorder for frames of `width` x `height`; throws when the browser can encode none of H.264, VP9, AV1. */
  static async start(width: number, height: number): Promise<LiveRecorder> {
    const codec = await encodableCodec(width, height);
    if (!codec) throw new Error('this browser has no WebCodecs encoder for H.264, VP9 or AV1: the session is not recorded as video (its results are)');
    return new LiveRecorder(await openCanvasMp4(width, height, codec), width, height, `webcodecs ${codec}`);
  }

  /** Adds a frame with its overlay, shown from `seconds` (since the session started) until the next frame. */
  async add(image: DecodedFrame, scene: OverlayScene | undefined, seconds: number): Promise<void> {
    // Timestamps must increase; a frame captured in the same millisecond as the last is shown a millisecond later.
    const t = Math.max(seconds, this.last + 0.001);
    renderAnnotatedFrame(this.mp4.ctx, image, this.width, this.height, scene);
    await this.mp4.add(t, 1 / 30);
    this.last = t;
    this.frames++;
  }

  /** The MP4 of what was added (none when nothing was). */
  async finish(): Promise<Blob | null> {
    if (this.frames === 0) {
      await this.mp4.cancel();
      return null;
    }
    return this.mp4.finish();
  }
}
