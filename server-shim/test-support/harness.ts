import WebSocket from 'ws';
import { createClient, type Client, type ClientOptions } from '../../sdk/index';
import { createServer, type LiveServer } from '../server';
import type { ServerOptions } from '../options';

/** Servers and clients opened by a test, closed by {@link closeAll}. */
const opened: Array<{ close(): unknown }> = [];

/** A real shim on an ephemeral loopback port. */
export async function startServer<User>(options: ServerOptions<User> = {}, port = 0): Promise<LiveServer & { url: string }> {
  const server = createServer<User>({ logger: quietLogger(), ...options });
  const actualPort = await server.listen(port, '127.0.0.1');
  // Tests leave calls running forever on purpose: do not wait for them when cleaning up.
  opened.push({ close: () => server.close({ drainTimeoutMs: 50 }) });
  return Object.assign(server, { url: `ws://127.0.0.1:${actualPort}/ws` });
}

/** A wirestore client using the `ws` package, with fast reconnects. */
export function connectClient<Api = unknown>(url: ClientOptions['url'], options: ClientOptions = {}): Client<Api> {
  const client = createClient<Api>({
    url,
    WebSocket: WebSocket as unknown as ClientOptions['WebSocket'],
    reconnect: { baseMs: 20, capMs: 200 },
    ...options,
  });
  opened.push(client);
  return client;
}

/** A bare `ws` socket speaking raw frames, for malformed input. */
export function rawSocket(url: string, protocol = 'wirestore.v1.json'): Promise<WebSocket & { frames: unknown[] }> {
  return new Promise((resolve, reject) => {
    const socket = Object.assign(new WebSocket(url, protocol), { frames: [] as unknown[] });
    socket.on('message', (data, isBinary) => socket.frames.push(isBinary ? data : JSON.parse(String(data))));
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    opened.push({ close: () => socket.terminate() });
  });
}

/** Closes `resource` after the test, with everything else it opened. */
export function track<T extends { close(): unknown }>(resource: T): T {
  opened.push(resource);
  return resource;
}

export async function closeAll(): Promise<void> {
  for (const item of opened.splice(0).reverse()) await item.close();
}

/** Resolves once `check` returns a truthy value, polling every few ms; rejects after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function quietLogger(): ServerOptions['logger'] & { errors: unknown[][] } {
  const errors: unknown[][] = [];
  return { info() {}, debug() {}, warn() {}, error: (...args: unknown[]) => void errors.push(args), errors };
}

/** The close code and reason a raw `ws` socket gets. */
export function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
}
