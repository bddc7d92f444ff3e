import type { ApiObject, LiveServer, ServerOptions } from '../../server-shim/index';
// Our own `wirestore/testing` (dogfood): a real shim behind a loopback port that survives restarts.
import { startTestServer, type TestServer } from '../../testing/index';

/**
 * A real shim serving the e2e pages and the CDN build, reached through `startTestServer`'s
 * loopback port, so a test can cut connections, refuse them, or restart the shim behind it.
 */
export class ShimUnderTest {
  #test: TestServer | undefined;

  constructor(private readonly options: ServerOptions & { api?: ApiObject }) {}

  async start(): Promise<this> {
    this.#test = await startTestServer({
      static: { '/': 'e2e/pages', '/cdn/': 'dist/cdn' },
      logger: { ...console, debug() {}, info() {} },
      ...this.options,
    });
    return this;
  }

  get #running(): TestServer {
    if (!this.#test) throw new Error('ShimUnderTest: call start() first');
    return this.#test;
  }

  get server(): LiveServer {
    return this.#running.server;
  }

  /** Pages and WebSocket both through the test server's port. */
  get origin(): string {
    return this.#running.origin;
  }

  /** Pages straight from the shim (they load even while connections are refused), WebSocket through the port. */
  pageUrl(path: string, query: Record<string, string> = {}): string {
    const params = new URLSearchParams({ ...query, ws: this.#running.url });
    return `http://127.0.0.1:${this.server.port}${path}?${params}`;
  }

  restart(): Promise<void> {
    return this.#running.restart();
  }

  /** The shim unreachable (new connections refused) or back. */
  refuse(refusing: boolean): void {
    this.#running.refuse(refusing);
  }

  /** Every open connection cut, as a network drop. */
  cut(): void {
    this.#running.cut();
  }

  stop(): Promise<void> {
    return this.#running.close();
  }
}
