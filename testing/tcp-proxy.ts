import net from 'node:net';

/**
 * A loopback TCP proxy for fault tests: clients connect to the proxy, which forwards to the
 * current target port. Tests cut every live connection, or point it at a restarted server
 * (a server cannot rebind its old port while the old connections sit in TIME_WAIT).
 */
export class TcpProxy {
  private readonly server = net.createServer((client) => this.forward(client));
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private refusing = false;
  private stalled = false;
  port = 0;

  constructor(private targetPort: number) {}

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Sends new connections to another port (existing ones are untouched). */
  retarget(port: number): void {
    this.targetPort = port;
  }

  /** While true, new connections are accepted and dropped at once, like a server that is down. */
  refuse(refusing: boolean): void {
    this.refusing = refusing;
  }

  /**
   * Stops reading from the server side of every live connection (a consumer that cannot keep
   * up): the server's kernel buffers fill, and its own backpressure starts.
   */
  stall(): void {
    this.stalled = true;
    for (const [, upstream] of this.pairs) upstream.pause();
  }

  resume(): void {
    this.stalled = false;
    for (const [, upstream] of this.pairs) upstream.resume();
  }

  /** Destroys every live connection in both directions, as a network fault would. */
  cutAll(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  get connectionCount(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    // Clients reconnect at once; refuse them, or close() would wait on them forever.
    this.refusing = true;
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: net.Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
    if (this.stalled) upstream.pause();
  }
}
