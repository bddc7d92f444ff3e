import { afterEach, describe, expect, it } from 'vitest';
import { RpcError } from '../sdk/index';
import { LiveError } from './live-error';
import type { Context } from './context';
import { closeAll, connectClient, quietLogger, startServer } from './test-support/harness';

const api = {
  math: {
    add: (_ctx: Context, a: number, b: number) => a + b,
    slowDouble: async (_ctx: Context, n: number) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
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
  never: () => new Promise(() => {}),
  bigint: () => ({ n: 1n }),
};

afterEach(closeAll);

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

  it('rejects a call in flight with DISCONNECTED when the socket drops', async () => {
    const server = await startServer({ api });
    const client = connectClient(server.url);
    await client.call('math/add', 1, 1);
    const pending = client.call('never');
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.closeConnections();
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});
