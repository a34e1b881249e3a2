import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogsWorkerCore } from './logs-worker-core.ts';
import { type CallContext, CancelledError } from './rpc.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const run1 = readFileSync(resolve(repoRoot, '../shared/logs/dff_r50_run1.log.json'));
const run2 = readFileSync(resolve(repoRoot, '../shared/logs/dff_r50_run2.log.json'));

/** Re-cuts a byte stream into pieces of `size` bytes (Node's Blob.stream() hands over large chunks). */
function rechunk(size: number): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      for (let i = 0; i < chunk.byteLength; i += size) controller.enqueue(chunk.subarray(i, i + size));
    },
  });
}

/** A call's context as the RPC server makes it: progress collected, a signal to cancel, transfers ignored. */
function harness(progressEveryBytes = 1 << 20) {
  const progress: number[] = [];
  const abort = new AbortController();
  const ctx = <P,>(onProgress: (p: P) => void = () => undefined): CallContext<P> => ({ signal: abort.signal, progress: onProgress, transfer: () => undefined });
  const core = new LogsWorkerCore(progressEveryBytes);
  const parse = (file: Blob, name: string, runId = 1) => core.parse({ runId, file, name }, ctx<{ bytes: number }>((p) => progress.push(p.bytes)));
  return { core, progress, parse, abort, ctx };
}

describe('logs worker', () => {
  it('parses a dropped file and summarises it', async () => {
    const { parse, progress: progressSeen } = harness(16 * 1024);
    // Read in 8 KiB pieces, as a browser's File.stream() delivers a big file.
    const pieces = Array.from({ length: Math.ceil(run1.length / 8192) }, (_, i) => run1.subarray(i * 8192, (i + 1) * 8192));
    const file = { size: run1.length, stream: () => new Blob(pieces).stream().pipeThrough(rechunk(8192)) } as unknown as Blob;
    const summary = await parse(file, 'dff_r50_run1.log.json');
    expect(summary).toMatchObject({
      name: 'dff_r50_run1.log.json',
      bytes: run1.length,
      lines: 428,
      epochs: 7,
      malformedCount: 0,
      envInfo: expect.stringContaining('MMTracking: 0.8.0') as string,
    });
    expect(summary.numericKeys).toContain('loss_cls');
    expect(summary.numericKeys).not.toContain('iter');
    expect(summary.perEpochKeys).toEqual(['bbox_mAP', 'bbox_mAP_50', 'bbox_mAP_75', 'bbox_mAP_s', 'bbox_mAP_m', 'bbox_mAP_l']);
    expect(summary.trainTime?.slowestEpoch).toBe(6);
    // Progress grows to the file size.
    const progress = progressSeen;
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(run1.length);
    expect(progress.length).toBeGreaterThan(3);
  });

  it('counts malformed lines in a dropped file', async () => {
    const { parse } = harness();
    const text = `${run2.toString('utf8')}{"mode": "train", "epoch": 8, "iter": 5\nnot json\n`;
    const summary = await parse(new Blob([text]), 'run2.log.json');
    expect([summary.malformedCount, summary.malformed.map((m) => m.line)]).toEqual([2, [429, 430]]);
  });

  it('compares runs: curve data per run and key, values as in the logs', async () => {
    const { core, parse, ctx } = harness();
    await parse(new Blob([run1]), 'run1', 1);
    await parse(new Blob([run2]), 'run2', 2);
    const reply = core.curves(
      {
        series: [
          { runId: 1, key: 'loss_cls', label: 'run1_loss_cls' },
          { runId: 2, key: 'loss_cls', label: 'run2_loss_cls' },
          { runId: 1, key: 'bbox_mAP_50', label: 'run1_bbox_mAP_50' },
          { runId: 2, key: 'bbox_mAP_50', label: 'run2_bbox_mAP_50' },
        ],
        xAxis: 'iter',
        smoothing: 0,
        xRange: null,
        maxPoints: 4000,
      },
      ctx(),
    );
    expect(reply.series.map((s) => [s.label, s.x.length, s.perEpoch])).toEqual([
      ['run1_loss_cls', 420, false],
      ['run2_loss_cls', 420, false],
      ['run1_bbox_mAP_50', 7, true],
      ['run2_bbox_mAP_50', 7, true],
    ]);
    const lines = run2
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l) as Record<string, number | string>);
    expect(Array.from(reply.series[1]!.y)).toEqual(lines.filter((l) => l.mode === 'train').map((l) => l.loss_cls));
    expect(Array.from(reply.series[3]!.y)).toEqual(lines.filter((l) => l.mode === 'val').map((l) => l.bbox_mAP_50));
  });

  it('zooms (x range) and thins out (maxPoints)', async () => {
    const { core, parse, ctx } = harness();
    await parse(new Blob([run1]), 'run1', 1);
    const reply = core.curves({ series: [{ runId: 1, key: 'loss', label: 'l' }], xAxis: 'iter', smoothing: 0.6, xRange: [3000, 6000], maxPoints: 24 }, ctx());
    const s = reply.series[0]!;
    expect(s.fullLength).toBe(63); // 3000..6000 (61 points) plus one neighbour on each side
    expect(s.x.length).toBeLessThanOrEqual(24);
    expect(s.x[0]).toBe(2950);
    expect(s.x.at(-1)).toBe(6050);
  });

  it('cancels a parse in progress', async () => {
    const { core, parse, abort } = harness();
    // A stream that never ends on its own: only cancel stops it.
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new TextEncoder().encode('{"mode": "train", "epoch": 1, "iter": 1, "time": 0.5}\n'));
      },
    });
    const file = { size: 1e9, stream: () => endless } as unknown as Blob;
    const parsing = parse(file, 'endless.log.json', 3).catch((e: unknown) => e);
    while (pulls < 50) await new Promise((r) => setTimeout(r, 1));
    abort.abort();
    const err = await parsing;
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as Error).message).toBe('endless.log.json: reading cancelled');
    expect(core.log(3)).toBeUndefined();
  });

  it('refuses a file that is not an MMCV log, naming it', async () => {
    const { parse } = harness();
    await expect(parse(new Blob(['hello\nworld\n']), 'notes.json', 4)).rejects.toThrow(/^notes\.json: no line with an "epoch".*2 malformed lines$/);
  });
});
