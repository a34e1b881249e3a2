import type { DecodedFrame } from './frame-source.ts';

/** Display size of a decoded frame (`VideoFrame` or `ImageBitmap`). */
export function frameSize(frame: DecodedFrame): { width: number; height: number } {
  return frame instanceof VideoFrame ? { width: frame.displayWidth, height: frame.displayHeight } : { width: frame.width, height: frame.height };
}

export interface FramePixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

// One canvas per thread, reused frame after frame (a new one per frame left a frame-sized backing store to each
// garbage collection).
let readback: OffscreenCanvasRenderingContext2D | null = null;

/** A VideoFrame `copyTo` can convert as drawImage would: its visible size is its display size, not rotated or flipped. */
function copiesAsDrawn(frame: VideoFrame): boolean {
  const f = frame as VideoFrame & { rotation?: number; flip?: boolean };
  return frame.visibleRect?.width === frame.displayWidth && frame.visibleRect.height === frame.displayHeight && !f.rotation && !f.flip;
}

/**
 * RGBA pixels of a frame (`width*height*4`, row-major), for the CPU paths of the workers. A VideoFrame is converted by
 * `copyTo(RGBA, sRGB)`: the same bytes as drawing it on a canvas (checked in Chromium on I420, BT.709 and BT.601), and
 * no canvas. Drawing every frame of a video on a canvas filled the renderer's image cache (cc/image_memory, one entry
 * per frame, never read again): 800 MB in the tab during a 1080p run. Canvas for ImageBitmaps and where copyTo cannot.
 */
export async function framePixels(frame: DecodedFrame): Promise<FramePixels> {
  const { width, height } = frameSize(frame);
  if (frame instanceof VideoFrame && copiesAsDrawn(frame)) {
    const data = new Uint8ClampedArray(width * height * 4);
    try {
      await frame.copyTo(data, { format: 'RGBA', colorSpace: 'srgb' });
      return { data, width, height };
    } catch {
      // This browser's copyTo does not convert to RGBA (before Chromium 127): the canvas below.
    }
  }
  readback ??= new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!readback) throw new Error('no 2D canvas in this context');
  const canvas = readback.canvas;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  // 'copy': the frame replaces what the last one left, transparent pixels included.
  readback.globalCompositeOperation = 'copy';
  readback.drawImage(frame, 0, 0, width, height);
  return { data: readback.getImageData(0, 0, width, height).data, width, height };
}

/** A copy of a frame that can be transferred to a worker while the original stays on screen. */
export function cloneFrame(frame: DecodedFrame): Promise<DecodedFrame> {
  return frame instanceof VideoFrame ? Promise.resolve(frame.clone()) : createImageBitmap(frame);
}
