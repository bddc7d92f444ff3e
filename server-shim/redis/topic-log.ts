import { randomUUID } from 'node:crypto';
import { evalScript } from './eval';
import { APPEND, SINCE } from './scripts';

/** What the log needs of a Redis connection: one command at a time (node-redis `sendCommand`). */
export interface RedisCommander {
  sendCommand(args: string[]): Promise<unknown>;
}

/** How much of each topic's history Redis keeps for resuming clients. */
export interface TopicLogLimits {
  /** Events kept per topic. Default 1000. */
  maxEvents?: number;
  /** Bytes of encoded events kept per topic. Default 4 MiB. */
  maxBytes?: number;
  /** Events older than this (ms) are not replayed. Default 5 minutes. */
  maxAgeMs?: number;
  /** A topic nobody publishes to is forgotten after this long (ms). Default 7 days. */
  ttlMs?: number;
  /** Prefix of every key and channel, to share one Redis between apps. Default `ws:`. */
  prefix?: string;
}

export interface Position {
  epoch: string;
  seq: number;
}

/** What a resuming client gets: the events after its position, or the position to reload at. */
export type SinceResult =
  { resumed: true; position: Position; events: Array<{ seq: number; event: string }> } | { resumed: false; position: Position };

/** A message on a topic's channel, as every instance receives it. */
export interface ChannelMessage {
  epoch: string;
  seq: number;
  event: string;
}

/** How long a publish id is remembered per topic: a retry within it is not published twice. */
export const PUBLISH_ID_WINDOW_MS = 10 * 60_000;

/** How long a topic created by a read (a subscription) is kept in Redis without a publish. */
const READ_TTL_MS = 10 * 60_000;

const DEFAULTS = { maxEvents: 1000, maxBytes: 4 * 1024 * 1024, maxAgeMs: 5 * 60_000, ttlMs: 7 * 24 * 3_600_000, prefix: 'ws:' };

/**
 * One seq and one epoch per topic for a whole cluster, kept in Redis. `append` takes the next seq,
 * stores the event for replay and publishes it on the topic's channel in one atomic script; `since`
 * answers a client resuming on any instance. An epoch rotates whenever Redis may have lost data.
 * @internal The building block of the Redis engine.
 */
export class RedisTopicLog {
  readonly #limits: typeof DEFAULTS;

  constructor(
    private readonly redis: RedisCommander,
    limits: TopicLogLimits = {},
  ) {
    this.#limits = { ...DEFAULTS, ...limits };
  }

  /** The channel every instance subscribes to for `topic`. */
  channelOf(topic: string): string {
    return `${this.#limits.prefix}{${topic}}`;
  }

  /**
   * Stamps the event with the topic's next seq, keeps it for replay and publishes it, atomically.
   * With an `id` already published on the topic in the last `PUBLISH_ID_WINDOW_MS` (same epoch),
   * nothing is done and that publish's position comes back, marked `duplicate`.
   */
  async append(topic: string, event: string, now = Date.now(), id?: string): Promise<Position & { duplicate: boolean }> {
    const { maxEvents, maxBytes, maxAgeMs, ttlMs } = this.#limits;
    const reply = (await evalScript(this.redis, APPEND, this.#keys(topic, id), [
      newEpoch(),
      String(ttlMs),
      event,
      String(now),
      this.channelOf(topic),
      String(maxEvents),
      String(maxBytes),
      String(maxAgeMs),
      id === undefined ? '' : '1',
      String(PUBLISH_ID_WINDOW_MS),
    ])) as [string, number, number];
    return { epoch: reply[0], seq: Number(reply[1]), duplicate: Number(reply[2]) === 1 };
  }

  /** The events after `from`, if Redis still holds all of them under the same epoch; else where to reload. */
  async since(topic: string, from: Position, now = Date.now()): Promise<SinceResult> {
    const { maxEvents, maxAgeMs, ttlMs } = this.#limits;
    const reply = (await this.#run(SINCE, topic, [
      newEpoch(),
      // A topic only read (subscribed to, never published) is forgotten sooner: subscribing to
      // made-up topic names must not fill Redis for a week. The first publish sets the full TTL.
      String(Math.min(ttlMs, READ_TTL_MS)),
      from.epoch,
      String(from.seq),
      String(maxEvents),
      String(maxAgeMs),
      String(now),
    ])) as [string, number, number, ...Array<number | string>];
    const position = { epoch: reply[0], seq: Number(reply[1]) };
    if (Number(reply[2]) !== 1) return { resumed: false, position };
    const events: Array<{ seq: number; event: string }> = [];
    for (let i = 3; i < reply.length; i += 2) events.push({ seq: Number(reply[i]), event: String(reply[i + 1]) });
    return { resumed: true, position, events };
  }

  /** The topic's position now (its epoch is created if it has none). */
  async position(topic: string): Promise<Position> {
    return (await this.since(topic, { epoch: '', seq: 0 })).position;
  }

  /** A message without a seq for a topic's channel: `0|<payload>` (seqs start at 1). */
  static unsequenced(payload: string): string {
    return `0|${payload}`;
  }

  /** The payload of an unsequenced message, or undefined for a sequenced one. */
  static unsequencedPayload(message: string): string | undefined {
    return message.startsWith('0|') ? message.slice(2) : undefined;
  }

  /** Reads a message of a topic's channel. */
  static parse(message: string): ChannelMessage | undefined {
    const first = message.indexOf('|');
    const second = message.indexOf('|', first + 1);
    if (first <= 0 || second <= first) return undefined;
    const seq = Number(message.slice(0, first));
    return Number.isSafeInteger(seq) ? { seq, epoch: message.slice(first + 1, second), event: message.slice(second + 1) } : undefined;
  }

  #run(script: string, topic: string, args: string[]): Promise<unknown> {
    return evalScript(this.redis, script, this.#keys(topic), args);
  }

  /** The topic's keys, one hash slot: meta, stream, and a publish id's dedup key when there is one. */
  #keys(topic: string, id?: string): string[] {
    const tagged = `${this.#limits.prefix}{${topic}}`;
    return id === undefined ? [`${tagged}:m`, `${tagged}:x`] : [`${tagged}:m`, `${tagged}:x`, `${tagged}:d:${id}`];
  }
}

const newEpoch = () => randomUUID();
