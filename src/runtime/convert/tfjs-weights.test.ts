/** Weight decoding against TFJS's own decoder (`tf.io.decodeWeights`), and float16 against IEEE 754. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { decodeFloat16, float16BitsToFloat32Bits } from './float16.ts';
import { decodeTfjsWeights } from './tfjs-weights.ts';
import type { TfWeightSpec } from './tfjs-graph-model.ts';

const bitsToFloat = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0]!;
const float16 = (h: number) => bitsToFloat(float16BitsToFloat32Bits(h));

describe('float16 → float32', () => {
  it('decodes IEEE 754 binary16 landmarks exactly', () => {
    expect(float16(0x3c00)).toBe(1);
    expect(float16(0xc000)).toBe(-2);
    expect(float16(0x7bff)).toBe(65504); // largest finite
    expect(float16(0x0400)).toBe(2 ** -14); // smallest normal
    expect(float16(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(float16(0x03ff)).toBe(1023 * 2 ** -24); // largest subnormal
    expect(float16(0x3555)).toBe(0.333251953125);
    expect(Object.is(float16(0x8000), -0)).toBe(true);
    expect(float16(0x7c00)).toBe(Infinity);
    expect(float16(0xfc00)).toBe(-Infinity);
    expect(float16(0x7e00)).toBeNaN();
  });

  it('matches TFJS\'s float16 weight decoder on all 65 536 bit patterns', () => {
    const halves = new Uint16Array(65536).map((_, i) => i);
    const bytes = new Uint8Array(halves.buffer);
    const ours = decodeFloat16(bytes);
    const spec: TfWeightSpec = { name: 'h', shape: [65536], dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } };
    const theirs = tf.io.decodeWeights(bytes.buffer, [spec])['h']!.dataSync();
    for (let i = 0; i < 65536; i++) {
      if (Number.isNaN(theirs[i])) expect(ours[i], `0x${i.toString(16)}`).toBeNaN();
      else if (ours[i] !== theirs[i]) expect(ours[i], `0x${i.toString(16)}`).toBe(theirs[i]);
    }
  });

  it('decodes at an offset and rejects an overrun', () => {
    expect(Array.from(decodeFloat16(Uint8Array.from([0xff, 0x00, 0x3c, 0x00, 0xc0]), 1, 2))).toEqual([1, -2]);
    expect(() => decodeFloat16(new Uint8Array(4), 2, 2)).toThrow(/overrun/);
  });
});

describe('decodeTfjsWeights', () => {
  const specs: TfWeightSpec[] = [
    { name: 'f32', shape: [2], dtype: 'float32' },
    { name: 'i32', shape: [3], dtype: 'int32' },
    { name: 'f16', shape: [2, 1], dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } },
    { name: 'u8', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1, original_dtype: 'float32' } },
    { name: 'u16', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.25, min: 2, original_dtype: 'float32' } },
    { name: 'u8int', shape: [2], dtype: 'int32', quantization: { dtype: 'uint8', scale: 0.3, min: -1, original_dtype: 'int32' } },
    { name: 'flag', shape: [2], dtype: 'bool' },
  ];
  const parts = [
    new Uint8Array(Float32Array.from([1.5, -3]).buffer),
    new Uint8Array(Int32Array.from([7, -8, 2 ** 30]).buffer),
    new Uint8Array(Uint16Array.from([0x3c00, 0xb800]).buffer),
    Uint8Array.from([0, 3, 255]),
    new Uint8Array(Uint16Array.from([0, 65535]).buffer),
    Uint8Array.from([4, 10]),
    Uint8Array.from([1, 0]),
  ];
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => (all.set(p, offset), offset + p.length), 0);

  it('decodes float32, int32, bool, float16 and affine uint8/uint16 weights as TFJS does', () => {
    const ours = decodeTfjsWeights([{ paths: ['w.bin'], weights: specs }], [all], 'model.json');
    const theirs = tf.io.decodeWeights(all.slice().buffer, specs);
    for (const spec of specs) {
      const t = ours.get(spec.name)!;
      expect(t.shape, spec.name).toEqual(spec.shape);
      expect(Array.from(t.data), spec.name).toEqual(Array.from(theirs[spec.name]!.dataSync()));
    }
    expect(ours.get('f16')!.dtype).toBe('float32');
    expect(ours.get('u8int')!.dtype).toBe('int32');
    expect(Array.from(ours.get('f16')!.data)).toEqual([1, -0.5]);
  });

  it('reads each group from its own shard bytes', () => {
    const ours = decodeTfjsWeights(
      [
        { paths: ['a.bin'], weights: [specs[0]!] },
        { paths: ['b1.bin', 'b2.bin'], weights: [specs[1]!] },
      ],
      [parts[0]!, parts[1]!],
      'model.json',
    );
    expect(Array.from(ours.get('i32')!.data)).toEqual([7, -8, 2 ** 30]);
  });

  it('names the file and the weight when the bytes do not match the manifest', () => {
    expect(() => decodeTfjsWeights([{ paths: ['w.bin'], weights: specs }], [all.subarray(0, 20)], 'centernet.bin')).toThrow(
      /centernet\.bin: weight "f16" needs bytes 20\.\.24 but w\.bin has 20 bytes/,
    );
    expect(() => decodeTfjsWeights([{ paths: ['w.bin'], weights: specs }], [new Uint8Array(all.length + 4)], 'centernet.bin')).toThrow(
      /describes 35 bytes but w\.bin has 39/,
    );
    expect(() => decodeTfjsWeights([{ paths: ['w.bin'], weights: [{ name: 's', shape: [1], dtype: 'string' }] }], [all], 'x.bin')).toThrow(/dtype string/);
    expect(() => decodeTfjsWeights([{ paths: ['w.bin'], weights: specs }], [], 'x.bin')).toThrow(/1 weight groups in the manifest, 0 given/);
  });
});
