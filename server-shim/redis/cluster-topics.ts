import type { EventEnvelope } from '../../protocol/frames';
import type { EngineHost, TopicPosition } from '../engine';
import type { CoalescedMessage } from '../live-hub';
import type { RedisConnections } from './redis-connections';
import { unavailable } from './unavailable';
import { encodeEvent, envelopeOf, parseEvent } from './wire-event';
import { RedisTopicFeed, type FeedEvent } from './topic-feed';
import { RedisTopicLog, type TopicLogLimits } from './topic-log';

/** A topic nobody here needs stays followed this long: a client that reconnects here finds it warm. */
const LINGER_MS = 10_000;
/**
 * How long a subscribe to a topic this process does not follow yet waits for Redis to come back
 * before it is refused with UNAVAILABLE (the client shows it as loading meanwhile).
 */
const FOLLOW_WAIT_MS = 30_000;

/**
 * The topics of one process under the Redis engine. A publish goes to Redis (the topic log's Lua
 * script takes the cluster-wide seq, stores the event and publishes it); every process, this one
 * included, gets it back through the topic's channel, in order and whole (the feed repairs gaps),
 * and fans it out to its own subscribers. Topics are followed while someone here needs them.
 * @internal
 */
export class ClusterTopics {
  private readonly log: RedisTopicLog;
  readonly feed: RedisTopicFeed;
  readonly #following = new Map<string, Promise<void>>();
  readonly #lingering = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly host: EngineHost,
    private readonly redis: RedisConnections,
    limits: TopicLogLimits,
  ) {
    this.log = new RedisTopicLog(redis.commands, limits);
    this.feed = new RedisTopicFeed(this.log, redis, {
      deliver: (event) => this.#deliver(event),
      reset: (topic, position) => {
        if (host.topics.epochIfKnown(topic) !== undefined) host.resetTopic(topic, position);
      },
      unsequenced: (topic, payload) => this.#deliverUnsequenced(topic, payload),
    });
  }

  publish(topic: string, event: string, data: unknown, sender: string | undefined, id?: string): Promise<number> {
    const payload = encodeEvent(event, data, sender);
    return this.log.append(topic, payload, Date.now(), id).then(
      (position) => position.seq,
      (error: unknown) => {
        throw unavailable('the event was not published', error);
      },
    );
  }

  /** Without a seq: straight onto the topic's channel, no history. Lost when Redis is away, as such events may be. */
  publishUnsequenced(topic: string, event: string, data: unknown, key?: string): void {
    const payload = encodeEvent(event, data, undefined, key);
    this.redis.commands.sendCommand(['PUBLISH', this.log.channelOf(topic), RedisTopicLog.unsequenced(payload)]).catch(() => {
      // fire-and-forget by contract (cursors, typing indicators); the pressure signal tells of the outage
    });
  }

  publishCoalesced(message: CoalescedMessage): void {
    this.publishUnsequenced(message.topic, message.event, message.data, message.key);
  }

  follow(topic: string): Promise<void> | undefined {
    const lingering = this.#lingering.get(topic);
    if (lingering) clearTimeout(lingering);
    this.#lingering.delete(topic);
    const watched = this.feed.positionOf(topic);
    if (watched && !this.#following.has(topic)) {
      if (this.host.topics.epochIfKnown(topic) === undefined) this.host.topics.adopt(topic, watched);
      return undefined;
    }
    let following = this.#following.get(topic);
    if (!following) {
      following = this.#startFollowing(topic).finally(() => this.#following.delete(topic));
      this.#following.set(topic, following);
    }
    return following;
  }

  async #startFollowing(topic: string): Promise<void> {
    const { topics } = this.host;
    // Held while Redis answers, so the sweep cannot free the state this is filling.
    const hold = topics.holdForLoad(topic);
    try {
      await this.redis.whenAvailable(FOLLOW_WAIT_MS);
      // The position is adopted before the first event of the topic is handed on.
      await this.feed.watchFromNow(topic, (position) => topics.adopt(topic, position));
    } catch (error) {
      void this.feed.unwatch(topic).catch(() => {});
      throw error;
    } finally {
      hold.release(1_000);
    }
  }

  release(topic: string): void {
    if (this.#lingering.has(topic)) return;
    const timer = setTimeout(() => {
      this.#lingering.delete(topic);
      if (this.host.topics.epochIfKnown(topic) === undefined) void this.feed.unwatch(topic).catch(() => {});
    }, LINGER_MS);
    timer.unref?.();
    this.#lingering.set(topic, timer);
  }

  /** The events after `from` that Redis holds, in order and contiguous; undefined when some are gone. */
  async history(topic: string, from: TopicPosition): Promise<EventEnvelope[] | undefined> {
    const result = await this.log.since(topic, from);
    if (!result.resumed || !result.events.every((event, i) => event.seq === from.seq + 1 + i)) return undefined;
    return result.events.map(({ seq, event }) => envelopeOf(topic, event, seq));
  }

  stop(): void {
    for (const timer of this.#lingering.values()) clearTimeout(timer);
    this.#lingering.clear();
  }

  #deliver(event: FeedEvent): void {
    // The JSON it came in as is a fair estimate of its encoded size: no second walk of the data.
    const delivered = this.host.topics.deliver(event.topic, envelopeOf(event.topic, event.event, event.seq), event.event.length);
    if (!delivered) this.host.logger.error(`[wirestore] event ${event.seq} on "${event.topic}" could not be encoded; skipped`);
  }

  #deliverUnsequenced(topic: string, payload: string): void {
    const wire = parseEvent(payload);
    if (!wire) return;
    if (wire.k !== undefined) return this.host.deliverCoalesced({ key: wire.k, topic, event: wire.e, data: wire.d });
    this.host.topics.deliver(topic, envelopeOf(topic, payload));
  }
}
