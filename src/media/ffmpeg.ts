import { FFmpeg, type FFFSType } from '@ffmpeg/ffmpeg';
// The single-threaded core, served from our own origin (no CDN): Vite copies both files into the build.
import coreURL from '@ffmpeg/core?url';
import wasmURL from '@ffmpeg/core/wasm?url';

/**
 * A loaded ffmpeg.wasm with its log lines kept for error messages. One per worker; `terminate()` cancels a
 * running command (the next `getFfmpeg()` loads a fresh one).
 */
export interface FfmpegHandle {
  ffmpeg: FFmpeg;
  log: string[];
}

let current: Promise<FfmpegHandle> | null = null;

export function getFfmpeg(): Promise<FfmpegHandle> {
  current ??= (async () => {
    const ffmpeg = new FFmpeg();
    const handle: FfmpegHandle = { ffmpeg, log: [] };
    ffmpeg.on('log', ({ message }) => {
      handle.log.push(message);
      if (handle.log.length > 400) handle.log.splice(0, 200);
    });
    await ffmpeg.load({ coreURL: new URL(coreURL, self.location.href).href, wasmURL: new URL(wasmURL, self.location.href).href });
    return handle;
  })();
  current.catch(() => (current = null));
  return current;
}

/** Kills the running ffmpeg (cancellation); the next call to `getFfmpeg` starts a new one. */
export function terminateFfmpeg(): void {
  const pending = current;
  current = null;
  void pending?.then((h) => h.ffmpeg.terminate()).catch(() => undefined);
}

/** Mounts a Blob read-only (WORKERFS: no copy into wasm memory) and returns its path. */
export async function mountInput(h: FfmpegHandle, blob: Blob, dir = '/input'): Promise<string> {
  await h.ffmpeg.createDir(dir).catch(() => undefined);
  await h.ffmpeg.mount('WORKERFS' as FFFSType, { blobs: [{ name: 'media', data: blob }] }, dir);
  return `${dir}/media`;
}

export async function unmountInput(h: FfmpegHandle, dir = '/input'): Promise<void> {
  await h.ffmpeg.unmount(dir).catch(() => undefined);
}
