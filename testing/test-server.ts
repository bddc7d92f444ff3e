import { createServer, type LiveServer, type ServerOptions } from '../server-shim/index';
import { TcpProxy } from './tcp-proxy';

/** A shim for one test, on an ephemeral loopback port that survives `restart()`. */
export interface TestServer {
  /** The shim now running (a new one after each restart). */
  readonly server: LiveServer;
  /** `ws://127.0.0.1:<port>/ws`: give it to the page (or a client) under test. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`: the static files, if `static` was set. */
  readonly origin: string;
  /** Stops the shim (gracefully) and starts a new one with the same options behind the same port. */
  restart(): Promise<void>;
  /**
   * While `true`, new connections to `url` and `origin` are refused, as by a server that is down
   * (for every page and client at once; the `wire` fixture does it for one page). Open
   * connections stay until `cut()`.
   */
  refuse(refusing: boolean): void;
  /** Cuts every open connection through the port at once, with no close frame: a network drop. */
  cut(): void;
  close(): Promise<void>;
}

/**
 * Runs a real shim for a test: `const shim = await startTestServer({ api })`. Clients connect to
 * a loopback port in front of it, which `restart()` keeps while the shim behind it is replaced (a
 * server cannot rebind a port its closed connections still hold for a minute).
 */
export async function startTestServer<User = unknown>(options: ServerOptions<User> = {}): Promise<TestServer> {
  const start = async () => {
    const server = createServer<User>({ allowedOrigins: (origin) => /^http:\/\/(127\.0\.0\.1|localhost):\d+$/.test(origin), ...options });
    await server.listen(0, '127.0.0.1');
    return server;
  };
  let server = await start();
  const proxy = new TcpProxy(server.port!);
  await proxy.listen();
  return {
    get server() {
      return server;
    },
    url: `ws://127.0.0.1:${proxy.port}/ws`,
    origin: `http://127.0.0.1:${proxy.port}`,
    async restart() {
      await server.close({ drainTimeoutMs: 1000 });
      server = await start();
      proxy.retarget(server.port!);
    },
    refuse: (refusing) => proxy.refuse(refusing),
    cut: () => proxy.cutAll(),
    async close() {
      await proxy.close();
      await server.close({ drainTimeoutMs: 1000 });
    },
  };
}
