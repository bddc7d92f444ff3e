import { createClient, type Client, type ClientOptions } from '../sdk/index';
import type { ApiObject, ServerOptions } from '../server-shim/index';
import { startTestServer, type TestServer } from './test-server';

/** A user connected to the test environment: the real client, plus control over its connection. */
export interface TestUser<Api> {
  readonly client: Client<Api>;
  /** Drops this user's connection and keeps it down (calls wait, or queue if the queue is on). */
  disconnect(): Promise<void>;
  /** Lets it connect again; resolves once it is open. */
  reconnect(): Promise<void>;
}

export interface TestEnv<Api> {
  readonly shim: TestServer;
  /** A new client, authenticated as `user` (any value your handlers read as `ctx.user`). */
  connect(user?: unknown, options?: ClientOptions): TestUser<Api>;
  /** Publishes from the server side, as a handler's `ctx.publish` would; returns the seq. */
  publish(topic: string, event: string, data: unknown): number | undefined;
  /** Until `check()` holds (a state, never a time): polls on the event loop, fails after `timeoutMs`. */
  until<T>(check: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

type SocketConstructor = NonNullable<ClientOptions['WebSocket']>;

/**
 * An environment for unit-testing a server API with no browser (vitest, node:test): a real shim on
 * loopback and real clients, so calls, streams with the client's real merges, reconnects and
 * publishes behave as they will in production. `connect(user)` replaces `authenticate` with one
 * that returns that user.
 * @example
 * const env = await createTestEnv<typeof api>({ api });
 * const ada = env.connect({ id: 'ada' });
 * await ada.client.call('todos/add', 'milk');
 */
export async function createTestEnv<Api = unknown>(options: ServerOptions & { api: ApiObject }): Promise<TestEnv<Api>> {
  const users = new Map<string, unknown>();
  const shim = await startTestServer({
    ...options,
    authenticate: (request) => users.get(new URLSearchParams(request.query).get('testUser') ?? '') ?? false,
  });
  const Base = (globalThis.WebSocket as SocketConstructor | undefined) ?? ((await import('ws')).default as unknown as SocketConstructor);
  const clients = new Set<Client<Api>>();
  let nextUser = 0;

  return {
    shim,
    connect(user = { id: `user-${nextUser + 1}` }, clientOptions = {}) {
      const token = String(++nextUser);
      users.set(token, user);
      let blocked = false;
      const sockets = new Set<WebSocket>();
      // Blocked, a new socket points at a closed port: the client sees a refused connection and retries.
      const EnvSocket = class extends (Base as unknown as typeof WebSocket) {
        constructor(url: string, protocols?: string | string[]) {
          super(blocked ? 'ws://127.0.0.1:1/ws' : url, protocols);
          sockets.add(this);
          this.addEventListener('close', () => sockets.delete(this));
        }
      } as unknown as SocketConstructor;
      const client = createClient<Api>({
        url: `${shim.url}?testUser=${token}`,
        WebSocket: EnvSocket,
        reconnect: { baseMs: 10, capMs: 100 },
        ...clientOptions,
      });
      clients.add(client);
      return {
        client,
        async disconnect() {
          blocked = true;
          for (const socket of sockets) socket.close();
          await until(() => client.status.get().state !== 'open');
        },
        async reconnect() {
          blocked = false;
          client.connect();
          await until(() => client.status.get().state === 'open');
        },
      };
    },
    publish: (topic, event, data) => shim.server.publish(topic, event, data),
    until,
    async close() {
      for (const client of clients) client.close();
      await shim.close();
    },
  };
}

async function until<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`wirestore/testing: the condition did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
