import type { CurveRequest, LogsRequest, LogsResponse, RunSummary, WorkerSeries } from './logs-protocol.ts';
import type { XAxis } from '../core/logs/curves.ts';

export interface ParseJob {
  runId: number;
  result: Promise<RunSummary>;
  cancel(): void;
}

/** Error of a cancelled parse (the UI shows no message for it). */
export class ParseCancelledError extends Error {
  override name = 'ParseCancelledError';
}

/** Main-thread handle on the logs worker: typed promises over its messages. */
export class LogsClient {
  private readonly worker: Worker;
  private nextRun = 0;
  private nextReq = 0;
  private readonly parses = new Map<number, { resolve(s: RunSummary): void; reject(e: Error): void; onProgress(bytes: number, total: number): void }>();
  private readonly requests = new Map<number, { resolve(r: { xAxis: XAxis; series: WorkerSeries[] }): void; reject(e: Error): void }>();

  constructor() {
    this.worker = new Worker(new URL('./logs.worker.ts', import.meta.url), { type: 'module', name: 'logs' });
    this.worker.onmessage = (ev: MessageEvent<LogsResponse>) => this.onMessage(ev.data);
    this.worker.onerror = (ev) => {
      const err = new Error(`logs worker crashed: ${ev.message}`);
      for (const p of this.parses.values()) p.reject(err);
      for (const p of this.requests.values()) p.reject(err);
      this.parses.clear();
      this.requests.clear();
    };
  }

  private send(msg: LogsRequest): void {
    this.worker.postMessage(msg);
  }

  /** Streams `file` into the worker's parser; `onProgress(bytesRead, totalBytes)` along the way. */
  parse(file: Blob, name: string, onProgress: (bytes: number, total: number) => void): ParseJob {
    const runId = ++this.nextRun;
    const result = new Promise<RunSummary>((resolve, reject) => this.parses.set(runId, { resolve, reject, onProgress }));
    this.send({ type: 'parse', runId, file, name });
    return { runId, result, cancel: () => this.send({ type: 'cancel', runId }) };
  }

  remove(runId: number): void {
    this.send({ type: 'remove', runId });
  }

  curves(request: CurveRequest): Promise<{ xAxis: XAxis; series: WorkerSeries[] }> {
    const reqId = ++this.nextReq;
    const p = new Promise<{ xAxis: XAxis; series: WorkerSeries[] }>((resolve, reject) => this.requests.set(reqId, { resolve, reject }));
    this.send({ type: 'curves', reqId, request });
    return p;
  }

  private onMessage(msg: LogsResponse): void {
    switch (msg.type) {
      case 'progress':
        this.parses.get(msg.runId)?.onProgress(msg.bytes, msg.total);
        break;
      case 'parsed':
        this.parses.get(msg.runId)?.resolve(msg.summary);
        this.parses.delete(msg.runId);
        break;
      case 'parse-failed':
        this.parses.get(msg.runId)?.reject(msg.cancelled ? new ParseCancelledError(msg.message) : new Error(msg.message));
        this.parses.delete(msg.runId);
        break;
      case 'curves':
        this.requests.get(msg.reqId)?.resolve({ xAxis: msg.xAxis, series: msg.series });
        this.requests.delete(msg.reqId);
        break;
      case 'curves-failed':
        this.requests.get(msg.reqId)?.reject(new Error(msg.message));
        this.requests.delete(msg.reqId);
        break;
    }
  }
}
