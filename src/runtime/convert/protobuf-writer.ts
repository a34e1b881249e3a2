/**
 * A minimal Protocol Buffers (proto3) wire-format writer: just what encoding ONNX messages needs.
 *
 * Wire format reference: https://protobuf.dev/programming-guides/encoding/ — a field is a varint tag
 * `(fieldNumber << 3) | wireType` followed by its value; wire type 0 = varint, 2 = length-delimited
 * (strings, bytes, nested messages, packed repeated scalars), 5 = fixed 32-bit (float).
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const textEncoder = new TextEncoder();

/** Appends protobuf fields to a growable byte buffer; `finish()` returns the encoded message. */
export class ProtobufWriter {
  private buffer = new Uint8Array(256);
  private length = 0;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  /** Encoded bytes so far (a copy-free view; do not write after taking it). */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** An unsigned integer or int64 field (wire type 0). Negative values take 10 bytes (two's complement), as int64 does. */
  varintField(fieldNumber: number, value: number | bigint): this {
    this.tag(fieldNumber, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  /** A `float` field (wire type 5, little-endian IEEE 754 single). */
  floatField(fieldNumber: number, value: number): this {
    this.tag(fieldNumber, WIRE_FIXED32);
    this.scratch.setFloat32(0, value, true);
    this.raw(new Uint8Array(this.scratch.buffer, 0, 4));
    return this;
  }

  /** A `bytes` field (wire type 2). */
  bytesField(fieldNumber: number, bytes: Uint8Array): this {
    this.tag(fieldNumber, WIRE_LENGTH_DELIMITED);
    this.varint(bytes.length);
    this.raw(bytes);
    return this;
  }

  /** A `string` field, UTF-8 encoded (wire type 2). */
  stringField(fieldNumber: number, value: string): this {
    return this.bytesField(fieldNumber, textEncoder.encode(value));
  }

  /** An embedded message field: `write` fills a fresh writer whose bytes are length-prefixed here. */
  messageField(fieldNumber: number, write: (writer: ProtobufWriter) => void): this {
    const inner = new ProtobufWriter();
    write(inner);
    return this.bytesField(fieldNumber, inner.finish());
  }

  /** A packed repeated int64/int32 field (wire type 2 holding consecutive varints). Empty: nothing is written. */
  packedVarintField(fieldNumber: number, values: readonly (number | bigint)[]): this {
    if (values.length === 0) return this;
    const inner = new ProtobufWriter();
    for (const v of values) inner.varint(v);
    return this.bytesField(fieldNumber, inner.finish());
  }

  /** A packed repeated float field (wire type 2 holding consecutive little-endian floats). Empty: nothing is written. */
  packedFloatField(fieldNumber: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytesField(fieldNumber, bytes);
  }

  private tag(fieldNumber: number, wireType: number): void {
    if (!Number.isInteger(fieldNumber) || fieldNumber < 1 || fieldNumber > 0x1fffffff) {
      throw new RangeError(`protobuf: invalid field number ${fieldNumber}`);
    }
    this.varint(fieldNumber * 8 + wireType);
  }

  private varint(value: number | bigint): void {
    let v: bigint;
    if (typeof value === 'bigint') {
      v = value;
    } else {
      if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf: varint value ${value} is not a safe integer`);
      v = BigInt(value);
    }
    if (v < -(1n << 63n) || v >= 1n << 64n) throw new RangeError(`protobuf: varint value ${v} out of 64-bit range`);
    v = BigInt.asUintN(64, v);
    this.reserve(10);
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      this.buffer[this.length++] = v === 0n ? low : low | 0x80;
    } while (v !== 0n);
  }

  private raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
