import { encodeColumnMajor } from '../datasets/rle.ts';

/**
 * Binary instance masks at frame size, one bit per pixel: `count` masks of `height` rows, each row `wordsPerRow`
 * 32-bit words (pixel x is bit `x % 32` of word `x >> 5`). A frame of 100 masks at 1280x720 is 11.5 MB as bytes and
 * 1.2 MB here, which is what the GPU writes and what comes back from it.
 */
export interface BitMasks {
  count: number;
  width: number;
  height: number;
  wordsPerRow: number;
  /** `[count * height * wordsPerRow]` words. */
  data: Uint32Array;
}

export function emptyBitMasks(count: number, width: number, height: number): BitMasks {
  const wordsPerRow = Math.ceil(width / 32);
  return { count, width, height, wordsPerRow, data: new Uint32Array(count * height * wordsPerRow) };
}

export function maskBit(m: BitMasks, i: number, y: number, x: number): number {
  return (m.data[(i * m.height + y) * m.wordsPerRow + (x >>> 5)]! >>> (x & 31)) & 1;
}

/** Set pixels of mask `i`. */
export function maskArea(m: BitMasks, i: number): number {
  let n = 0;
  const words = m.height * m.wordsPerRow;
  for (let k = i * words; k < (i + 1) * words; k++) {
    let v = m.data[k]!;
    while (v) {
      v &= v - 1;
      n++;
    }
  }
  return n;
}

/** Masks `keep` (in that order) of `m`. */
export function selectMasks(m: BitMasks, keep: ArrayLike<number>): BitMasks {
  const words = m.height * m.wordsPerRow;
  const out = emptyBitMasks(keep.length, m.width, m.height);
  for (let j = 0; j < keep.length; j++) out.data.set(m.data.subarray(keep[j]! * words, (keep[j]! + 1) * words), j * words);
  return out;
}

/** COCO's run lengths of mask `i` (column-major, starting with a run of 0s; see src/core/datasets/rle.ts). */
export function maskRleCounts(m: BitMasks, i: number): Uint32Array {
  const columnMajor = new Uint8Array(m.width * m.height);
  for (let x = 0; x < m.width; x++) for (let y = 0; y < m.height; y++) columnMajor[x * m.height + y] = maskBit(m, i, y, x);
  return encodeColumnMajor(columnMajor, m.height, m.width).counts;
}

/**
 * Instance masks as COCO run lengths (column-major, from a run of 0s), one `Uint32Array` per mask: what a frame's
 * masks cost to keep for a whole video (a person's mask is a few hundred runs, not a frame of bits).
 */
export interface RleMasks {
  width: number;
  height: number;
  counts: Uint32Array[];
}

export function toRleMasks(m: BitMasks): RleMasks {
  return { width: m.width, height: m.height, counts: Array.from({ length: m.count }, (_, i) => maskRleCounts(m, i)) };
}

/** Masks `indices` of `m` unpacked to bits (all by default). */
export function fromRleMasks(m: RleMasks, indices: readonly number[] = m.counts.map((_, i) => i)): BitMasks {
  const out = emptyBitMasks(indices.length, m.width, m.height);
  indices.forEach((k, j) => {
    const counts = m.counts[k]!;
    let p = 0;
    for (let r = 0; r < counts.length; r++) {
      const end = p + counts[r]!;
      if (r % 2 === 1) {
        for (let q = p; q < end; q++) {
          const x = Math.floor(q / m.height);
          const y = q - x * m.height;
          out.data[(j * m.height + y) * out.wordsPerRow + (x >>> 5)]! |= 1 << (x & 31);
        }
      }
      p = end;
    }
  });
  return out;
}

/** Set pixels of an RLE mask. */
export function rleMaskArea(counts: Uint32Array): number {
  let a = 0;
  for (let i = 1; i < counts.length; i += 2) a += counts[i]!;
  return a;
}
