import { createServer, type ApiObject, type LiveServer, type ServerOptions } from '../../server-shim/index';
import { TcpProxy } from '../../test-support/tcp-proxy';

/**
 * A real shim serving the e2e pages and the CDN build, reached through a loopback TCP proxy so a
 * test can cut connections, refuse them, or restart the shim behind the same port.
 */
export class ShimUnderTest {
  server!: LiveServer;
  proxy!: TcpProxy;

  constructor(private readonly options: ServerOptions & { api?: ApiObject }) {}

  async start(): Promise<this> {
    this.server = await this.startServer();
    this.proxy = new TcpProxy(this.server.port!);
    await this.proxy.listen();
    return this;
  }

  /** Pages and WebSocket both through the proxy. */
  get origin(): string {
    return `http://127.0.0.1:${this.proxy.port}`;
  }

  /** Pages straight from the shim (they load even while the proxy refuses), WebSocket through the proxy. */
  pageUrl(path: string, query: Record<string, string> = {}): string {
    const params = new URLSearchParams({ ...query, ws: `ws://127.0.0.1:${this.proxy.port}/ws` });
    return `http://127.0.0.1:${this.server.port}${path}?${params}`;
  }

  async restart(): Promise<void> {
    await this.server.close();
    this.server = await this.startServer();
    this.proxy.retarget(this.server.port!);
  }

  async stop(): Promise<void> {
    await this.proxy.close();
    await this.server.close();
  }

  private async startServer(): Promise<LiveServer> {
    const server = createServer({
      static: { '/': 'e2e/pages', '/cdn/': 'dist/cdn' },
      logger: { ...console, debug() {}, info() {} },
      // Pages come from the shim's port while sockets go through the proxy's: two origins on
      // loopback, both ours.
      allowedOrigins: (origin) => /^http:\/\/127\.0\.0\.1:\d+$/.test(origin),
      ...this.options,
    });
    await server.listen(0, '127.0.0.1');
    return server;
  }
}
