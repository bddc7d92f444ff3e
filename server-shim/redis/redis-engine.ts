import { randomBytes, randomUUID } from 'node:crypto';
import { defineEngine, type Engine, type EngineHost, type EngineRuntime, type RunOnce } from '../engine';
import type { Outcome } from '../idempotency';
import { unavailable } from './unavailable';
import { ClusterTopics } from './cluster-topics';
import { SharedIdempotency, type SharedIdempotencyOptions } from './idempotency-store';
import { SharedBuckets } from './shared-buckets';
import { SharedPresence } from './shared-presence';
import type { RateLimit } from '../rate-limit';
import { PubSubProbe, type ProbeOptions } from './pubsub-probe';
import { RedisConnections } from './redis-connections';
import type { TopicLogLimits } from './topic-log';
import { UserRouter } from './user-router';

/** A process that stops refreshing its users' presence (it died) has them leave after this (ms), plus one sweep. */
const PRESENCE_EXPIRY_MS = 10_000;

/** How long a keyed call waits for an unreachable Redis before it fails with UNAVAILABLE, unrun. */
const CALL_WAIT_MS = 5_000;

/** Options of {@link redisEngine}. */
export interface RedisEngineOptions {
  /** Where Redis is: `redis://[user:password@]host:port[/db]` (`rediss://` for TLS). */
  url: string;
  /** Prefix of every key and channel, to share one Redis between apps. Default `ws:`. */
  prefix?: string;
  /** How much history each topic keeps in Redis for resuming clients. Default 1000 events, 4 MiB, 5 minutes. */
  replay?: Omit<TopicLogLimits, 'prefix'>;
  /** The exactly-once window for keyed calls, shared by every process. */
  idempotency?: Omit<SharedIdempotencyOptions, 'prefix'>;
  /**
   * Limits shared by every process. `callsPerUser`: calls per user (else per client instance) over
   * the whole cluster, a Redis round trip per call. Off by default: the per-connection limits of
   * `createServer({ rateLimit })` apply in each process either way.
   */
  rateLimit?: { callsPerUser?: RateLimit };
  /** How an idle subscriber connection is checked for deafness. Default: probed after 30 s of silence. */
  probe?: Omit<ProbeOptions, 'prefix'>;
}

/** The Redis engine, as `createServer({ engine })` takes it. */
export interface RedisEngine extends Engine {
  readonly name: 'redis';
}

/**
 * Runs N server processes as one, on one Redis: each topic has one seq and one epoch for the
 * whole cluster, so a client resumes on any process; replay survives a process restart; presence,
 * the exactly-once window and server pushes to a user reach across processes.
 * @example createServer({ api, engine: redisEngine({ url: 'redis://127.0.0.1:6379' }) })
 */
export function redisEngine(options: RedisEngineOptions): RedisEngine {
  if (typeof options?.url !== 'string' || !/^rediss?:\/\//.test(options.url)) {
    throw new TypeError(`redisEngine({ url }): url must be a redis:// or rediss:// URL, got ${JSON.stringify(options?.url)}`);
  }
  return defineEngine({ name: 'redis' }, (host) => startRedisEngine(host, options));
}

function startRedisEngine(host: EngineHost, options: RedisEngineOptions): EngineRuntime {
  const prefix = options.prefix ?? 'ws:';
  const node = randomUUID();
  let lastWaitingLog = 0;
  const redis = new RedisConnections(options.url, {
    onReady(again) {
      if (!again) return;
      host.setAvailable(true, 'Redis is reachable again: catching up on every topic followed here');
      void topics.feed.resync();
    },
    onLost: (reason) => host.setAvailable(false, reason),
    onWaiting(error) {
      // Said at once, then every 10 s while Redis stays out of reach: `listen()` waits for it.
      if (Date.now() - lastWaitingLog < 10_000) return;
      lastWaitingLog = Date.now();
      host.logger.warn(`[wirestore] waiting for Redis at ${redactedUrl(options.url)}: ${String(error)}`);
    },
  });
  const topics = new ClusterTopics(host, redis, { ...options.replay, prefix });
  const users = new UserRouter(
    redis.commands,
    redis,
    node,
    (user, event, data) => host.deliverToUser(user, event, data),
    (reply) => host.answerRequest(reply),
    { prefix },
  );
  const probe = new PubSubProbe(
    redis.commands,
    redis,
    node,
    () => {
      host.logger.warn('[wirestore] the Redis subscriber went deaf: replacing it and catching up');
      void redis
        .replaceSubscriber()
        .then(() => topics.feed.resync())
        .catch(() => {});
    },
    { ...options.probe, prefix },
  );
  const presence = new SharedPresence(redis.commands, { expiryMs: PRESENCE_EXPIRY_MS, prefix });
  let keySecret: string | undefined;
  const callsPerUser = options.rateLimit?.callsPerUser;
  const callBuckets = callsPerUser && new SharedBuckets(redis.commands, callsPerUser, `${prefix}calls:`);
  const shared = new SharedIdempotency(redis.commands, { ...options.idempotency, prefix });
  const runOnce: RunOnce = {
    enabled: true,
    // A short Redis blip (a reconnect) is waited out; a longer outage fails the call, unrun.
    run: (scope, key, _path, execute) =>
      redis
        .whenAvailable(CALL_WAIT_MS)
        .then(() => shared.run(scope, key, execute))
        .catch((error: unknown): Outcome => unavailableOutcome(error)),
    sized: () => {},
  };
  const ready = (async () => {
    await redis.connect();
    keySecret = await sharedSecret(redis, prefix);
    await Promise.all([users.start(), probe.start()]);
  })();
  ready.catch((error: unknown) => host.logger.error('[wirestore] could not connect to Redis:', error));

  const logged = (what: string) => (error: unknown) => host.logger.warn(`[wirestore] ${what}:`, error);
  return {
    ready,
    publish: (topic, event, data, sender, id) => topics.publish(topic, event, data, sender, id),
    publishUnsequenced: (topic, event, data) => topics.publishUnsequenced(topic, event, data),
    publishCoalesced: (message) => topics.publishCoalesced(message),
    follow: (topic) => topics.follow(topic),
    history: (topic, from) => topics.history(topic, from),
    release: (topic) => topics.release(topic),
    userConnected: (key) => void users.connected(key).catch(logged('could not record a connection in Redis')),
    userDisconnected: (key) => void users.disconnected(key).catch(logged('could not remove a connection from Redis')),
    sendToUser: (key, event, data) =>
      users.sendToUser(key, event, data).catch((error: unknown) => {
        throw unavailable('the push was not sent', error);
      }),
    node,
    forwardReply: (owner, reply) => void users.forwardReply(owner, reply).catch(logged('could not forward an answer to its request')),
    runOnce,
    callLimit: callBuckets && ((scope) => callBuckets.take(scope)),
    presence: { store: presence, node },
    keySecret: () => keySecret,
    async stop() {
      probe.stop();
      topics.stop();
      await users.stop().catch(() => {});
      await redis.close();
    },
  };
}

/** The URL as it may be logged: without its password. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** The secret every process derives opaque user keys from: the first process to start makes it. */
async function sharedSecret(redis: RedisConnections, prefix: string): Promise<string> {
  const key = `${prefix}secret`;
  await redis.commands.sendCommand(['SET', key, randomBytes(32).toString('base64url'), 'NX']);
  return String(await redis.commands.sendCommand(['GET', key]));
}

function unavailableOutcome(error: unknown): Outcome {
  return { ok: false, error: unavailable('the call was not run', error).toBody() };
}
