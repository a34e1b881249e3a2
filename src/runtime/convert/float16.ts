/**
 * IEEE 754 binary16 → binary32, exactly (every half value is representable as a single), including
 * subnormals, infinities and NaN payloads. TFJS stores `quantization: {dtype: 'float16'}` weights this way.
 * Reference: IEEE 754-2008 §3.6; TFJS's decoder: tfjs-core/src/io/io_utils.ts (`getFloat16Decoder`).
 */

/** Decodes `count` little-endian float16 values from `bytes` starting at `byteOffset`. */
export function decodeFloat16(bytes: Uint8Array, byteOffset = 0, count = Math.floor((bytes.length - byteOffset) / 2)): Float32Array {
  if (byteOffset + count * 2 > bytes.length) {
    throw new RangeError(`float16: ${count} values at byte ${byteOffset} overrun a ${bytes.length}-byte buffer`);
  }
  const out = new Float32Array(count);
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0; i < count; i++) {
    const p = byteOffset + i * 2;
    outBits[i] = float16BitsToFloat32Bits(bytes[p]! | (bytes[p + 1]! << 8));
  }
  return out;
}

/** The float32 bit pattern of the float16 with bit pattern `h` (0 ≤ h < 2^16). */
export function float16BitsToFloat32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >> 10) & 0x1f;
  let mantissa = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0; // inf / NaN (payload kept)
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0; // normal: rebias 15 → 127
  if (mantissa === 0) return sign >>> 0; // ±0
  // Subnormal half (mantissa · 2^-24): normalise it, it is a normal single.
  let e = 113; // 127 - 14: exponent of 2^-14, the subnormal scale
  while ((mantissa & 0x400) === 0) {
    mantissa <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((mantissa & 0x3ff) << 13)) >>> 0;
}
