import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createNetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { attach, createServer } from './server';
import { uws } from './uws';
import { closeAll, connectClient, quietLogger, rawSocket, startServer, track } from './test-support/harness';

afterEach(closeAll);

describe('server lifecycle', () => {
  it('plugs into an existing uWS app next to its own routes', async () => {
    const app = uws().App();
    app.get('/health', (res) => void res.end('ok'));
    const hub = attach(app, { api: { twice: (_ctx: unknown, n: number) => n * 2 }, path: '/live', logger: quietLogger() });
    const listenSocket = await new Promise<unknown>((resolve) => app.listen('127.0.0.1', 0, resolve));
    track({ close: () => uws().us_listen_socket_close(listenSocket as never) });
    const port = uws().us_socket_local_port(listenSocket as never);
    expect(await (await fetch(`http://127.0.0.1:${port}/health`)).text()).toBe('ok');
    const client = connectClient(`ws://127.0.0.1:${port}/live`);
    expect(await client.call('twice', 21)).toBe(42);
    expect(hub.connectionCount).toBe(1);
  });

  it('refuses to listen on a port another process holds, instead of splitting its clients', async () => {
    const free = createNetServer().listen(0, '127.0.0.1');
    await once(free, 'listening');
    const port = (free.address() as { port: number }).port;
    free.close();
    // Another process holding that port the way uWS listens by default: shared (SO_REUSEPORT), so a
    // second default listener would succeed too and take half of the connections.
    const holder = spawn(process.execPath, [
      '-e',
      `require('uWebSockets.js').App().listen('127.0.0.1', ${port}, (s) => console.log(s ? 'listening' : 'failed'))`,
    ]);
    track({ close: () => holder.kill() });
    expect(String((await once(holder.stdout, 'data'))[0]).trim()).toBe('listening');
    const server = createServer({ logger: quietLogger() });
    track({ close: () => server.close() });
    await expect(server.listen(port, '127.0.0.1')).rejects.toThrow(/port is in use/);
  });

  it('shuts down gracefully: 1001 to every socket, then the port is released', async () => {
    const server = await startServer();
    const socket = await rawSocket(server.url);
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    await server.close();
    expect(await closed).toBe(1001);
    const refused = new WebSocket(server.url);
    const outcome = await new Promise<string>((resolve) => {
      refused.once('open', () => resolve('open'));
      refused.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });

  it('serves static files without letting a path escape the folder', async () => {
    const server = await startServer({ static: { '/': 'e2e/pages', '/cdn/': 'scripts' } });
    const base = `http://127.0.0.1:${server.port}`;
    const page = await fetch(`${base}/client.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(`${base}/cdn/size-budgets.mjs`)).headers.get('content-type')).toMatch(/javascript/);
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/cdn/..%2fpackage.json', '/missing.html', '/%E0%A4%A']) {
      expect((await fetch(base + path)).status, path).toBe(404);
    }
  });
});
