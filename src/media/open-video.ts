import type { FrameSource } from './frame-source.ts';
import { transcodeToH264 } from './ffmpeg-transcode.ts';
import { isImageFile, openImageFolder } from './image-folder-source.ts';
import { MediaOpenError } from './video-info.ts';
import { CodecNotDecodableError, ContainerNotRecognisedError, openWebCodecsSource } from './webcodecs-source.ts';

/**
 * What the user gave us: one video file, or the files of an image folder. `decoder: 'ffmpeg'` skips WebCodecs
 * (to work around a browser decoder bug, and for benchmarks comparing both paths on one file).
 */
export type VideoInput = { kind: 'file'; file: File; decoder?: 'auto' | 'ffmpeg' } | { kind: 'images'; name: string; files: File[] };

export type OpenProgress = (stage: 'probe' | 'ffmpeg', fraction: number) => void;

/**
 * Opens a video the way the app always does: WebCodecs when the browser decodes the codec, otherwise ffmpeg.wasm;
 * every failure becomes a `MediaOpenError` naming the file and the reason.
 */
export async function openVideo(input: VideoInput, onProgress: OpenProgress = () => undefined): Promise<FrameSource> {
  if (input.kind === 'images') return openImageFolder(input.files, input.name);
  const { file } = input;
  if (file.size === 0) throw new MediaOpenError(file.name, 'the file is empty (0 bytes)');
  if (isImageFile(file)) return openImageFolder([file], file.name);
  onProgress('probe', 0);
  if (input.decoder === 'ffmpeg') return openWithFfmpeg(file, null, onProgress);
  try {
    return await openWebCodecsSource(file, file.name);
  } catch (err) {
    if (err instanceof ContainerNotRecognisedError || err instanceof CodecNotDecodableError) return openWithFfmpeg(file, err, onProgress);
    if (err instanceof MediaOpenError) throw err;
    throw new MediaOpenError(file.name, `cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function openWithFfmpeg(file: File, why: ContainerNotRecognisedError | CodecNotDecodableError | null, onProgress: OpenProgress): Promise<FrameSource> {
  let mp4: Blob;
  let sourceCodec: string | null;
  try {
    ({ mp4, sourceCodec } = await transcodeToH264(file, file.name, (f) => onProgress('ffmpeg', f)));
  } catch (err) {
    if (!(err instanceof MediaOpenError)) throw new MediaOpenError(file.name, `ffmpeg.wasm failed: ${err instanceof Error ? err.message : String(err)}`);
    if (why instanceof ContainerNotRecognisedError) throw new MediaOpenError(file.name, `not a video file: neither the browser nor ffmpeg.wasm recognises its format (${err.reason})`);
    if (!why) throw err;
    throw new MediaOpenError(file.name, `unsupported codec ${why.codec} in ${why.container}: the browser cannot decode it and ffmpeg.wasm failed (${err.reason})`);
  }
  const source = await openWebCodecsSource(mp4, file.name, 'ffmpeg');
  const container = why instanceof CodecNotDecodableError ? why.container : 'a container read by ffmpeg';
  Object.assign(source.info, { codec: sourceCodec ?? (why instanceof CodecNotDecodableError ? why.codec : 'unknown'), container });
  return source;
}
