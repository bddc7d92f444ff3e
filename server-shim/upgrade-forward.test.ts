import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Context } from './context';
import { closeAll, connectClient, startServer, track } from './test-support/harness';
import { forwardUpgrades } from './upgrade-forward';

afterEach(closeAll);

/** A plain Node HTTP server (as SvelteKit's adapter-node or Express run) forwarding /ws to the shim. */
async function frontServer(target: { port: number | undefined }): Promise<{ http: Server; origin: string; ws: string }> {
  const http = createHttpServer((_req, res) => res.end('page')).on('upgrade', (request, socket, head) => {
    if (!forwardUpgrades(target)(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  track({
    close: () => {
      http.closeAllConnections();
      http.close();
    },
  });
  const { port } = http.address() as AddressInfo;
  return { http, origin: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/ws` };
}

describe('forwardUpgrades', () => {
  it("serves the shim on another server's port: calls, cookies and query reach authenticate, the page origin is allowed", async () => {
    const shim = await startServer({
      api: { whoami: (ctx: Context<{ name: string; ip: string }>) => ctx.user },
      trustProxy: true,
      authenticate: (request) =>
        request.headers.cookie === 'session=s1' && new URLSearchParams(request.query).get('t') === 'x'
          ? { name: 'ada', ip: request.ip }
          : false,
    });
    const front = await frontServer(shim);
    const client = connectClient<{ whoami: (ctx: Context) => { name: string; ip: string } }>(`${front.ws}?t=x`, {
      WebSocket: class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers: { cookie: 'session=s1', origin: front.origin } });
        }
      } as never,
    });
    expect(await client.call('whoami')).toEqual({ name: 'ada', ip: '127.0.0.1' });
  });

  it('with trustProxy, per-IP limits count the forwarded address, not the forwarder', async () => {
    const shim = await startServer({ api: {}, trustProxy: true, rateLimit: { upgradesPerIp: { perSecond: 1, burst: 1 } } });
    const front = await frontServer(shim);
    const open = (forwardedFor: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(front.ws, 'wirestore.v1.json', { headers: { 'x-forwarded-for': forwardedFor } });
        socket.once('open', () => (socket.close(), resolve('open')));
        socket.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
        socket.once('error', () => {});
      });
    // The forwarder appends the real peer (127.0.0.1) after whatever the client claimed, and the
    // shim takes that last entry: a client cannot pick its own address to dodge the limit.
    expect(await open('10.0.0.1')).toBe('open');
    expect(await open('10.0.0.2')).toBe('429');
  });

  it('leaves other upgrade paths to other listeners, and drops upgrades while the shim is down', async () => {
    const handle = forwardUpgrades({ port: undefined });
    let destroyed = 0;
    const socket = { destroy: () => void destroyed++ } as never;
    expect(handle({ url: '/other', rawHeaders: [] } as never, socket, Buffer.alloc(0))).toBe(false);
    expect(handle({ url: '/ws?token=1', rawHeaders: [] } as never, socket, Buffer.alloc(0))).toBe(true);
    expect(destroyed).toBe(1);
  });
});
