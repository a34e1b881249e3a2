// Frames for the CLI: videos and image folders decoded by the system ffmpeg, streamed as RGBA (never all at once).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { MediaOpenError } from './video-info.ts';

export interface RgbaFrame {
  /** 0-based index in the video (or in the sorted folder). */
  index: number;
  width: number;
  height: number;
  /** `width*height*4` bytes, RGBA. */
  data: Uint8Array;
}

export interface FrameStream {
  name: string;
  width: number;
  height: number;
  /** Frames the container lists (an estimate for some formats; the stream is authoritative). */
  frameCount: number;
  fps: number;
  frames(): AsyncGenerator<RgbaFrame>;
}

const IMAGE_EXT = /\.(jpe?g|png|bmp|webp|tiff?)$/i;

function requireFfmpeg(input: string): void {
  const r = spawnSync('ffprobe', ['-version'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) throw new MediaOpenError(input, 'reading videos and images needs ffmpeg/ffprobe on PATH (Debian/Ubuntu: sudo apt-get install -y ffmpeg)');
}

interface Probe {
  width: number;
  height: number;
  frames: number;
  fps: number;
}

function probe(path: string, countFrames: boolean): Probe {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_frames,nb_read_frames,avg_frame_rate,r_frame_rate', '-of', 'json'];
  if (countFrames) args.push('-count_frames');
  const r = spawnSync('ffprobe', [...args, path], { encoding: 'utf8' });
  const stream = r.status === 0 ? (JSON.parse(r.stdout) as { streams?: Array<Record<string, string | number>> }).streams?.[0] : undefined;
  if (!stream) throw new MediaOpenError(path, `not a video or image ffmpeg can read (${r.stderr.trim().split('\n').at(-1) ?? 'no video stream'})`);
  const rate = (s: string | number | undefined) => {
    const [n, d] = String(s ?? '0/1').split('/').map(Number);
    return n && d ? n / d : 0;
  };
  return {
    width: Number(stream.width),
    height: Number(stream.height),
    frames: Number(stream.nb_read_frames ?? stream.nb_frames ?? 0) || 0,
    fps: rate(stream.avg_frame_rate) || rate(stream.r_frame_rate) || 30,
  };
}

/**
 * Raw RGBA frames from ffmpeg; `expected`: the frames the container or folder announces (0: unknown). Fewer frames
 * than announced go to `onShort` (default: a warning that says where decoding stopped).
 */
async function* readRaw(args: string[], width: number, height: number, what: string, expected: number, onShort = warnShort): AsyncGenerator<RgbaFrame> {
  const frameBytes = width * height * 4;
  const child = spawn('ffmpeg', ['-v', 'error', '-nostdin', ...args, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((res) => child.on('close', (code) => res(code ?? 1)));
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= frameBytes) {
        yield { index: index++, width, height, data: new Uint8Array(pending.subarray(0, frameBytes)) };
        pending = pending.subarray(frameBytes);
      }
    }
    const code = await exited;
    if (code !== 0 && index === 0) throw new MediaOpenError(what, `ffmpeg could not decode it: ${stderr.trim().split('\n').at(-1) ?? `exit ${code}`}`);
    // A truncated file often decodes to where it stops with exit 0: the frame count the container announced tells.
    if (code !== 0 || (expected > 0 && index < expected)) onShort(what, index, expected, stderr.trim().split('\n').at(-1) ?? '');
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

function warnShort(what: string, decoded: number, expected: number, why: string): void {
  process.stderr.write(`warning: ${what}: decoding stopped after ${decoded}${expected > 0 ? ` of ${expected}` : ''} frames${why ? `: ${why}` : ''}; results cover frames 1-${decoded}\n`);
}

/** Whether the first bytes are those of an image format ffmpeg reads for folders (JPEG, PNG, BMP, WebP, TIFF). */
function looksLikeImage(head: Uint8Array): boolean {
  const at = (i: number, ...bytes: number[]) => bytes.every((b, k) => head[i + k] === b);
  return at(0, 0xff, 0xd8, 0xff) || at(0, 0x89, 0x50, 0x4e, 0x47) || at(0, 0x42, 0x4d) || (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) || at(0, 0x49, 0x49, 0x2a, 0) || at(0, 0x4d, 0x4d, 0, 0x2a);
}

/** The first image of `files` that is not an image at all (checked from its first bytes), if any. */
function firstNonImage(dir: string, files: readonly string[]): string | undefined {
  const head = new Uint8Array(12);
  return files.find((f) => {
    const fd = openSync(join(dir, f), 'r');
    try {
      const n = readSync(fd, head, 0, head.length, 0);
      return !looksLikeImage(head.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  });
}

/** Opens a video file or a folder of images (sorted by file name, as MMTracking reads folders). */
export function openFrames(input: string): FrameStream {
  requireFfmpeg(input);
  const path = resolve(input);
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new MediaOpenError(input, 'no such file or folder');
  }
  if (!isDir) {
    const p = probe(path, false);
    return { name: basename(path), width: p.width, height: p.height, frameCount: p.frames, fps: p.fps, frames: () => readRaw(['-i', path, '-map', '0:v:0'], p.width, p.height, input, p.frames) };
  }
  const images = readdirSync(path).filter((f) => IMAGE_EXT.test(f)).sort();
  if (images.length === 0) throw new MediaOpenError(input, 'the folder has no images (.jpg, .png, ...)');
  // Frame i is image i: an image that cannot be read is an error naming it, never a dropped frame that would shift
  // every later frame number. Most are caught here from their first bytes, before any work.
  const notImage = firstNonImage(path, images);
  if (notImage) throw new MediaOpenError(join(input, notImage), `not an image (frame ${images.indexOf(notImage) + 1} of the folder): its first bytes are not JPEG, PNG, BMP, WebP or TIFF`);
  const first = probe(join(path, images[0] as string), false);
  /** Fewer frames than images: find the image ffmpeg could not decode and say which (nothing is written). */
  const undecodable = (_what: string, decoded: number, expected: number, why: string): never => {
    const bad = images.find((f) => spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', join(path, f), '-f', 'null', '-'], { encoding: 'utf8' }).status !== 0);
    const where = bad ? join(input, bad) : input;
    throw new MediaOpenError(where, `the image cannot be decoded${bad ? ` (frame ${images.indexOf(bad) + 1})` : ''}: ${decoded} of ${expected} frames came out${why ? ` (${why})` : ''}`);
  };
  return {
    name: basename(path),
    width: first.width,
    height: first.height,
    frameCount: images.length,
    fps: 30,
    async *frames() {
      // The concat demuxer reads the list in order; every image is scaled to the first one's size.
      const dir = mkdtempSync(join(tmpdir(), 'mmtrack-frames-'));
      const list = join(dir, 'list.txt');
      writeFileSync(list, images.map((f) => `file '${join(path, f).replace(/'/g, "'\\''")}'\nduration 1`).join('\n'));
      try {
        yield* readRaw(['-f', 'concat', '-safe', '0', '-i', list, '-vf', `scale=${first.width}:${first.height}`, '-fps_mode', 'passthrough'], first.width, first.height, input, images.length, undecodable);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
