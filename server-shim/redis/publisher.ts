import type { RedisClientType } from '@redis/client';
import { checkedPublishId } from '../publish-ids';
import { loadRedisClient } from './redis-connections';
import { RedisTopicLog, type TopicLogLimits } from './topic-log';
import { unavailable } from './unavailable';
import { encodeEvent } from './wire-event';

/** Options of {@link redisPublisher}: the same Redis and prefix as the servers' `redisEngine`. */
export interface RedisPublisherOptions {
  url: string;
  /** Default `ws:`, as `redisEngine`'s. */
  prefix?: string;
  /** As `redisEngine`'s `replay`: how much history each topic keeps (applied as this publisher appends). */
  replay?: Omit<TopicLogLimits, 'prefix'>;
}

/** Publishes into a Redis-engine cluster from a process that serves no clients. */
export interface RedisPublisher {
  /**
   * Sequences the event in the topic's cluster-wide seq, stores it for replay and sends it to every
   * subscriber on every server process. Resolves with the seq; rejects with a `LiveError`
   * `UNAVAILABLE` when Redis cannot be reached. With `id`, a retry of the same publish (same id, same
   * topic, within 10 minutes) is not sent twice and resolves with the first one's seq.
   */
  publish(topic: string, event: string, data: unknown, options?: { id?: string }): Promise<number>;
  close(): Promise<void>;
}

/**
 * A publisher for workers, cron jobs and other services: no uWS, no WebSocket server, one Redis
 * connection. Its events are sequenced exactly like a server's `publish`.
 * @example
 * const publisher = await redisPublisher({ url: process.env.REDIS_URL! });
 * await publisher.publish('orders', 'shipped', { id: 7 });
 */
export async function redisPublisher(options: RedisPublisherOptions): Promise<RedisPublisher> {
  const { createClient } = await loadRedisClient();
  const client = createClient({ url: options.url, disableOfflineQueue: true }) as RedisClientType;
  client.on('error', () => {}); // a publish while disconnected rejects; node-redis reconnects by itself
  await client.connect();
  const log = new RedisTopicLog(client, { ...options.replay, prefix: options.prefix ?? 'ws:' });
  return {
    publish: (topic, event, data, options) =>
      log.append(topic, encodeEvent(event, data, undefined), Date.now(), checkedPublishId(options?.id)).then(
        (position) => position.seq,
        (error: unknown) => {
          throw unavailable('the event was not published', error);
        },
      ),
    close: async () => client.destroy(),
  };
}
