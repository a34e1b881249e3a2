/**
 * One instance mask as a 1-bit grayscale PNG (0 = background, 255 = the instance), as users of MMTracking's VIS ask
 * for per-instance mask files (upstream issue #593). The zlib compression is injected: Node's `zlib.deflateSync` in
 * the CLI, `CompressionStream('deflate')` in the browser. https://www.w3.org/TR/png/
 */
import { type BitMasks, maskBit } from '../core/structures/bit-masks.ts';

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO-HDLC), as PNG and ZIP use it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Filter-0 scanlines of mask `i`, 1 bit per pixel, the leftmost pixel in the most significant bit. */
export function maskScanlines(m: BitMasks, i: number): Uint8Array {
  const stride = 1 + Math.ceil(m.width / 8);
  const raw = new Uint8Array(stride * m.height);
  for (let y = 0; y < m.height; y++) for (let x = 0; x < m.width; x++) if (maskBit(m, i, y, x)) raw[y * stride + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
  return raw;
}

/** Mask `i` of `m` as PNG bytes. */
export async function maskPng(m: BitMasks, i: number, deflate: (raw: Uint8Array) => Uint8Array | Promise<Uint8Array>): Promise<Uint8Array> {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, m.width);
  view.setUint32(4, m.height);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, grayscale, deflate, filter 0, no interlace
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', await deflate(maskScanlines(m, i))), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
