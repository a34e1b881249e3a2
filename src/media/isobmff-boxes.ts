/** One top-level ISO BMFF (MP4/MOV) box: its four-character type, offset and declared size in bytes. */
export interface BoxHeader {
  type: string;
  offset: number;
  size: number;
}

/** Anything with a size and ranged reads: a `Blob`/`File` in the browser, a buffer wrapper in tests. */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function blobByteSource(blob: Blob): ByteSource {
  return { size: blob.size, read: async (o, n) => new Uint8Array(await blob.slice(o, o + n).arrayBuffer()) };
}

const PRINTABLE = /^[\x20-\x7e]{4}$/;

/**
 * Walks the top-level boxes by their headers only (a few bytes each), to explain why an MP4 won't open:
 * a missing `moov` (recording never finalised) or a box running past the end of the file (truncated).
 * Returns null when the bytes don't look like ISO BMFF at all.
 */
export async function scanTopLevelBoxes(src: ByteSource, maxBoxes = 10_000): Promise<{ boxes: BoxHeader[]; truncated: boolean } | null> {
  const boxes: BoxHeader[] = [];
  let offset = 0;
  while (offset + 8 <= src.size && boxes.length < maxBoxes) {
    const h = await src.read(offset, 16);
    const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
    let size = view.getUint32(0);
    const type = String.fromCharCode(h[4] ?? 0, h[5] ?? 0, h[6] ?? 0, h[7] ?? 0);
    if (!PRINTABLE.test(type)) return boxes.length ? { boxes, truncated: false } : null;
    if (size === 1) {
      if (h.byteLength < 16) return { boxes, truncated: true };
      size = Number(view.getBigUint64(8));
    } else if (size === 0) {
      size = src.size - offset; // box extends to the end of the file
    }
    if (size < 8) return boxes.length ? { boxes, truncated: false } : null;
    boxes.push({ type, offset, size });
    if (offset + size > src.size) return { boxes, truncated: true };
    offset += size;
  }
  if (boxes.length === 0 || boxes[0]?.type !== 'ftyp' && !boxes.some((b) => b.type === 'moov' || b.type === 'mdat')) return null;
  return { boxes, truncated: false };
}
