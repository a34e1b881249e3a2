import type { XAxis } from '../core/logs/curves.ts';
import type { CurveRequest, LogsApi, RunSummary, WorkerSeries } from './logs-protocol.ts';
import { type Job, RpcClient } from './rpc.ts';

export interface ParseJob extends Job<RunSummary> {
  runId: number;
}

/** Main-thread handle on the logs worker. */
export class LogsClient {
  private readonly rpc = new RpcClient<LogsApi>('logs', () => new Worker(new URL('./logs.worker.ts', import.meta.url), { type: 'module', name: 'logs' }));
  private nextRun = 0;

  /** Streams `file` into the worker's parser; `onProgress(bytesRead, totalBytes)` along the way. */
  parse(file: Blob, name: string, onProgress: (bytes: number, total: number) => void): ParseJob {
    const runId = ++this.nextRun;
    return { runId, ...this.rpc.start('parse', { runId, file, name }, { onProgress: (p) => onProgress(p.bytes, p.total) }) };
  }

  remove(runId: number): void {
    void this.rpc.call('remove', runId).catch(() => undefined);
  }

  curves(request: CurveRequest): Promise<{ xAxis: XAxis; series: WorkerSeries[] }> {
    return this.rpc.call('curves', request);
  }
}
