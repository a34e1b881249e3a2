/// <reference lib="webworker" />
// Parses dropped MMCV JSON logs off the main thread and serves their curves (see logs-worker-core.ts).
import type { LogsRequest, LogsResponse } from './logs-protocol.ts';
import { LogsWorkerCore } from './logs-worker-core.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const core = new LogsWorkerCore((msg: LogsResponse, transfer?: Transferable[]) => scope.postMessage(msg, transfer ?? []));

scope.onmessage = (ev: MessageEvent<LogsRequest>) => void core.handle(ev.data);
