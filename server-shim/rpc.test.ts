import { afterEach, describe, expect, it } from 'vitest';
import { RpcError } from '../sdk/index';
import { LiveError } from './live-error';
import type { Context } from './context';
import { TcpProxy } from '../test-support/tcp-proxy';
import { closeAll, connectClient, quietLogger, startServer, track, waitFor } from './test-support/harness';

/** Calls of `never` that started running on the server. */
let neverStarted = 0;

const api = {
  math: {
    add: (_ctx: Context, a: number, b: number) => a + b,
    slowDouble: async (_ctx: Context, n: number) => {
      await new Promise((resolve) => setTimeout(resolve, 20)); // stands in for a slow handler
      return n * 2;
    },
  },
  whoami: (ctx: Context<{ name: string }>) => ({ name: ctx.user.name, connectionId: ctx.connectionId }),
  failWithLiveError: () => {
    throw new LiveError('NOT_ALLOWED', 'only owners may do that', { owner: 'ada' });
  },
  failWithBug: () => {
    throw new Error('secret database password is hunter2');
  },
  never: () => {
    neverStarted++;
    return new Promise(() => {});
  },
  bigint: () => ({ n: 1n }),
};

afterEach(closeAll);

describe('exactly once', () => {
  it('runs a call once when its reply is lost with the connection and it is sent again', async () => {
    let runs = 0;
    let running!: () => void;
    const handlerRunning = new Promise<void>((resolve) => (running = resolve));
    let finish!: () => void;
    const server = await startServer({
      api: {
        slowIncrement: async () => {
          runs++;
          running();
          await new Promise<void>((resolve) => (finish = resolve));
          return runs;
        },
      },
    });
    const proxy = track(new TcpProxy(server.port!));
    await proxy.listen();
    const client = connectClient(`ws://127.0.0.1:${proxy.port}/ws`);
    await waitFor(() => (client.connect(), client.status.get().state === 'open'));
    const result = client.call('slowIncrement');
    await handlerRunning;
    proxy.cutAll(); // the reply will be lost
    finish();
    expect(await result).toBe(1); // resent on the new socket, answered from the window
    expect(runs).toBe(1);
  });

  it('answers a repeated key with the stored result, errors included, without running the handler again', async () => {
    let runs = 0;
    const server = await startServer({
      api: {
        count: () => ++runs,
        refuse: () => {
          runs++;
          throw new LiveError('NOPE', 'no');
        },
      },
    });
    const client = connectClient(server.url);
    expect(await client.callWith({ idempotencyKey: 'k1' }, 'count')).toBe(1);
    expect(await client.callWith({ idempotencyKey: 'k1' }, 'count')).toBe(1);
    await expect(client.callWith({ idempotencyKey: 'k2' }, 'refuse')).rejects.toMatchObject({ code: 'NOPE' });
    await expect(client.callWith({ idempotencyKey: 'k2' }, 'refuse')).rejects.toMatchObject({ code: 'NOPE' });
    expect(runs).toBe(2);
    await expect(client.callWith({ idempotencyKey: 'k1' }, 'refuse')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await client.callWith({ idempotent: false }, 'count')).toBe(3);
  });

  it('does not keep large results: a repeat of a big read runs again instead of holding megabytes', async () => {
    let runs = 0;
    const server = await startServer({ api: { big: () => (runs++, 'x'.repeat(100_000)) }, idempotency: { maxResultBytes: 10_000 } });
    const client = connectClient(server.url);
    await client.callWith({ idempotencyKey: 'big' }, 'big');
    await client.callWith({ idempotencyKey: 'big' }, 'big');
    expect(runs).toBe(2);
  });

  it('keeps the window bounded by count', async () => {
    let runs = 0;
    const server = await startServer({ api: { count: () => ++runs }, idempotency: { maxKeysPerUser: 2 } });
    const client = connectClient(server.url);
    for (const key of ['a', 'b', 'c']) await client.callWith({ idempotencyKey: key }, 'count');
    expect(await client.callWith({ idempotencyKey: 'c' }, 'count')).toBe(3); // remembered
    expect(await client.callWith({ idempotencyKey: 'a' }, 'count')).toBe(4); // forgotten: runs again
  });
});

describe('batching and dedup', () => {
  it('sends the calls of a batch in one frame, each settling on its own', async () => {
    const server = await startServer({ api });
    const client = connectClient<typeof api>(server.url);
    await client.call('math/add', 0, 0);
    const [sum, failure, doubled] = client.batch(() => [
      client.call('math/add', 1, 2),
      client.call('failWithLiveError').catch((error: unknown) => error),
      client.call('math/slowDouble', 4),
    ]);
    expect(await sum).toBe(3);
    expect(await failure).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(await doubled).toBe(8);
  });

  it('rejects a batch over the limit with BATCH_TOO_LARGE', async () => {
    const server = await startServer({ api, maxBatchSize: 3 });
    const client = connectClient<typeof api>(server.url);
    await client.call('math/add', 0, 0);
    const calls = client.batch(() => [1, 2, 3, 4].map((n) => client.call('math/add', n, n)));
    for (const call of calls) await expect(call).rejects.toMatchObject({ code: 'BATCH_TOO_LARGE' });
  });

  it('sends every call, even identical ones in the same microtask: two calls are two actions', async () => {
    let runs = 0;
    const server = await startServer({ api: { count: (_ctx: Context, _arg: unknown) => ++runs } });
    const client = connectClient(server.url);
    const results = await Promise.all([
      client.call('count', { a: 1 }),
      client.call('count', { a: 1 }),
      client.callWith({ idempotencyKey: 'first-click' }, 'count', { a: 1 }),
      client.callWith({ idempotencyKey: 'second-click' }, 'count', { a: 1 }),
    ]);
    expect(results.sort()).toEqual([1, 2, 3, 4]);
    // A repeat of one action (the same key) is still answered once, by the server's window.
    expect(await client.callWith({ idempotencyKey: 'first-click' }, 'count', { a: 1 })).toBe(results[2]);
  });
});

describe('RPC over a real shim', () => {
  it('resolves a call with the handler result, sync and async', async () => {
    const server = await startServer({ api, authenticate: () => ({ name: 'ada' }) });
    const client = connectClient<typeof api>(server.url);
    expect(await client.call('math/add', 2, 3)).toBe(5);
    expect(await client.call('math/slowDouble', 21)).toBe(42);
    const me = await client.call('whoami');
    expect(me.name).toBe('ada');
  });

  it('passes a LiveError to the client as is', async () => {
    const server = await startServer({ api });
    const client = connectClient(server.url);
    const error = await client.call('failWithLiveError').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'NOT_ALLOWED', message: 'only owners may do that', details: { owner: 'ada' } });
  });

  it('hides the message of any other throw behind INTERNAL_ERROR and logs it on the server', async () => {
    const logger = quietLogger();
    const server = await startServer({ api, logger });
    const client = connectClient(server.url);
    const error = await client.call('failWithBug').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR' });
    expect((error as Error).message).not.toContain('hunter2');
    expect(JSON.stringify(logger.errors.flat().map(String))).toContain('hunter2');
  });

  it('answers NOT_FOUND for unknown paths, including prototype tricks', async () => {
    const server = await startServer({ api });
    const client = connectClient(server.url);
    for (const path of ['nope', 'math', 'math/add/x', '__proto__/toString', 'constructor', 'toString', 'math/hasOwnProperty']) {
      await expect(client.call(path)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('rejects with TIMEOUT when no reply comes within the per-call timeout', async () => {
    const server = await startServer({ api });
    const client = connectClient(server.url);
    await expect(client.callWith({ timeoutMs: 100 }, 'never')).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('reports a result that cannot be encoded as INTERNAL_ERROR instead of hanging', async () => {
    const server = await startServer({ api });
    const client = connectClient(server.url);
    await expect(client.call('bigint')).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
  });

  it('works the same over msgpack', async () => {
    const server = await startServer({ api });
    const client = connectClient<typeof api>(server.url, { codec: 'msgpack' });
    expect(await client.call('math/add', 40, 2)).toBe(42);
    await expect(client.call('failWithLiveError')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  });

  it('rejects a call in flight with DISCONNECTED when the socket drops, if it opted out of idempotency', async () => {
    const server = await startServer({ api });
    const client = connectClient(server.url);
    await client.call('math/add', 1, 1);
    const started = neverStarted;
    const pending = client.callWith({ idempotent: false }, 'never');
    await waitFor(() => neverStarted > started); // in flight: the server is running it
    server.closeConnections();
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});
