import { open, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Width and height from a JPEG (SOFn marker) or PNG (IHDR) header, without decoding; undefined if neither. */
export function imageSizeFromHeader(buf: Uint8Array): [number, number] | undefined {
  if (buf.length > 24 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    return [dv.getUint32(16), dv.getUint32(20)];
  }
  if (buf[0] !== 0xff || buf[1] !== 0xd8) return undefined;
  let p = 2;
  while (p + 9 < buf.length) {
    if (buf[p] !== 0xff) {
      p++;
      continue;
    }
    const marker = buf[p + 1]!;
    const len = (buf[p + 2]! << 8) | buf[p + 3]!;
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const h = (buf[p + 5]! << 8) | buf[p + 6]!;
      const w = (buf[p + 7]! << 8) | buf[p + 8]!;
      return [w, h];
    }
    p += 2 + len;
  }
  return undefined;
}

/** Frame size of a VOT sequence from its first image (`SEQ/color/*.jpg` or `SEQ/*.jpg`), as MMTracking reads it. */
export async function sequenceFrameSize(seqDir: string): Promise<[number, number] | undefined> {
  for (const dir of [path.join(seqDir, 'color'), seqDir]) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => /\.(jpe?g|png)$/i.test(n)).sort();
    } catch {
      continue;
    }
    if (names.length === 0) continue;
    const fh = await open(path.join(dir, names[0]!), 'r');
    try {
      const buf = new Uint8Array(256 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return imageSizeFromHeader(buf.subarray(0, bytesRead));
    } finally {
      await fh.close();
    }
  }
  return undefined;
}
