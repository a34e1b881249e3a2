/** How a video's frames are produced. */
export type DecodePath = 'webcodecs' | 'ffmpeg' | 'images';

/** What the player and the rest of the app know about an opened video. */
export interface VideoInfo {
  /** File name (or folder name for an image sequence), used in every message about it. */
  name: string;
  width: number;
  height: number;
  /** Number of frames that can be decoded (fewer than the container lists when the file is truncated). */
  frameCount: number;
  /** Frames per second (container timing; 30 for image folders, as MMTracking's demos assume). */
  fps: number;
  /** Codec as the container names it (`avc`, `vp9`, `mp4v`, `jpeg`...). */
  codec: string;
  container: string;
  path: DecodePath;
  /** When the file is cut short: the 1-based index of the first frame whose data is missing, and how many the container lists. */
  truncated?: { firstMissingFrame: number; listedFrames: number };
}

/** A failure to open a file: always names the file and says why, in words a user can act on. */
export class MediaOpenError extends Error {
  override name = 'MediaOpenError';
  constructor(
    readonly fileName: string,
    readonly reason: string,
  ) {
    super(`${fileName}: ${reason}`);
  }
}

export function truncationMessage(info: VideoInfo): string | null {
  if (!info.truncated) return null;
  const { firstMissingFrame, listedFrames } = info.truncated;
  return `${info.name}: the file is truncated at frame ${firstMissingFrame} of ${listedFrames}; frames 1–${firstMissingFrame - 1} were decoded`;
}
