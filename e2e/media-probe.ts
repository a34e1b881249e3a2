import { execFileSync } from 'node:child_process';

/** Frame count and size of a video file as Debian's ffprobe decodes it (an independent reference decoder). */
export function ffprobeVideo(path: string): { frames: number; width: number; height: number; codec: string } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,width,height,codec_name', '-of', 'json', path], { encoding: 'utf8' });
  const s = (JSON.parse(out) as { streams: Array<{ nb_read_frames: string; width: number; height: number; codec_name: string }> }).streams[0];
  if (!s) throw new Error(`ffprobe found no video stream in ${path}`);
  return { frames: Number(s.nb_read_frames), width: s.width, height: s.height, codec: s.codec_name };
}

/** One decoded frame as RGB24 bytes, via ffmpeg. */
export function ffmpegFrameRgb(path: string, frameIndex: number, width: number, height: number): Buffer {
  const out = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-vf', `select=eq(n\\,${frameIndex})`, '-vframes', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 * 1024 * 1024 });
  if (out.length !== width * height * 3) throw new Error(`expected ${width * height * 3} bytes of RGB, got ${out.length}`);
  return out;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(buf: Buffer): { width: number; height: number } {
  if (buf.toString('latin1', 1, 4) !== 'PNG') throw new Error('not a PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}
