// One typed request→response protocol for every worker: the client calls a method by name and gets a promise of its
// result; the worker serves a map of handlers. Progress, cancellation, transferables and worker death are handled
// here once, so a worker and its client only declare their API.

/** One method of a worker's API: what it takes, what it answers and (optionally) what progress it reports. */
export interface Method<Args, Result, Progress = never> {
  args: Args;
  result: Result;
  progress: Progress;
}

/** A worker's API: method name → {@link Method}. Events are unsolicited messages from the worker (e.g. a lost GPU). */
export type Api = Record<string, Method<unknown, unknown, unknown>>;

/** The rejection of a call that was cancelled (by the caller, or superseded). The UI shows no error for it. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** Whether `err` is a cancellation (the UI shows "cancelled", not an error). */
export const isCancelled = (err: unknown): boolean => err instanceof CancelledError;

type ToWorker = { rpc: 'call'; id: number; method: string; args: unknown } | { rpc: 'cancel'; id: number } | { rpc: 'watch'; lock: string };
type FromWorker =
  | { rpc: 'result'; id: number; value: unknown }
  | { rpc: 'error'; id: number; message: string; cancelled: boolean }
  | { rpc: 'progress'; id: number; value: unknown }
  | { rpc: 'event'; name: string; value: unknown }
  | { rpc: 'watching' };

/** What the client needs of a `Worker` (a fake one in unit tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
  terminate(): void;
}

export interface CallOptions<P> {
  transfer?: Transferable[];
  onProgress?: (progress: P) => void;
  /** Aborting cancels the call: the worker's handler sees its signal aborted, the promise rejects with CancelledError. */
  signal?: AbortSignal;
}

/** A started call that can be cancelled. */
export interface Job<R> {
  result: Promise<R>;
  cancel(): void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (p: unknown) => void;
  detach(): void;
}

let lockSerial = 0;

/**
 * The main-thread side of a worker. The worker starts on the first call and again after it died: every pending call
 * of a crashed, closed or terminated worker rejects (`"The <name> worker stopped: …"`), so no promise waits forever.
 */
export class RpcClient<A extends Api, E extends Record<string, unknown> = Record<never, never>> {
  private worker: WorkerLike | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<keyof E, (value: never) => void>();
  private readonly watchLock = new WeakMap<WorkerLike, string>();

  /**
   * @param name   the worker's name in messages ("eval worker stopped: …")
   * @param spawn  starts the worker (`new Worker(new URL(...), ...)`: Vite needs that expression at the call site)
   * @param disposeOrphan  a result that arrives after its call was cancelled (e.g. a transferred VideoFrame to close)
   */
  constructor(
    readonly name: string,
    private readonly spawn: () => WorkerLike,
    private readonly disposeOrphan: (value: unknown) => void = () => undefined,
  ) {}

  /** Calls `method`; the promise has the method's result type, rejects with the worker's message or CancelledError. */
  call<K extends keyof A & string>(method: K, args: A[K]['args'], options: CallOptions<A[K]['progress']> = {}): Promise<A[K]['result']> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError(`${method} cancelled`));
    const w = this.worker ?? this.spawnWorker();
    const id = ++this.nextId;
    return new Promise<A[K]['result']>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        w.postMessage({ rpc: 'cancel', id } satisfies ToWorker, []);
        reject(new CancelledError(`${method} cancelled`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve,
        reject,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        detach: () => signal?.removeEventListener('abort', onAbort),
      });
      w.postMessage({ rpc: 'call', id, method, args } satisfies ToWorker, options.transfer ?? []);
    });
  }

  /** Starts a cancellable call: `cancel()` makes `result` reject with CancelledError at once. */
  start<K extends keyof A & string>(method: K, args: A[K]['args'], options: Omit<CallOptions<A[K]['progress']>, 'signal'> = {}): Job<A[K]['result']> {
    const abort = new AbortController();
    return { result: this.call(method, args, { ...options, signal: abort.signal }), cancel: () => abort.abort() };
  }

  /** Listens to the worker's event `name` (one handler per event). */
  on<K extends keyof E & string>(name: K, handler: (value: E[K]) => void): void {
    this.handlers.set(name, handler);
  }

  /** Stops the worker; pending calls reject. The next call starts a new one. */
  terminate(reason = 'terminated'): void {
    const w = this.worker;
    if (!w) return;
    this.stopped(w, reason);
    w.terminate();
  }

  /** How many calls wait for an answer (tests). */
  get pendingCount(): number {
    return this.pending.size;
  }

  private spawnWorker(): WorkerLike {
    const w = this.spawn();
    this.worker = w;
    w.onmessage = (ev: MessageEvent<FromWorker>) => this.onMessage(w, ev.data);
    // An uncaught error in the worker: the worker may live on, but the call that threw never answers.
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault?.();
      this.stopped(w, ev.message || 'an uncaught error');
      w.terminate();
    };
    this.watch(w);
    return w;
  }

  /**
   * Learns of the worker's end however it comes (closed, killed, out of memory): the worker holds a Web Lock for its
   * whole life and the client queues for the same lock, which it is granted only when the worker is gone.
   */
  private watch(w: WorkerLike): void {
    const locks = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks;
    if (!locks) return;
    const lock = `mmtrack-rpc:${this.name}:${Date.now()}:${++lockSerial}:${Math.random()}`;
    this.watchLock.set(w, lock);
    w.postMessage({ rpc: 'watch', lock } satisfies ToWorker, []);
  }

  private onMessage(w: WorkerLike, msg: FromWorker): void {
    // A worker already replaced: nothing waits for it, but what it transferred must still be released.
    if (w !== this.worker) {
      if (msg.rpc === 'result') this.disposeOrphan(msg.value);
      return;
    }
    switch (msg.rpc) {
      case 'watching': {
        const lock = this.watchLock.get(w);
        if (lock) void navigator.locks.request(lock, () => this.stopped(w, 'it ended unexpectedly'));
        return;
      }
      case 'event':
        return (this.handlers.get(msg.name) as ((v: unknown) => void) | undefined)?.(msg.value);
      case 'progress':
        return this.pending.get(msg.id)?.onProgress?.(msg.value);
    }
    const p = this.pending.get(msg.id);
    if (!p) {
      if (msg.rpc === 'result') this.disposeOrphan(msg.value);
      return;
    }
    this.pending.delete(msg.id);
    p.detach();
    if (msg.rpc === 'result') p.resolve(msg.value);
    else p.reject(msg.cancelled ? new CancelledError(msg.message) : new Error(msg.message));
  }

  /** The worker `w` is gone: every call still waiting on it rejects. */
  private stopped(w: WorkerLike, why: string): void {
    if (w !== this.worker) return;
    this.worker = null;
    const err = new Error(`The ${this.name} worker stopped: ${why}. Try again: the next run starts a new worker.`);
    for (const p of this.pending.values()) {
      p.detach();
      p.reject(err);
    }
    this.pending.clear();
  }
}

/** What a handler gets besides its arguments. */
export interface CallContext<P> {
  /** Aborted when the caller cancels. */
  signal: AbortSignal;
  progress: (value: P, transfer?: Transferable[]) => void;
  /** Transfers these with the result (instead of copying). */
  transfer: (...list: Transferable[]) => void;
}

export type Handlers<A extends Api> = {
  [K in keyof A]: (args: A[K]['args'], ctx: CallContext<A[K]['progress']>) => Promise<A[K]['result']> | A[K]['result'];
};

/** What the worker needs of its global scope. */
export interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
}

export interface Served<E> {
  /** Sends the event `name` to the client. */
  emit<K extends keyof E & string>(name: K, value: E[K], transfer?: Transferable[]): void;
}

/**
 * Serves `handlers` in a worker. `serial`: one call at a time, in order (a model session, a decoder cursor); else
 * calls run concurrently. A handler's throw becomes the call's rejection with its message; a cancelled call's
 * handler sees its signal aborted, and a serial call cancelled while queued never starts.
 */
export function serveRpc<A extends Api, E extends Record<string, unknown> = Record<never, never>>(
  handlers: Handlers<A>,
  options: { serial?: boolean; scope?: WorkerScope } = {},
): Served<E> {
  const scope = options.scope ?? (self);
  const running = new Map<number, AbortController>();
  let queue: Promise<void> = Promise.resolve();
  const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

  async function run(id: number, method: string, args: unknown, abort: AbortController): Promise<void> {
    const cancelled = () => post({ rpc: 'error', id, message: `${method} cancelled`, cancelled: true });
    if (abort.signal.aborted) return cancelled();
    const handler = (handlers as Record<string, Handlers<A>[string] | undefined>)[method];
    let transfer: Transferable[] = [];
    try {
      if (!handler) throw new Error(`unknown method '${method}'`);
      const ctx: CallContext<unknown> = {
        signal: abort.signal,
        progress: (value, list = []) => post({ rpc: 'progress', id, value }, list),
        transfer: (...list) => (transfer = list),
      };
      const value: unknown = await handler(args, ctx);
      post({ rpc: 'result', id, value }, transfer);
    } catch (err) {
      if (abort.signal.aborted || err instanceof CancelledError) return cancelled();
      post({ rpc: 'error', id, message: err instanceof Error ? err.message : String(err), cancelled: false });
    } finally {
      running.delete(id);
    }
  }

  scope.onmessage = (ev: MessageEvent<ToWorker>) => {
    const msg = ev.data;
    if (msg.rpc === 'cancel') return running.get(msg.id)?.abort();
    if (msg.rpc === 'watch') {
      // Held until this worker ends (see RpcClient.watch).
      void navigator.locks.request(msg.lock, () => {
        post({ rpc: 'watching' });
        return new Promise<never>(() => undefined);
      });
      return;
    }
    const abort = new AbortController();
    running.set(msg.id, abort);
    if (options.serial) queue = queue.then(() => run(msg.id, msg.method, msg.args, abort));
    else void run(msg.id, msg.method, msg.args, abort);
  };

  return { emit: (name, value, transfer = []) => post({ rpc: 'event', name, value }, transfer) };
}
