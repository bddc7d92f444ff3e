import type { TemplatedApp, us_listen_socket } from 'uWebSockets.js';
import { createHub, type LiveHub } from './hub';
import type { HubOptions, ServerOptions } from './options';
import { serveStatic } from './static-files';
import { listenOrWait } from './listen';
import { requireNativeUws, uws } from './uws';

/** A standalone server: the hub plus its own uWS app and port. */
export interface LiveServer extends LiveHub {
  /** The underlying uWS app, for extra routes. */
  readonly app: TemplatedApp;
  /** The port listened on, once `listen` resolved. */
  readonly port: number | undefined;
  /** Listens on `port` (0: any free port) and `host` (default 127.0.0.1, loopback only: pass `0.0.0.0` to serve others); resolves with the actual port. */
  listen(port?: number, host?: string): Promise<number>;
  /**
   * Graceful shutdown: stops taking calls, lets the running ones finish and reply (at most
   * `drainTimeoutMs`, default 10 s), closes every socket with 1001, then releases the port. A
   * keyed call that was not answered is resent by its client to the next server and runs there,
   * once; one that was answered is not resent.
   */
  close(options?: { drainTimeoutMs?: number }): Promise<void>;
}

/**
 * Adds the wirestore WebSocket route (default `/ws`) to an existing uWS app.
 * @example
 * const app = uWS.App();
 * const live = attach(app, { api });
 * app.listen(3000, () => {});
 */
export function attach<User = unknown>(app: TemplatedApp, options: HubOptions<User> = {}): LiveHub {
  return createHub(app, options);
}

/**
 * Creates a standalone server with its own uWS app.
 * @example
 * const server = createServer({ api, static: 'public' });
 * await server.listen(3000);
 */
export function createServer<User = unknown>(options: ServerOptions<User> = {}): LiveServer {
  requireNativeUws(); // before anything runs on a fallback
  const app = uws().App();
  const hub = createHub(app, options);
  if (options.static) serveStatic(app, options.static);
  let listenSocket: us_listen_socket | undefined;
  let port: number | undefined;

  const server: Pick<LiveServer, 'app' | 'port' | 'listen' | 'close'> = {
    app,
    get port() {
      return port;
    },
    async listen(requestedPort = 0, host = '127.0.0.1'): Promise<number> {
      if (listenSocket) throw new Error(`already listening on port ${port}`);
      await hub.ready(); // with Redis: connected, so the first client finds the engine working
      const socket = await listenOrWait(app, host, requestedPort, options.logger ?? console);
      listenSocket = socket;
      port = uws().us_socket_local_port(socket);
      return port;
    },
    async close(options = {}): Promise<void> {
      // No new connections while the running calls finish: clients find the next server instead.
      if (listenSocket) uws().us_listen_socket_close(listenSocket);
      listenSocket = undefined;
      port = undefined;
      await hub.drain(options.drainTimeoutMs);
      hub.closeConnections();
      // Let uWS run the close handlers of the sockets just ended before the caller moves on.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await hub.stopEngine();
    },
  };
  // The hub's members as they are (getters stay getters), then the server's own.
  return Object.defineProperties(server, Object.getOwnPropertyDescriptors(hub)) as LiveServer;
}
