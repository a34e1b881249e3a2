// Decoded frames by index over a sequential reader, for the VID methods that read frames around the current one.
import type { RgbaFrame, RgbaFrames } from '../runtime/vid/vid-runner.ts';

/** Frames read ahead on demand and dropped once no longer needed. */
export class BufferedFrames implements RgbaFrames {
  private readonly frames = new Map<number, RgbaFrame>();
  private next = 0;
  private ended = false;

  /** `pinned`: frames read beforehand that stay (SELSA's references). */
  constructor(
    private readonly source: AsyncIterator<{ index: number } & RgbaFrame>,
    readonly count?: number,
    private readonly pinned: ReadonlyMap<number, RgbaFrame> = new Map(),
  ) {}

  async get(index: number): Promise<RgbaFrame | null> {
    const kept = this.pinned.get(index);
    if (kept) return kept;
    while (!this.ended && this.next <= index) {
      const r = await this.source.next();
      if (r.done) this.ended = true;
      else {
        this.frames.set(r.value.index, r.value);
        this.next = r.value.index + 1;
      }
    }
    return this.frames.get(index) ?? null;
  }

  dropBelow(index: number): void {
    for (const k of this.frames.keys()) if (k < index) this.frames.delete(k);
  }
}
