import net from 'node:net';
import { afterAll, afterEach, expect, it } from 'vitest';
import type { EventEnvelope } from '../../protocol/frames';
import { useRedis } from '../../test-support/redis';
import { closeAll, connectClient, startServer, waitFor } from '../test-support/harness';
import { redisPublisher } from './publisher';
import { redisEngine } from './redis-engine';

// Centrifugo once lost events after a Redis failover: its pub/sub connection stayed open but heard
// nothing, while every health check stayed green. Here the engine's subscriber connection goes deaf
// the same way (a proxy stops passing Redis's messages to it, the socket stays up), and the engine
// must notice through its probe, replace the connection and catch up.

const { redis } = useRedis();
afterEach(closeAll);

/** A loopback proxy to Redis whose connections can be silenced one by one (Redis → client only). */
class SilencingProxy {
  readonly #server = net.createServer((client) => {
    const upstream = net.connect(redisPort(), '127.0.0.1');
    client.pipe(upstream);
    upstream.on('data', (chunk) => this.#silenced.has(client) || client.write(chunk));
    const drop = () => (client.destroy(), upstream.destroy());
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    this.connections.push(client);
  });
  readonly #silenced = new Set<net.Socket>();
  readonly connections: net.Socket[] = [];

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `redis://127.0.0.1:${(this.#server.address() as net.AddressInfo).port}`;
  }

  silence(connection: net.Socket): void {
    this.#silenced.add(connection);
  }

  close(): void {
    for (const connection of this.connections) connection.destroy();
    this.#server.close();
  }
}
const redisPort = () => Number(new URL(redis.url).port);
const proxies: SilencingProxy[] = [];
afterAll(() => proxies.forEach((proxy) => proxy.close()));

it('a subscriber connection that went deaf is found by the probe, replaced, and the missed events arrive', async () => {
  const proxy = new SilencingProxy();
  proxies.push(proxy);
  const url = await proxy.listen();
  // Probed after 200 ms of silence, deaf if the echo takes over 300 ms: fast enough for a test.
  const server = await startServer({ engine: redisEngine({ url, prefix: 'deaf:', probe: { idleMs: 200, timeoutMs: 300 } }) });
  const client = connectClient(server.url);
  const events: EventEnvelope[] = [];
  client.subscribe('news', (event) => events.push(event));
  const worker = await redisPublisher({ url: redis.url, prefix: 'deaf:' });
  await waitFor(() => {
    void worker.publish('news', 'warm-up', null);
    return events.length > 0;
  });

  // The engine opened its command connection, then its subscriber: silence the subscriber.
  expect(proxy.connections).toHaveLength(2);
  proxy.silence(proxy.connections[1]!);
  const seq = await worker.publish('news', 'while-deaf', 1);
  await waitFor(() => events.some((event) => event.event === 'while-deaf'), 5_000);
  expect(events.find((event) => event.event === 'while-deaf')!.seq).toBe(seq);
  expect(proxy.connections.length).toBeGreaterThan(2); // a new subscriber connection
  await worker.close();
});
