import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanTopLevelBoxes, type ByteSource } from './isobmff-boxes.ts';

const media = (name: string) => resolve(__dirname, '../../../shared/media', name);
function bufferSource(buf: Uint8Array): ByteSource {
  return { size: buf.byteLength, read: (o, n) => Promise.resolve(buf.subarray(o, o + n)) };
}

describe('scanTopLevelBoxes', () => {
  it('lists ftyp, moov and mdat of a complete MP4', async () => {
    const r = await scanTopLevelBoxes(bufferSource(readFileSync(media('street-540p-h264.mp4'))));
    expect(r?.truncated).toBe(false);
    const types = r?.boxes.map((b) => b.type) ?? [];
    expect(types[0]).toBe('ftyp');
    expect(types).toContain('moov');
    expect(types).toContain('mdat');
  });
  it('sees that the moov is missing from a cut recording', async () => {
    const r = await scanTopLevelBoxes(bufferSource(readFileSync(media('missing-moov-h264.mp4'))));
    expect(r).not.toBeNull();
    expect(r?.boxes.map((b) => b.type)).not.toContain('moov');
    expect(r?.truncated).toBe(true);
  });
  it('sees a truncated faststart file (moov present, mdat cut)', async () => {
    const r = await scanTopLevelBoxes(bufferSource(readFileSync(media('truncated-faststart-h264.mp4'))));
    expect(r?.boxes.map((b) => b.type)).toContain('moov');
    expect(r?.truncated).toBe(true);
  });
  it('returns null for random bytes and WebM', async () => {
    expect(await scanTopLevelBoxes(bufferSource(readFileSync(media('not-a-video.mp4'))))).toBeNull();
    expect(await scanTopLevelBoxes(bufferSource(readFileSync(media('street-360p-vp9.webm'))))).toBeNull();
  });
});
