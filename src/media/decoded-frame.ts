import type { DecodedFrame } from './frame-source.ts';

/** Display size of a decoded frame (`VideoFrame` or `ImageBitmap`). */
export function frameSize(frame: DecodedFrame): { width: number; height: number } {
  return frame instanceof VideoFrame ? { width: frame.displayWidth, height: frame.displayHeight } : { width: frame.width, height: frame.height };
}

/** RGBA pixels of a frame (`width*height*4`, row-major), for the CPU paths of the workers. */
export function framePixels(frame: DecodedFrame): { data: Uint8ClampedArray; width: number; height: number } {
  const { width, height } = frameSize(frame);
  const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in this context');
  ctx.drawImage(frame, 0, 0, width, height);
  return { data: ctx.getImageData(0, 0, width, height).data, width, height };
}

/** A copy of a frame that can be transferred to a worker while the original stays on screen. */
export function cloneFrame(frame: DecodedFrame): Promise<DecodedFrame> {
  return frame instanceof VideoFrame ? Promise.resolve(frame.clone()) : createImageBitmap(frame);
}
