import { curveSeries, isPerEpochKey, type XAxis } from '../core/logs/curves.ts';
import { type JsonLog, JsonLogParser, numericKeys } from '../core/logs/json-log.ts';
import { smoothEma } from '../core/logs/smoothing.ts';
import { calTrainTime, TrainTimeError } from '../core/logs/train-time.ts';
import { decimateMinMax, sliceXRange } from '../core/logs/decimate.ts';
import type { CurveRequest, LogsApi, RunSummary, WorkerSeries } from './logs-protocol.ts';
import { type CallContext, CancelledError, type Handlers } from './rpc.ts';

/**
 * The logs worker's handlers, apart from `self` so they run in Node tests: streams a dropped file through
 * `Blob.stream()` and `TextDecoderStream` into the core parser (no whole-file string), reports progress,
 * stops on cancel, and serves curve data from the logs it keeps.
 */
export class LogsWorkerCore implements Handlers<LogsApi> {
  private readonly logs = new Map<number, JsonLog>();

  constructor(private readonly progressEveryBytes = 1 << 20) {}

  /** The parsed log of a run (tests). */
  log(runId: number): JsonLog | undefined {
    return this.logs.get(runId);
  }

  remove(runId: number): void {
    this.logs.delete(runId);
  }

  async parse({ runId, file, name }: LogsApi['parse']['args'], { signal, progress }: CallContext<LogsApi['parse']['progress']>): Promise<RunSummary> {
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
    const stop = () => void reader.cancel().catch(() => undefined);
    signal.addEventListener('abort', stop, { once: true });
    let log: JsonLog;
    try {
      progress({ bytes: 0, total });
      let lastYield = Date.now();
      for (;;) {
        const { done, value } = await reader.read();
        if (signal.aborted || done) break;
        parser.pushText(value);
        if (bytes - reported >= this.progressEveryBytes) {
          reported = bytes;
          progress({ bytes, total });
        }
        // A stream that answers from memory resolves reads as microtasks only: give the message loop a turn now
        // and then, or a cancel would wait for the end of the file.
        if (Date.now() - lastYield > 30) {
          await new Promise((r) => setTimeout(r, 0));
          lastYield = Date.now();
        }
      }
      log = parser.finish();
    } catch (err) {
      if (signal.aborted) throw new CancelledError(`${name}: reading cancelled`);
      throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    } finally {
      signal.removeEventListener('abort', stop);
    }
    if (signal.aborted) throw new CancelledError(`${name}: reading cancelled`);
    if (log.epochs.length === 0) {
      const why = log.stats.malformedCount > 0 ? `; ${log.stats.malformedCount} malformed lines` : '';
      throw new Error(`${name}: no line with an "epoch" — not an MMCV JSON log (*.log.json)${why}`);
    }
    this.logs.set(runId, log);
    progress({ bytes: total, total });
    return summarize(log, total);
  }

  curves(request: CurveRequest, { transfer }: CallContext<never>): { xAxis: XAxis; series: WorkerSeries[] } {
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
    transfer(...series.flatMap((s) => [s.x.buffer, s.y.buffer]));
    return { xAxis: request.xAxis, series };
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
