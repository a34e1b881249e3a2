import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { imageSizeFromHeader, sequenceFrameSize } from './image-size.ts';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../..');
const shared = (p: string): string => path.resolve(repoRoot, '../shared', p);

describe('frame size for VOT overlap bounds', () => {
  it('reads JPEG and PNG headers without decoding', () => {
    expect(imageSizeFromHeader(readFileSync(shared('sot/street-car/img/000001.jpg')))).toEqual([640, 360]);
    const png = new Uint8Array(32);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 3, 32, 0, 0, 1, 200]);
    expect(imageSizeFromHeader(png)).toEqual([800, 456]);
    expect(imageSizeFromHeader(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });

  it('takes the first image of a sequence folder', async () => {
    expect(await sequenceFrameSize(shared('sot/street-car/img'))).toEqual([640, 360]);
    expect(await sequenceFrameSize('/nonexistent')).toBeUndefined();
  });
});
