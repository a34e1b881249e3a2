import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openFrames } from './ffmpeg-frame-reader.node.ts';

const shared = (p: string) => resolve(__dirname, '../../../shared', p);

async function collect(input: string) {
  const s = openFrames(input);
  const frames = [];
  for await (const f of s.frames()) frames.push({ index: f.index, bytes: f.data.byteLength, mean: f.data.reduce((a, b) => a + b, 0) / f.data.byteLength });
  return { s, frames };
}

describe('openFrames (CLI frame source)', () => {
  it('streams every frame of a video as RGBA', async () => {
    const { s, frames } = await collect(shared('media/street-540p-h264.mp4'));
    expect([s.width, s.height, s.frameCount, s.fps]).toEqual([960, 540, 8, 3]);
    expect(frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(frames.every((f) => f.bytes === 960 * 540 * 4 && f.mean > 40)).toBe(true);
  });
  it('reads an image folder in file-name order', async () => {
    const { s, frames } = await collect(shared('sot/street-car/img'));
    expect([s.width, s.height, s.frameCount]).toEqual([640, 360, 30]);
    expect(frames).toHaveLength(30);
  });
  it('names the file when it is not a video', () => {
    expect(() => openFrames(shared('media/not-a-video.mp4'))).toThrow(/not-a-video\.mp4: not a video or image ffmpeg can read/);
    expect(() => openFrames('/nonexistent/x.mp4')).toThrow(/no such file or folder/);
  });
  it('says where a truncated file stops (ffmpeg exits 0 there): frame numbers keep their place', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { s, frames } = await collect(shared('media/truncated-faststart-h264.mp4'));
      expect(s.frameCount).toBe(150);
      expect(frames.length).toBeGreaterThan(0);
      expect(frames.length).toBeLessThan(150);
      expect(frames.map((f) => f.index)).toEqual([...frames.keys()]);
      const warned = write.mock.calls.map((c) => String(c[0])).join('');
      expect(warned).toContain(`truncated-faststart-h264.mp4: decoding stopped after ${frames.length} of 150 frames`);
      expect(warned).toContain(`results cover frames 1-${frames.length}`);
    } finally {
      write.mockRestore();
    }
  });
  it('an image folder keeps frame i = image i: an image that cannot be read is an error naming it, not a dropped frame', async () => {
    const folder = (damage: (dir: string) => void) => {
      const dir = mkdtempSync(join(tmpdir(), 'mmtrack-folder-'));
      for (let i = 1; i <= 5; i++) copyFileSync(shared(`sot/street-car/img/00000${i}.jpg`), join(dir, `00000${i}.jpg`));
      damage(dir);
      return dir;
    };
    // Not an image at all: refused before any decoding, from its first bytes.
    const junk = folder((d) => writeFileSync(join(d, '000004.jpg'), 'hello, not a jpeg'));
    expect(() => openFrames(junk)).toThrow(`${join(junk, '000004.jpg')}: not an image (frame 4 of the folder): its first bytes are not JPEG, PNG, BMP, WebP or TIFF`);
    // A JPEG cut after its header: ffmpeg drops it, which would renumber frames 4 and 5; the stream fails naming it.
    const cut = folder((d) => writeFileSync(join(d, '000003.jpg'), readFileSync(shared('sot/street-car/img/000003.jpg')).subarray(0, 600)));
    await expect(collect(cut)).rejects.toThrow(`${join(cut, '000003.jpg')}: the image cannot be decoded (frame 3): 4 of 5 frames came out`);
  });
});
