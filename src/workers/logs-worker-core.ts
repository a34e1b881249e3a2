import { curveSeries, isPerEpochKey, type XAxis } from '../core/logs/curves.ts';
import { type JsonLog, JsonLogParser, numericKeys } from '../core/logs/json-log.ts';
import { smoothEma } from '../core/logs/smoothing.ts';
import { calTrainTime, TrainTimeError } from '../core/logs/train-time.ts';
import { decimateMinMax, sliceXRange } from '../core/logs/decimate.ts';
import type { CurveRequest, LogsRequest, LogsResponse, RunSummary, WorkerSeries } from './logs-protocol.ts';

/**
 * The logs worker's logic, apart from `self` so it runs in Node tests: streams a dropped file through
 * `Blob.stream()` and `TextDecoderStream` into the core parser (no whole-file string), reports progress,
 * stops on cancel, and serves curve data from the logs it keeps.
 */
export class LogsWorkerCore {
  private readonly logs = new Map<number, JsonLog>();
  private readonly parsing = new Map<number, { cancelled: boolean; cancel: () => void }>();

  constructor(
    private readonly post: (msg: LogsResponse, transfer?: Transferable[]) => void,
    private readonly progressEveryBytes = 1 << 20,
  ) {}

  handle(msg: LogsRequest): Promise<void> {
    switch (msg.type) {
      case 'parse':
        return this.parse(msg.runId, msg.file, msg.name);
      case 'cancel': {
        const job = this.parsing.get(msg.runId);
        if (job) {
          job.cancelled = true;
          job.cancel();
        }
        return Promise.resolve();
      }
      case 'remove':
        this.logs.delete(msg.runId);
        return Promise.resolve();
      case 'curves':
        this.curves(msg.reqId, msg.request);
        return Promise.resolve();
    }
  }

  /** The parsed log of a run (tests). */
  log(runId: number): JsonLog | undefined {
    return this.logs.get(runId);
  }

  private async parse(runId: number, file: Blob, name: string): Promise<void> {
    const parser = new JsonLogParser(name);
    let bytes = 0;
    let reported = 0;
    const total = file.size;
    const counted = file.stream().pipeThrough(
      new TransformStream({
        transform: (chunk: Uint8Array<ArrayBuffer>, controller) => {
          bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    const reader = counted.pipeThrough(new TextDecoderStream()).getReader();
    const job = { cancelled: false, cancel: () => void reader.cancel().catch(() => undefined) };
    this.parsing.set(runId, job);
    try {
      this.post({ type: 'progress', runId, bytes: 0, total });
      let lastYield = Date.now();
      for (;;) {
        const { done, value } = await reader.read();
        if (job.cancelled || done) break;
        parser.pushText(value);
        if (bytes - reported >= this.progressEveryBytes) {
          reported = bytes;
          this.post({ type: 'progress', runId, bytes, total });
        }
        // A stream that answers from memory resolves reads as microtasks only: give the message loop a turn now
        // and then, or a 'cancel' would wait for the end of the file.
        if (Date.now() - lastYield > 30) {
          await new Promise((r) => setTimeout(r, 0));
          lastYield = Date.now();
        }
      }
      if (job.cancelled) {
        this.post({ type: 'parse-failed', runId, cancelled: true, message: `${name}: reading cancelled` });
        return;
      }
      const log = parser.finish();
      if (log.epochs.length === 0) {
        const why = log.stats.malformedCount > 0 ? `; ${log.stats.malformedCount} malformed lines` : '';
        this.post({ type: 'parse-failed', runId, cancelled: false, message: `${name}: no line with an "epoch" — not an MMCV JSON log (*.log.json)${why}` });
        return;
      }
      this.logs.set(runId, log);
      this.post({ type: 'progress', runId, bytes: total, total });
      this.post({ type: 'parsed', runId, summary: summarize(log, total) });
    } catch (err) {
      this.post({ type: 'parse-failed', runId, cancelled: job.cancelled, message: `${name}: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      this.parsing.delete(runId);
    }
  }

  private curves(reqId: number, request: CurveRequest): void {
    try {
      const series: WorkerSeries[] = [];
      for (const s of request.series) {
        const log = this.logs.get(s.runId);
        if (!log) continue;
        const c = curveSeries(log, s.key, request.xAxis, s.label);
        const y = request.smoothing > 0 && !c.perEpoch ? smoothEma(c.y, request.smoothing) : c.y;
        const cut = request.xRange ? sliceXRange(c.x, y, request.xRange[0], request.xRange[1]) : { x: c.x, y };
        const d = decimateMinMax(cut.x, cut.y, request.maxPoints);
        series.push({ runId: s.runId, key: s.key, label: s.label, perEpoch: c.perEpoch, x: d.x, y: d.y, fullLength: cut.x.length });
      }
      this.post({ type: 'curves', reqId, xAxis: request.xAxis, series }, series.flatMap((s) => [s.x.buffer, s.y.buffer]));
    } catch (err) {
      this.post({ type: 'curves-failed', reqId, message: err instanceof Error ? err.message : String(err) });
    }
  }
}

function trainTime(log: JsonLog, includeOutliers: boolean) {
  try {
    return calTrainTime(log, includeOutliers);
  } catch (err) {
    if (err instanceof TrainTimeError) return null;
    throw err;
  }
}

export function summarize(log: JsonLog, bytes: number): RunSummary {
  const keys = numericKeys(log).filter((k) => k !== 'iter');
  const env = log.envInfo?.env_info;
  return {
    name: log.name,
    bytes,
    lines: log.stats.lines,
    epochs: log.epochs.length,
    numericKeys: keys,
    perEpochKeys: keys.filter((k) => isPerEpochKey(log, k)),
    malformedCount: log.stats.malformedCount,
    malformed: log.stats.malformed.slice(0, 20),
    trainTime: trainTime(log, false),
    trainTimeWithOutliers: trainTime(log, true),
    envInfo: typeof env === 'string' ? env : null,
  };
}

export type { XAxis };
