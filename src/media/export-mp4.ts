import type { VideoCodec } from 'mediabunny';
import { encodableCodec, even, openCanvasMp4 } from './canvas-mp4.ts';
import type { OverlayScene } from '../core/structures/overlay-scene.ts';
import { getFfmpeg, terminateFfmpeg } from './ffmpeg.ts';
import type { FrameSource } from './frame-source.ts';
import { renderAnnotatedFrame } from './render-frame.ts';

export type ExportEncoder = 'auto' | 'webcodecs' | 'ffmpeg';

export interface ExportOptions {
  scenes: ReadonlyMap<number, OverlayScene>;
  encoder: ExportEncoder;
  onProgress(done: number, total: number): void;
  signal: AbortSignal;
}

export interface ExportResult {
  mp4: Blob;
  /** What encoded it: `webcodecs avc`, `ffmpeg.wasm libx264`... */
  encoder: string;
  frames: number;
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException('export cancelled', 'AbortError');
}

/**
 * Writes the annotated video (every frame with its overlay) as MP4. WebCodecs `VideoEncoder` + mediabunny's muxer
 * when the browser can encode H.264/VP9/AV1, else ffmpeg.wasm (libx264) fed in bounded segments.
 */
export async function exportAnnotatedMp4(source: FrameSource, opts: ExportOptions): Promise<ExportResult> {
  const { width, height } = source.info;
  if (opts.encoder !== 'ffmpeg') {
    const codec = await encodableCodec(width, height);
    if (codec) return exportWithWebCodecs(source, codec, opts);
    if (opts.encoder === 'webcodecs') throw new Error('this browser has no WebCodecs encoder for H.264, VP9 or AV1');
  }
  return exportWithFfmpeg(source, opts);
}

async function exportWithWebCodecs(source: FrameSource, codec: VideoCodec, opts: ExportOptions): Promise<ExportResult> {
  const { width, height, frameCount, fps } = source.info;
  const mp4 = await openCanvasMp4(width, height, codec, fps);
  let file: Blob;
  try {
    for (let i = 0; i < frameCount; i++) {
      checkAborted(opts.signal);
      const image = await source.frame(i);
      renderAnnotatedFrame(mp4.ctx, image, width, height, opts.scenes.get(i));
      image.close();
      await mp4.add(i / fps, 1 / fps);
      opts.onProgress(i + 1, frameCount);
    }
    file = await mp4.finish();
  } catch (err) {
    await mp4.cancel();
    throw err;
  }
  return { mp4: file, encoder: `webcodecs ${codec}`, frames: frameCount };
}

/** Raw RGBA frames per ffmpeg call: bounds memory to about 64 MB whatever the video length. */
function segmentFrames(width: number, height: number): number {
  return Math.max(1, Math.floor((64 * 1024 * 1024) / (width * height * 4)));
}

async function exportWithFfmpeg(source: FrameSource, opts: ExportOptions): Promise<ExportResult> {
  const { frameCount, fps } = source.info;
  const width = even(source.info.width);
  const height = even(source.info.height);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in this context');
  const h = await getFfmpeg();
  const perSegment = segmentFrames(width, height);
  const segments: string[] = [];
  const abort = () => terminateFfmpeg();
  opts.signal.addEventListener('abort', abort);
  try {
    for (let start = 0; start < frameCount; start += perSegment) {
      const n = Math.min(perSegment, frameCount - start);
      const raw = new Uint8Array(width * height * 4 * n);
      for (let k = 0; k < n; k++) {
        checkAborted(opts.signal);
        const image = await source.frame(start + k);
        renderAnnotatedFrame(ctx, image, source.info.width, source.info.height, opts.scenes.get(start + k));
        image.close();
        raw.set(ctx.getImageData(0, 0, width, height).data, k * width * height * 4);
        opts.onProgress(start + k + 1, frameCount);
      }
      const rawName = `/seg${segments.length}.rgba`;
      const segName = `/seg${segments.length}.mp4`;
      await h.ffmpeg.writeFile(rawName, raw);
      const code = await h.ffmpeg.exec(['-hide_banner', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-r', String(fps), '-i', rawName,
        '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-y', segName]);
      await h.ffmpeg.deleteFile(rawName);
      if (code !== 0) throw new Error(`ffmpeg.wasm could not encode frames ${start + 1}–${start + n}: ${h.log.at(-1) ?? ''}`);
      segments.push(segName);
    }
    await h.ffmpeg.writeFile('/segments.txt', segments.map((s) => `file '${s}'`).join('\n'));
    const code = await h.ffmpeg.exec(['-hide_banner', '-f', 'concat', '-safe', '0', '-i', '/segments.txt', '-c', 'copy', '-movflags', '+faststart', '-y', '/export.mp4']);
    if (code !== 0) throw new Error(`ffmpeg.wasm could not join the segments: ${h.log.at(-1) ?? ''}`);
    const data = await h.ffmpeg.readFile('/export.mp4');
    if (typeof data === 'string') throw new Error('ffmpeg.wasm returned text instead of video');
    return { mp4: new Blob([data as Uint8Array<ArrayBuffer>], { type: 'video/mp4' }), encoder: 'ffmpeg.wasm libx264', frames: frameCount };
  } finally {
    opts.signal.removeEventListener('abort', abort);
    for (const s of [...segments, '/segments.txt', '/export.mp4']) await h.ffmpeg.deleteFile(s).catch(() => undefined);
  }
}
