import { describe, expect, it } from 'vitest';
import { kernelSource, wgslBindings, wgslUniforms } from './kernel-program.ts';

describe('kernel program shorthand', () => {
  it('reads bindings and uniforms in order, with their access', () => {
    expect(wgslBindings('frame: texture, boxes: f32, state: atomic<u32> rw, keep: i32 rw')).toEqual([
      { kind: 'texture', name: 'frame' },
      { kind: 'storage', name: 'boxes', type: 'f32', access: 'read' },
      { kind: 'storage', name: 'state', type: 'atomic<u32>', access: 'read_write' },
      { kind: 'storage', name: 'keep', type: 'i32', access: 'read_write' },
    ]);
    expect(wgslUniforms('n: u32, scoreThreshold: f32, level: i32')).toEqual([
      { name: 'n', type: 'u32' },
      { name: 'scoreThreshold', type: 'f32' },
      { name: 'level', type: 'i32' },
    ]);
  });

  it('generates the declarations WGSL expects', () => {
    const src = kernelSource({ name: 'k', workgroupSize: 64, bindings: wgslBindings('a: f32, b: u32 rw'), uniforms: wgslUniforms('n: u32'), main: 'b[globalIndex] = u32(a[globalIndex]) + uniforms.n;' });
    expect(src).toContain('@group(0) @binding(0) var<uniform> uniforms: Uniforms;');
    expect(src).toContain('@group(0) @binding(1) var<storage, read> a: array<f32>;');
    expect(src).toContain('@group(0) @binding(2) var<storage, read_write> b: array<u32>;');
  });

  it('refuses a malformed entry, naming it', () => {
    expect(() => wgslBindings('boxes: f64')).toThrow("kernel binding 'boxes: f64'");
    expect(() => wgslBindings('boxes f32')).toThrow("kernel binding 'boxes f32'");
    expect(() => wgslUniforms('n: u32, x: vec2f')).toThrow("kernel uniform 'x: vec2f'");
  });
});
