import { getFfmpeg, mountInput, unmountInput } from './ffmpeg.ts';
import { durationSeconds, ffmpegFailureReason, probedVideoCodec, timeSeconds } from './ffmpeg-log.ts';
import { MediaOpenError } from './video-info.ts';

/**
 * Decodes a file the browser can't (MPEG-4 Part 2, AVI, MJPEG, ...) with ffmpeg.wasm and re-encodes its video to
 * near-lossless H.264 in MP4, which then plays through the WebCodecs path like any other file. The input is mounted
 * (WORKERFS), not copied; frames are never held decoded. Timestamps pass through, so frame count and order are kept.
 * `onProgress` gets a fraction in [0, 1].
 */
export async function transcodeToH264(blob: Blob, name: string, onProgress: (fraction: number) => void): Promise<{ mp4: Blob; sourceCodec: string | null }> {
  const h = await getFfmpeg();
  h.log.length = 0;
  const inputPath = await mountInput(h, blob);
  let duration: number | null = null;
  const onLog = ({ message }: { message: string }) => {
    duration ??= durationSeconds([message]);
    const t = timeSeconds(message);
    if (t !== null && duration) onProgress(Math.min(1, t / duration));
  };
  h.ffmpeg.on('log', onLog);
  try {
    const out = '/transcoded.mp4';
    const code = await h.ffmpeg.exec([
      '-hide_banner', '-nostdin', '-i', inputPath,
      '-map', '0:v:0', '-an', '-sn', '-dn',
      '-fps_mode', 'passthrough',
      // yuv420p needs even sizes: pad (not scale) so frame-pixel coordinates stay exact.
      '-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '12', '-pix_fmt', 'yuv420p', '-g', '30',
      '-movflags', '+faststart', '-y', out,
    ]);
    const sourceCodec = probedVideoCodec(h.log);
    if (code !== 0) throw new MediaOpenError(name, ffmpegFailureReason(h.log));
    const data = await h.ffmpeg.readFile(out);
    await h.ffmpeg.deleteFile(out).catch(() => undefined);
    if (typeof data === 'string' || data.byteLength === 0) throw new MediaOpenError(name, ffmpegFailureReason(h.log));
    onProgress(1);
    return { mp4: new Blob([data as Uint8Array<ArrayBuffer>], { type: 'video/mp4' }), sourceCodec };
  } finally {
    h.ffmpeg.off('log', onLog);
    await unmountInput(h);
  }
}
