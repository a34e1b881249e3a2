import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeMalformed, JsonLogParser, type JsonLog, numericKeys, parseJsonLogText } from './json-log.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const RUN1 = '../shared/logs/dff_r50_run1.log.json';
const run1Text = readFileSync(resolve(repoRoot, RUN1), 'utf8');

/** The log as plain data: epoch → key → values, for comparing parses. */
function snapshot(log: JsonLog) {
  return {
    envInfo: log.envInfo,
    epochs: log.epochs.map((e) => ({ epoch: e.epoch, rows: e.rowCount, columns: Object.fromEntries([...e.columns].map(([k, c]) => [k, c.toArray()])) })),
    malformed: log.stats.malformed,
    malformedCount: log.stats.malformedCount,
    lines: log.stats.lines,
  };
}

describe('JSON log parsing (load_json_logs)', () => {
  it('groups the shared log by epoch and key, values in line order', () => {
    const log = parseJsonLogText(RUN1, run1Text);
    // The expectation, built independently: JSON.parse of every line, grouped by hand.
    const lines = run1Text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log.envInfo).toEqual(lines[0]);
    const expected = new Map<number, Map<string, unknown[]>>();
    for (const l of lines.slice(1)) {
      const { epoch, ...rest } = l;
      const byKey = expected.get(epoch as number) ?? new Map<string, unknown[]>();
      expected.set(epoch as number, byKey);
      for (const [k, v] of Object.entries(rest)) byKey.set(k, [...(byKey.get(k) ?? []), v]);
    }
    expect(log.epochs.map((e) => e.epoch)).toEqual([...expected.keys()]);
    for (const e of log.epochs) {
      const want = expected.get(e.epoch)!;
      expect([...e.columns.keys()]).toEqual([...want.keys()]);
      for (const [k, values] of want) expect(e.columns.get(k)!.toArray()).toEqual(values);
    }
    expect(log.epochs).toHaveLength(7);
    expect(log.stats).toMatchObject({ lines: 428, epochLines: 427, malformedCount: 0, blankLines: 0, linesWithoutEpoch: 0 });
  });

  it('lists the numeric keys (strings such as mode and bbox_mAP_copypaste excluded)', () => {
    const keys = numericKeys(parseJsonLogText(RUN1, run1Text));
    expect(keys).toContain('loss_cls');
    expect(keys).toContain('bbox_mAP_50');
    expect(keys).toContain('memory');
    expect(keys).not.toContain('mode');
    expect(keys).not.toContain('bbox_mAP_copypaste');
  });

  it('skips and counts malformed lines with their line numbers', () => {
    const text = [
      '{"env_info": "x"}',
      '{"mode": "train", "epoch": 1, "iter": 10, "time": 0.5}',
      '{"mode": "train", "epoch": 1, "iter": 20, "time": 0.5', // truncated
      '[1, 2]',
      '',
      '{"mode": "train", "epoch": "one", "iter": 30}',
      'garbage',
      '{"mode": "train", "iter": 40}', // no epoch: skipped like MMTracking, not malformed
      '{"mode": "train", "epoch": 1, "iter": 50, "time": 0.25}',
      '{"mode": "train", "epoch": 2, "iter": 10, "ti', // cut off while being written
    ].join('\n');
    const log = parseJsonLogText('bad.log.json', text);
    expect(log.stats.malformedCount).toBe(5);
    expect(log.stats.malformed.map((m) => m.line)).toEqual([3, 4, 6, 7, 10]);
    expect(log.stats.malformed[1]!.reason).toBe('not a JSON object');
    expect(log.stats.malformed[2]!.reason).toBe('"epoch" is "one", not a number');
    expect(log.stats.malformed[0]!.reason).toMatch(/^not valid JSON/);
    expect(log.stats).toMatchObject({ lines: 10, blankLines: 1, linesWithoutEpoch: 1, epochLines: 2 });
    expect(log.epochs[0]!.columns.get('time')!.toArray()).toEqual([0.5, 0.25]);
    expect(describeMalformed(log)[0]).toMatch(/^bad\.log\.json:3: not valid JSON/);
  });

  it('keeps only the first malformed lines but counts all', () => {
    const parser = new JsonLogParser('many.log.json', { maxMalformedKept: 2 });
    parser.pushText('x\n'.repeat(10));
    const log = parser.finish();
    expect(log.stats.malformedCount).toBe(10);
    expect(log.stats.malformed).toHaveLength(2);
    expect(describeMalformed(log)).toEqual(['many.log.json:1: not valid JSON: ' + log.stats.malformed[0]!.reason.slice('not valid JSON: '.length), expect.stringMatching(/^many\.log\.json:2: /), 'many.log.json: ... and 8 more malformed lines']);
  });

  it("reads Python's NaN and Infinity (json.dumps writes them for a diverged loss)", () => {
    const log = parseJsonLogText('nan.log.json', '{"mode": "train", "epoch": 1, "iter": 1, "loss": NaN, "grad_norm": Infinity, "x": -Infinity, "s": "NaN here"}\n');
    const e = log.epochs[0]!;
    expect(e.columns.get('loss')!.toArray()).toEqual([Number.NaN]);
    expect(e.columns.get('grad_norm')!.toArray()).toEqual([Number.POSITIVE_INFINITY]);
    expect(e.columns.get('x')!.toArray()).toEqual([Number.NEGATIVE_INFINITY]);
    expect(e.columns.get('s')!.toArray()).toEqual(['NaN here']);
    expect(log.stats.malformedCount).toBe(0);
  });

  it('handles CRLF line ends, a BOM and a missing final newline', () => {
    const log = parseJsonLogText('crlf.log.json', '\uFEFF{"env_info": "e"}\r\n{"epoch": 1, "mode": "train", "iter": 1, "loss": 2}\r\n{"epoch": 1, "mode": "train", "iter": 2, "loss": 1}');
    expect(log.envInfo).toEqual({ env_info: 'e' });
    expect(log.epochs[0]!.columns.get('loss')!.toArray()).toEqual([2, 1]);
    expect(log.stats.malformedCount).toBe(0);
  });

  it('pairs values with their rows when a key is missing from some lines', () => {
    const log = parseJsonLogText('sparse.log.json', ['{"epoch": 1, "iter": 1, "a": 1}', '{"epoch": 1, "iter": 2}', '{"epoch": 1, "iter": 3, "a": 3}'].join('\n'));
    const a = log.epochs[0]!.columns.get('a')!;
    expect([a.rowAt(0), a.rowAt(1)]).toEqual([0, 2]);
    expect([a.indexOfRow(0), a.indexOfRow(1), a.indexOfRow(2)]).toEqual([0, -1, 1]);
  });

  it('counts an over-long line as malformed without keeping it', () => {
    const parser = new JsonLogParser('long.log.json', { maxLineLength: 100 });
    parser.pushText('{"epoch": 1, "iter": 1, "a": 1}\n{"epoch": 1, "s": "');
    for (let i = 0; i < 50; i++) parser.pushText('x'.repeat(10));
    parser.pushText('"}\n{"epoch": 1, "iter": 3, "a": 3}\n');
    const log = parser.finish();
    expect(log.stats.malformed).toEqual([{ line: 2, reason: 'line is 521 characters long, over the limit' }]);
    expect(log.epochs[0]!.columns.get('a')!.toArray()).toEqual([1, 3]);
  });
});

describe('streaming', () => {
  const whole = snapshot(parseJsonLogText(RUN1, run1Text));

  it('gives the same result for any split of the text into chunks', () => {
    const sample = run1Text.slice(0, 3000);
    const reference = snapshot(parseJsonLogText('s', sample));
    for (let cut = 1; cut < sample.length; cut += 7) {
      const parser = new JsonLogParser('s');
      parser.pushText(sample.slice(0, cut));
      parser.pushText(sample.slice(cut));
      expect(snapshot(parser.finish())).toEqual(reference);
    }
  });

  it('gives the same result for chunks of 1, 13 and 4096 characters', () => {
    for (const size of [1, 13, 4096]) {
      const parser = new JsonLogParser(RUN1);
      for (let i = 0; i < run1Text.length; i += size) parser.pushText(run1Text.slice(i, i + size));
      expect(snapshot(parser.finish())).toEqual(whole);
    }
  });

  it('decodes UTF-8 split inside a multi-byte character', () => {
    const text = '{"env_info": "GPU 0: Tesla V100 — ünïcödé 🚀"}\n{"epoch": 1, "mode": "train", "iter": 1, "name": "数据 ✓", "loss": 1.5}\n';
    const bytes = new TextEncoder().encode(text);
    const expected = snapshot(parseJsonLogText('u', text));
    expect(expected.envInfo).toEqual({ env_info: 'GPU 0: Tesla V100 — ünïcödé 🚀' });
    for (let cut = 1; cut < bytes.length; cut++) {
      const parser = new JsonLogParser('u', { decoder: new TextDecoder() });
      parser.pushBytes(bytes.subarray(0, cut));
      parser.pushBytes(bytes.subarray(cut));
      expect(snapshot(parser.finish())).toEqual(expected);
    }
    // Byte by byte: every multi-byte character is split.
    const parser = new JsonLogParser('u', { decoder: new TextDecoder() });
    for (let i = 0; i < bytes.length; i++) parser.pushBytes(bytes.subarray(i, i + 1));
    expect(snapshot(parser.finish())).toEqual(expected);
  });
});
