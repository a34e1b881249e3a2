/// <reference lib="webworker" />
// Parses dropped MMCV JSON logs off the main thread and serves their curves (see logs-worker-core.ts).
import type { LogsApi } from './logs-protocol.ts';
import { LogsWorkerCore } from './logs-worker-core.ts';
import { serveRpc } from './rpc.ts';

const core = new LogsWorkerCore();
serveRpc<LogsApi>({ parse: (args, ctx) => core.parse(args, ctx), remove: (runId) => core.remove(runId), curves: (request, ctx) => core.curves(request, ctx) });
