import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { emptyBitMasks, maskBit } from '../core/structures/bit-masks.ts';
import { maskPng } from './mask-png.ts';

describe('mask PNG', () => {
  it('ffmpeg decodes it to the same pixels (37x5: rows not a multiple of 8 or 32)', async () => {
    const m = emptyBitMasks(2, 37, 5);
    for (let y = 0; y < 5; y++) for (let x = 0; x < 37; x++) if ((x * 7 + y * 3) % 5 < 2) m.data[(1 * 5 + y) * m.wordsPerRow + (x >> 5)]! |= 1 << (x & 31);
    const png = await maskPng(m, 1, (raw) => deflateSync(raw));
    const file = join(mkdtempSync(join(tmpdir(), 'mask-png-')), 'm.png');
    writeFileSync(file, png);
    const r = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 1 << 20 });
    expect(r.status).toBe(0);
    const gray = new Uint8Array(r.stdout);
    expect(gray.length).toBe(37 * 5);
    const expected = Array.from({ length: 37 * 5 }, (_, k) => (maskBit(m, 1, Math.floor(k / 37), k % 37) ? 255 : 0));
    expect(Array.from(gray)).toEqual(expected);
    expect(expected.some((v) => v === 255) && expected.some((v) => v === 0)).toBe(true);
  });
});
