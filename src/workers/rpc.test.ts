import { describe, expect, it } from 'vitest';
import { inThreadWorker } from './in-thread-worker.node.ts';
import { CancelledError, isCancelled, type Method, RpcClient } from './rpc.ts';

type TestApi = {
  add: Method<{ a: number; b: number }, number>;
  count: Method<number, string, number>;
  fail: Method<string, never>;
  wait: Method<null, string>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(serial = false) {
  const spawned: ReturnType<typeof inThreadWorker>[] = [];
  const started: string[] = [];
  const client = new RpcClient<TestApi>('test', () => {
    const w = inThreadWorker<TestApi>(
      {
        add: ({ a, b }) => a + b,
        async count(n, { progress, signal }) {
          started.push(`count ${n}`);
          for (let i = 1; i <= n; i++) {
            await sleep(1);
            if (signal.aborted) throw new Error('stopped');
            progress(i);
          }
          return `counted ${n}`;
        },
        fail: (why) => {
          throw new Error(`bad input: ${why}`);
        },
        wait: () => new Promise<string>(() => undefined),
      },
      { serial },
    );
    spawned.push(w);
    return w;
  });
  return { client, spawned, started };
}

describe('worker RPC', () => {
  it('answers each call with its own typed result and reports progress', async () => {
    const { client } = setup();
    const seen: number[] = [];
    const [sum, counted] = await Promise.all([client.call('add', { a: 2, b: 3 }), client.call('count', 3, { onProgress: (p) => seen.push(p) })]);
    expect(sum).toBe(5);
    expect(counted).toBe('counted 3');
    expect(seen).toEqual([1, 2, 3]);
    expect(client.pendingCount).toBe(0);
  });

  it("rejects with the handler's message, and the worker goes on", async () => {
    const { client } = setup();
    await expect(client.call('fail', 'x.json')).rejects.toThrow('bad input: x.json');
    expect(await client.call('add', { a: 1, b: 1 })).toBe(2);
  });

  it('cancels with one CancelledError; the handler sees its signal aborted', async () => {
    const { client } = setup();
    const job = client.start('count', 1000);
    await sleep(5);
    job.cancel();
    const err = await job.result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect(isCancelled(err)).toBe(true);
    expect(isCancelled(new Error('x'))).toBe(false);
  });

  it('never starts a serial call cancelled while queued', async () => {
    const { client, started } = setup(true);
    const first = client.call('count', 3);
    const second = client.start('count', 4);
    second.cancel();
    await expect(second.result).rejects.toBeInstanceOf(CancelledError);
    expect(await first).toBe('counted 3');
    await sleep(10);
    expect(started).toEqual(['count 3']);
  });

  it('rejects every pending call when the worker crashes, and the next call starts a new worker', async () => {
    const { client, spawned } = setup();
    const a = client.call('wait', null);
    const b = client.call('count', 1000);
    await sleep(2);
    spawned[0]!.crash('out of memory');
    await expect(a).rejects.toThrow('The test worker stopped: out of memory. Try again: the next run starts a new worker.');
    await expect(b).rejects.toThrow('test worker stopped');
    expect(spawned[0]!.terminated).toBe(true);
    expect(client.pendingCount).toBe(0);
    expect(await client.call('add', { a: 4, b: 5 })).toBe(9);
    expect(spawned).toHaveLength(2);
  });

  it('rejects pending calls on terminate', async () => {
    const { client } = setup();
    const a = client.call('wait', null);
    client.terminate('the model was replaced');
    await expect(a).rejects.toThrow('The test worker stopped: the model was replaced.');
  });

  it('rejects a call whose signal is already aborted without sending it', async () => {
    const { client, spawned } = setup();
    const abort = new AbortController();
    abort.abort();
    await expect(client.call('add', { a: 1, b: 2 }, { signal: abort.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(spawned).toHaveLength(0);
  });
});
