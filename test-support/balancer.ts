import net from 'node:net';

/**
 * A loopback load-spreading proxy in front of several server processes: each new connection goes
 * to the next backend in turn, and to the one after it when that one refuses (it died). Knows
 * which backend each live connection sits on.
 */
export class Balancer {
  readonly #server = net.createServer((client) => this.#forward(client, 0));
  readonly #live = new Map<number, Set<net.Socket>>();
  #next = 0;
  port = 0;

  constructor(private readonly backends: number[]) {
    for (const port of backends) this.#live.set(port, new Set());
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Connections now open to `backend`. */
  connectionsTo(backend: number): number {
    return this.#live.get(backend)?.size ?? 0;
  }

  async close(): Promise<void> {
    for (const sockets of this.#live.values()) for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #forward(client: net.Socket, tried: number): void {
    if (tried >= this.backends.length) return void client.destroy();
    const backend = this.backends[this.#next++ % this.backends.length]!;
    const upstream = net.connect(backend, '127.0.0.1');
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      this.#live.get(backend)!.add(client);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    const drop = () => {
      this.#live.get(backend)!.delete(client);
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', () => (connected ? drop() : this.#forward(client, tried + 1)));
    upstream.on('close', () => connected && drop());
    client.on('error', drop).on('close', drop);
  }
}
