import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, type ClientOptions } from './index';

/** A TCP server that accepts connections and never answers: an upgrade that stalls forever. */
async function blackHole(): Promise<{ server: Server; url: string; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `ws://127.0.0.1:${port}/ws`, sockets };
}

async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

it('never crashes a Node host when a socket is dropped while it is still connecting', async () => {
  const errors: unknown[] = [];
  const onError = (error: unknown) => errors.push(error);
  process.on('uncaughtException', onError);
  const hole = await blackHole();
  cleanup.push(() => {
    process.off('uncaughtException', onError);
    for (const socket of hole.sockets) socket.destroy();
    hole.server.close();
  });
  // The real `ws` WebSocket, with each instance's close remembered so the test can wait for it.
  const closes: Array<Promise<unknown>> = [];
  class RecordedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      closes.push(new Promise((resolve) => this.once('close', resolve)));
    }
  }
  const options: ClientOptions = {
    url: hole.url,
    WebSocket: RecordedWebSocket as unknown as ClientOptions['WebSocket'],
    heartbeatTimeoutMs: 50,
  };
  // 1. The upgrade stalls past the hello timeout: the client gives up on the socket and retries.
  const stalled = createClient({ ...options, reconnect: { baseMs: 10_000 } });
  stalled.connect();
  await new Promise<void>((resolve) => stalled.status.listen((status) => status.state === 'reconnecting' && resolve()));
  // 2. The app closes a client whose socket is still connecting.
  const closedEarly = createClient(options);
  closedEarly.connect();
  await waitUntil(() => hole.sockets.length === 2);
  closedEarly.close();
  stalled.close();
  // ws reports an aborted handshake ('error', then 'close') on a later tick: wait for every close.
  await Promise.all(closes);
  expect(errors).toEqual([]);
  expect(stalled.status.get().state).toBe('closed');
});
