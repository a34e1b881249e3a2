import type { ImageMeta } from '../../core/models/det/faster-rcnn.ts';
import type { GpuTensor } from '../detectors/ort-gpu-run.ts';

/** A pre-processed frame in a GPU buffer; the runner calls `dispose` once it no longer needs the image. */
export interface GpuPreparedFrame {
  image: GpuTensor;
  meta: ImageMeta;
  dispose(): void;
}

/** A video's pre-processed frames on the GPU, by index (each `get` gives a frame of its own to dispose). */
export interface GpuPreparedFrames {
  /** Frame `i` (0-based), or null past the end of the video. */
  get(i: number): Promise<GpuPreparedFrame | null>;
  /** Whether frame `i` can be had, without preparing it (when the source knows). */
  has?(i: number): boolean;
}
