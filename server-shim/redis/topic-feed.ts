import { RedisTopicLog, type ChannelMessage, type Position } from './topic-log';

/** An event of a topic, as this instance hands it on: in seq order, with no gap. */
export interface FeedEvent {
  topic: string;
  epoch: string;
  seq: number;
  event: string;
}

/** What the feed needs of the subscriber connection (a node-redis client in subscriber mode). */
export interface RedisSubscriber {
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
}

export interface FeedHandlers {
  /** The next event of a watched topic: always the seq after the last one handed on. */
  deliver(event: FeedEvent): void;
  /** The topic's history could not be repaired (Redis lost it, or it aged out): its subscribers reload from `position`. */
  reset(topic: string, position: Position): void;
  /** A message without a seq (see `RedisTopicLog.unsequenced`): handed on as it comes, outside the order. */
  unsequenced(topic: string, payload: string): void;
}

interface Watched {
  position: Position;
  /** Messages that arrived while a repair was fetching what came before them. */
  pending: ChannelMessage[] | undefined;
  /** More arrived during a repair than are held: the log has them, so the repair runs again. */
  overflowed: boolean;
}

/** Messages held per topic during a repair; past this they are dropped and read from the log instead. */
const MAX_HELD = 1000;

/**
 * One instance's view of the topics its clients use. Every event reaches it through the topic's
 * Redis channel, its own publishes included, and is checked against the last seq handed on: a
 * duplicate is dropped, and a gap (a message lost on the pub/sub path, or a reconnect) is filled
 * from the topic log before anything after it goes out. So clients only ever see each topic's
 * single cluster-wide sequence, whole.
 * @internal
 */
export class RedisTopicFeed {
  readonly #watched = new Map<string, Watched>();

  constructor(
    private readonly log: RedisTopicLog,
    private readonly subscriber: RedisSubscriber,
    private readonly handlers: FeedHandlers,
  ) {}

  get size(): number {
    return this.#watched.size;
  }

  /** Where a watched topic is: the last seq handed on. Undefined when not watched. */
  positionOf(topic: string): Position | undefined {
    const watched = this.#watched.get(topic);
    return watched && { ...watched.position };
  }

  /** Hands on the topic's events after `from` (where its subscribers are), from now until `unwatch`. */
  async watch(topic: string, from: Position): Promise<void> {
    if (this.#watched.has(topic)) return;
    const watched: Watched = { position: { ...from }, pending: [], overflowed: false }; // held until caught up, below
    this.#watched.set(topic, watched);
    await this.subscriber.subscribe(this.log.channelOf(topic), (message) => this.#receive(topic, message));
    // Published between `from` and the subscription taking effect: fetched, then the held ones follow.
    await this.#repair(topic, watched);
  }

  /**
   * Starts watching `topic` from Redis's present: subscribes first, then reads the position (one
   * round trip fewer than `watch`). `onPosition` hears it before any event is handed on; messages
   * that came in meanwhile follow it, the ones it already counts dropped. Resolves with it.
   */
  async watchFromNow(topic: string, onPosition: (position: Position) => void): Promise<Position> {
    const watched: Watched = { position: { epoch: '', seq: 0 }, pending: [], overflowed: false };
    this.#watched.set(topic, watched);
    await this.subscriber.subscribe(this.log.channelOf(topic), (message) => this.#receive(topic, message));
    const position = await this.log.position(topic);
    if (this.#watched.get(topic) !== watched) return position;
    watched.position = { ...position };
    onPosition({ ...position });
    this.#releaseHeld(topic, watched);
    return position;
  }

  async unwatch(topic: string): Promise<void> {
    if (!this.#watched.delete(topic)) return;
    await this.subscriber.unsubscribe(this.log.channelOf(topic));
  }

  /** After the subscriber reconnected: every watched topic catches up on what it missed meanwhile. */
  async resync(): Promise<void> {
    const repairs = [...this.#watched.entries()].map(([topic, watched]) => {
      watched.pending ??= [];
      return this.#repair(topic, watched);
    });
    await Promise.all(repairs);
  }

  #receive(topic: string, raw: string): void {
    const watched = this.#watched.get(topic);
    const unsequenced = RedisTopicLog.unsequencedPayload(raw);
    if (unsequenced !== undefined) return void (watched && this.handlers.unsequenced(topic, unsequenced));
    const message = RedisTopicLog.parse(raw);
    if (!watched || !message) return;
    if (!watched.pending) return this.#take(topic, watched, message);
    if (watched.pending.length < MAX_HELD) watched.pending.push(message);
    else {
      watched.pending.length = 0;
      watched.overflowed = true;
    }
  }

  /** One message, in order: handed on, dropped as a duplicate, or the start of a repair. */
  #take(topic: string, watched: Watched, message: ChannelMessage): void {
    const { position } = watched;
    if (message.epoch === position.epoch && message.seq <= position.seq) return; // already handed on
    if (message.epoch === position.epoch && message.seq === position.seq + 1) {
      position.seq = message.seq;
      this.handlers.deliver({ topic, epoch: message.epoch, seq: message.seq, event: message.event });
      return;
    }
    // A gap, or a new epoch: fetch what is missing before this message goes out.
    watched.pending = [message];
    void this.#repair(topic, watched);
  }

  /** Fills the topic up to Redis's present from the log, then hands on the messages held meanwhile. */
  async #repair(topic: string, watched: Watched): Promise<void> {
    try {
      const result = await this.log.since(topic, watched.position);
      if (this.#watched.get(topic) !== watched) return;
      if (result.resumed) {
        for (const { seq, event } of result.events) {
          if (seq <= watched.position.seq) continue;
          watched.position.seq = seq;
          this.handlers.deliver({ topic, epoch: result.position.epoch, seq, event });
        }
      } else {
        watched.position = { ...result.position };
        this.handlers.reset(topic, { ...result.position });
      }
    } catch {
      // Redis is away: the held messages wait; `resync` runs again when it is back.
      return;
    }
    this.#releaseHeld(topic, watched);
  }

  /** Hands on the messages held while the position was being settled; more than were held: repair instead. */
  #releaseHeld(topic: string, watched: Watched): void {
    if (watched.overflowed) {
      watched.overflowed = false;
      watched.pending = [];
      return void this.#repair(topic, watched);
    }
    const held = (watched.pending ?? []).sort((a, b) => a.seq - b.seq);
    watched.pending = undefined;
    for (let i = 0; i < held.length; i++) {
      this.#take(topic, watched, held[i]!);
      // That message started another repair: the rest wait for it.
      const again = watched.pending as ChannelMessage[] | undefined;
      if (again) return void again.push(...held.slice(i + 1));
    }
  }
}
