// Annotated video output for the CLI: RGBA frames with boxes drawn, encoded by the system ffmpeg (H.264 MP4).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from './command.ts';

export interface DrawBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  rgb: readonly [number, number, number];
}

/** Draws a rectangle outline `thickness` pixels wide into RGBA pixels (clipped to the frame). */
export function drawRect(rgba: Uint8Array, width: number, height: number, box: DrawBox, thickness = 2): void {
  const x1 = Math.max(0, Math.round(box.x1));
  const y1 = Math.max(0, Math.round(box.y1));
  const x2 = Math.min(width - 1, Math.round(box.x2));
  const y2 = Math.min(height - 1, Math.round(box.y2));
  if (x2 < x1 || y2 < y1) return;
  const put = (x: number, y: number) => {
    const o = (y * width + x) * 4;
    rgba[o] = box.rgb[0];
    rgba[o + 1] = box.rgb[1];
    rgba[o + 2] = box.rgb[2];
    rgba[o + 3] = 255;
  };
  for (let t = 0; t < thickness; t++) {
    for (let x = x1; x <= x2; x++) {
      if (y1 + t <= y2) put(x, y1 + t);
      if (y2 - t >= y1) put(x, y2 - t);
    }
    for (let y = y1; y <= y2; y++) {
      if (x1 + t <= x2) put(x1 + t, y);
      if (x2 - t >= x1) put(x2 - t, y);
    }
  }
}

export interface VideoWriter {
  write(rgba: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Starts ffmpeg encoding raw RGBA frames of `width x height` at `fps` into an H.264 MP4 at `path`. */
export function openVideoWriter(path: string, width: number, height: number, fps: number): VideoWriter {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const child = spawn('ffmpeg', ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-r', String(fps), '-i', '-',
    '-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', path], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number>((res) => child.on('close', (c) => res(c ?? 1)));
  child.on('error', () => undefined);
  // A dead ffmpeg shows up as EPIPE on its stdin: the write promise rejects with ffmpeg's own message instead.
  child.stdin.on('error', () => undefined);
  return {
    write: (rgba) =>
      new Promise((resolve, reject) => {
        child.stdin.write(rgba, (err) => {
          if (!err) return resolve();
          void done.then(() => reject(new UserError(`${path}: ffmpeg stopped: ${stderr.trim().split('\n').at(-1) || err.message}`)));
        });
      }),
    async close() {
      child.stdin.end();
      const code = await done;
      if (code !== 0) throw new UserError(`${path}: ffmpeg could not write the video: ${stderr.trim().split('\n').at(-1) ?? `exit ${code}`}`);
    },
  };
}
