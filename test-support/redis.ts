import { createClient } from '@redis/client';
import { afterAll, beforeAll } from 'vitest';
import { RedisServerUnderTest } from './redis-server';

/**
 * A real redis-server for this test file (started before its tests, stopped after), and
 * connections to it, each closed at the end. Connections reconnect quickly (tests restart
 * Redis), and their errors are expected, so they are not reported.
 */
export function useRedis() {
  const redis = new RedisServerUnderTest();
  const clients: Array<{ destroy(): void }> = [];
  beforeAll(async () => {
    await redis.start();
  });
  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await redis.stop();
  });
  async function connect(options: { disableOfflineQueue?: boolean } = {}) {
    const client = createClient({ url: redis.url, socket: { reconnectStrategy: 20 }, ...options });
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    return client;
  }
  return { redis, connect };
}
