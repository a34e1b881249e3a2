import { describe, expect, it } from 'vitest';
import type { CliIo } from './command.ts';
import { jsonText, nonFiniteNumbers } from './json-output.ts';

function capture(): CliIo & { err: string } {
  const io = { err: '', stdout: () => undefined, stderr: (t: string) => void (io.err += t) };
  return io;
}

describe('CLI JSON output', () => {
  it('writes NaN and infinities as null (valid JSON for every reader) and names each on stderr', () => {
    const io = capture();
    const text = jsonText({ OVERALL: { eao: Number.NaN, acc: 0.5 }, seqs: [{ r: Number.POSITIVE_INFINITY }, { r: -1 / 0 }] }, io, 'metrics', 1);
    expect(JSON.parse(text)).toEqual({ OVERALL: { eao: null, acc: 0.5 }, seqs: [{ r: null }, { r: null }] });
    expect(io.err).toBe('warning: metrics: JSON has no NaN or infinity; written as null: OVERALL.eao (nan), seqs[0].r (inf), seqs[1].r (-inf)\n');
  });

  it('says nothing when every number is finite, and caps the list it names', () => {
    const io = capture();
    expect(jsonText({ a: 1, b: [null, 'x'] }, io, 'x')).toBe('{"a":1,"b":[null,"x"]}\n');
    expect(io.err).toBe('');
    jsonText(Array.from({ length: 8 }, () => Number.NaN), io, 'r.json');
    expect(io.err).toMatch(/^warning: r\.json: .*\[4\] \(nan\) and 3 more\n$/);
    expect(nonFiniteNumbers(Number.NaN)).toEqual([{ path: '(the value)', text: 'nan' }]);
  });
});
