import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Context } from './context';
import { LiveError } from './live-error';
import { closeAll, closeOf, connectClient, startServer, waitFor } from './test-support/harness';

// Authentication at upgrade, refusals the browser can read, and terminal closes.

afterEach(closeAll);

const api = {
  echo: (_ctx: Context, value: unknown) => value,
  never: () => new Promise(() => {}),
};

describe('auth and terminal closes', () => {
  it('closes a refused socket with 4401 or 4403 and the reason, sync or async, which a browser can read', async () => {
    const cases = [
      { authenticate: () => false, code: 4401, reason: 'unauthorized' },
      { authenticate: async () => null, code: 4401, reason: 'unauthorized' },
      {
        authenticate: () => {
          throw new LiveError('FORBIDDEN', 'banned until Friday');
        },
        code: 4403,
        reason: 'banned until Friday',
      },
      { authenticate: () => Promise.reject(new LiveError('UNAUTHORIZED', 'token expired')), code: 4401, reason: 'token expired' },
      { authenticate: () => Promise.reject(new LiveError('FORBIDDEN', 'é'.repeat(100))), code: 4403, reason: 'é'.repeat(61) },
    ];
    for (const { authenticate, code, reason } of cases) {
      const server = await startServer({ api, authenticate });
      const socket = new WebSocket(server.url, 'wirestore.v1.json');
      expect(await closeOf(socket)).toEqual({ code, reason });
      expect(server.connectionCount).toBe(0);
    }
  });

  it('answers HTTP 500 when authenticate throws something else, which clients retry', async () => {
    const server = await startServer({
      api,
      authenticate: () => {
        throw new Error('database down');
      },
      logger: { ...console, error: () => {} },
    });
    const socket = new WebSocket(server.url, 'wirestore.v1.json');
    const status = await new Promise<number>((resolve) => socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(500);
  });

  it("a refused client is terminal at once with the server's reason, rejects its calls, and can connect again later", async () => {
    let token = 'expired';
    const server = await startServer({
      api,
      authenticate: (request) => {
        if (new URLSearchParams(request.query).get('token') !== 'good') throw new LiveError('UNAUTHORIZED', 'token expired');
        return { id: 1 };
      },
    });
    const client = connectClient(() => Promise.resolve(`${server.url}?token=${token}`), { callTimeoutMs: 60_000 });
    await expect(client.call('echo', 1)).rejects.toMatchObject({
      code: 'TERMINATED',
      details: { closeCode: 4401, reason: 'token expired' },
    });
    expect(client.status.get()).toEqual({ state: 'terminal', code: 4401, reason: 'token expired' });
    token = 'good'; // the url function runs before every attempt
    client.connect();
    await waitFor(() => client.status.get().state === 'open');
    expect(await client.call('echo', 2)).toBe(2);
  });

  it('gives authenticate the headers and query, and the handler the user it returned', async () => {
    const server = await startServer({
      api: { me: (ctx: Context<{ token: string }>) => ctx.user.token },
      authenticate: async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 10)); // a slow authenticate: the request must be read before any await
        return new URLSearchParams(request.query).get('token') === 'abc' ? { token: request.headers['x-test'] ?? 'none' } : false;
      },
    });
    const client = connectClient(`${server.url}?token=abc`);
    expect(await client.call('me')).toBe('none');
  });

  it('survives a client that aborts during an async authenticate', async () => {
    let started!: () => void;
    const authenticating = new Promise<void>((resolve) => (started = resolve));
    let decide: ((user: { id: number }) => void) | undefined;
    const server = await startServer<{ id: number }>({
      api,
      authenticate: () => {
        if (decide) return { id: 2 }; // later upgrades: at once
        started();
        return new Promise((resolve) => (decide = resolve));
      },
    });
    const socket = new WebSocket(server.url, 'wirestore.v1.json');
    socket.on('error', () => {});
    await authenticating; // the upgrade waits on authenticate now
    socket.terminate();
    await new Promise((resolve) => socket.once('close', resolve));
    decide!({ id: 1 }); // answers an upgrade whose client is gone: must not touch the aborted response
    const client = connectClient(server.url);
    expect(await client.call('echo', 'alive')).toBe('alive');
  });

  it('rejects pending calls at once on 4401 and stops reconnecting', async () => {
    const server = await startServer({ api });
    const client = connectClient(server.url, { callTimeoutMs: 60_000 });
    await client.call('echo', 1);
    const pending = client.call('never');
    await waitFor(() => server.stats.framesIn >= 3); // the client's hello, 'echo', and 'never' arrived
    const status = client.status.get();
    expect(status.state).toBe('open');
    server.disconnect(status.state === 'open' ? status.connectionId : '', 4401, 'session revoked');
    // TERMINATED, not the TIMEOUT that callTimeoutMs (60 s, past the test's own timeout) would give.
    await expect(pending).rejects.toMatchObject({ code: 'TERMINATED', details: { closeCode: 4401 } });
    expect(client.status.get()).toEqual({ state: 'terminal', code: 4401, reason: 'session revoked' });
    await expect(client.call('echo', 2)).rejects.toMatchObject({ code: 'TERMINATED' });
    await waitFor(() => server.connectionCount === 0);
    expect(client.status.get().state).toBe('terminal'); // and it did not come back
  });
});
