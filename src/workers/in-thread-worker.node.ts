// Tests: a worker served in this thread, behind the same RPC as a real one (messages cross on later macrotasks, as
// between threads), with the ways a real worker dies.
import { type Api, type Handlers, serveRpc, type WorkerLike, type WorkerScope } from './rpc.ts';

export interface InThreadWorker extends WorkerLike {
  /** An uncaught error in the worker (the Worker's `error` event). */
  crash(message: string): void;
  readonly terminated: boolean;
}

export function inThreadWorker<A extends Api>(handlers: Handlers<A>, options: { serial?: boolean } = {}): InThreadWorker {
  let terminated = false;
  const deliver = (to: { onmessage: ((ev: MessageEvent) => void) | null }, data: unknown) =>
    setTimeout(() => {
      if (!terminated) to.onmessage?.({ data } as MessageEvent);
    });
  const worker: InThreadWorker = {
    onmessage: null,
    onerror: null,
    postMessage: (message) => deliver(scope, message),
    terminate: () => void (terminated = true),
    crash: (message) => worker.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent),
    get terminated() {
      return terminated;
    },
  };
  const scope: WorkerScope = { onmessage: null, postMessage: (message) => deliver(worker, message) };
  serveRpc(handlers, { ...options, scope });
  return worker;
}
