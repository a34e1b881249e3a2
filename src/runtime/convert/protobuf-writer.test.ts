/**
 * Wire-format bytes checked against the protobuf encoding spec's own examples
 * (https://protobuf.dev/programming-guides/encoding/).
 */
import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from './protobuf-writer.ts';

const bytes = (w: ProtobufWriter) => Array.from(w.finish());

describe('ProtobufWriter', () => {
  it('encodes the spec example "field 1 = 150" as 08 96 01', () => {
    expect(bytes(new ProtobufWriter().varintField(1, 150))).toEqual([0x08, 0x96, 0x01]);
  });

  it('encodes the spec example "field 2 = testing" as 12 07 74 65 73 74 69 6e 67', () => {
    expect(bytes(new ProtobufWriter().stringField(2, 'testing'))).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
  });

  it('encodes the spec example of an embedded message (field 3 holding 150 in field 1) as 1a 03 08 96 01', () => {
    expect(bytes(new ProtobufWriter().messageField(3, (m) => m.varintField(1, 150)))).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });

  it('encodes the spec example of packed repeated 3, 270, 86942 in field 4 as 22 06 03 8e 02 9e a7 05', () => {
    expect(bytes(new ProtobufWriter().packedVarintField(4, [3, 270, 86942]))).toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
  });

  it('writes a negative int64 as ten bytes of two\'s complement', () => {
    expect(bytes(new ProtobufWriter().varintField(1, -1))).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(bytes(new ProtobufWriter().varintField(1, -(2n ** 63n)))).toEqual([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
  });

  it('writes 0 and values past 2^32 as plain varints', () => {
    expect(bytes(new ProtobufWriter().varintField(1, 0))).toEqual([0x08, 0x00]);
    expect(bytes(new ProtobufWriter().varintField(1, 2 ** 35))).toEqual([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
  });

  it('writes floats as fixed32 little-endian (wire type 5)', () => {
    expect(bytes(new ProtobufWriter().floatField(2, 1))).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
    expect(bytes(new ProtobufWriter().packedFloatField(7, [1, -2]))).toEqual([0x3a, 0x08, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
  });

  it('uses multi-byte tags for field numbers ≥ 16 and multi-byte lengths past 127 bytes', () => {
    expect(bytes(new ProtobufWriter().varintField(20, 7))).toEqual([0xa0, 0x01, 0x07]);
    const long = new ProtobufWriter().bytesField(9, new Uint8Array(300).fill(0xab)).finish();
    expect(Array.from(long.subarray(0, 3))).toEqual([0x4a, 0xac, 0x02]);
    expect(long.length).toBe(303);
    expect(long.subarray(3).every((b) => b === 0xab)).toBe(true);
  });

  it('writes nothing for empty packed fields, UTF-8 for strings, and grows past its initial buffer', () => {
    expect(bytes(new ProtobufWriter().packedVarintField(1, []).packedFloatField(2, []))).toEqual([]);
    expect(bytes(new ProtobufWriter().stringField(1, 'é'))).toEqual([0x0a, 0x02, 0xc3, 0xa9]);
    const w = new ProtobufWriter();
    for (let i = 0; i < 1000; i++) w.varintField(1, 300);
    expect(w.finish().length).toBe(3000);
  });

  it('rejects values a varint cannot hold and invalid field numbers', () => {
    expect(() => new ProtobufWriter().varintField(1, 1.5)).toThrow(/safe integer/);
    expect(() => new ProtobufWriter().varintField(1, 2n ** 64n)).toThrow(/64-bit/);
    expect(() => new ProtobufWriter().varintField(0, 1)).toThrow(/field number/);
  });
});
