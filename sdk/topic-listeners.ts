import type { DeniedFrame, EventEnvelope, Position, SubscribedFrame } from '../protocol/frames';
import { judgeEvent, positionAfterAck } from './position';
import { safeInvoke } from './safe-invoke';
import type { SubscriptionRequest, WireHost, WireSubscriber } from './subscriptions';

/** Callbacks of one `client.subscribe`. */
export interface SubscribeOptions {
  /** Arguments passed to the server's access hook. */
  args?: unknown[];
  /** The server accepted; `seq` is the topic's position when the subscription took effect. */
  onSubscribed?: (ack: SubscribedFrame) => void;
  /** The server refused, or later ended the subscription; it is dropped and will not be retried. */
  onDenied?: (denial: DeniedFrame) => void;
  /**
   * The subscription came back but could not resume where it left off (the server restarted, or
   * the events missed are no longer in its replay buffer): events between `from` and `to` were
   * never delivered. Reload whatever you derived from this topic.
   */
  onReset?: (reset: { from: Position; to: Position }) => void;
}

export type EventListener = (event: EventEnvelope) => void;

export interface TopicListener extends SubscribeOptions {
  onEvent: EventListener;
}

/**
 * The listeners of one raw topic, sharing one wire subscription. Tracks the topic's position so
 * a reconnect resumes from it, an event seen twice is delivered once, and a gap is backfilled.
 * @internal
 */
export class TopicListeners implements WireSubscriber {
  readonly listeners = new Set<TopicListener>();
  #position: Position | undefined;
  #awaitingBackfill = false;

  constructor(
    readonly topic: string,
    private readonly args: unknown[],
    /** Re-sends the subscription with the current position: the server replays what was missed. */
    private readonly requestBackfill: () => void,
    /** The server denied or ended the subscription: the group is gone. */
    private readonly onGone: () => void = () => {},
  ) {}

  request(): SubscriptionRequest {
    return { topic: this.topic, stream: false, args: this.args, resume: this.#position && { ...this.#position } };
  }

  onSubscribed(ack: SubscribedFrame): void {
    this.#awaitingBackfill = false;
    const from = this.#position;
    const { position, reset } = positionAfterAck(from, ack);
    this.#position = position;
    for (const listener of [...this.listeners]) {
      safeInvoke(listener.onSubscribed, ack);
      if (reset) safeInvoke(listener.onReset, { from: from!, to: position });
    }
    for (const event of ack.replay ?? []) this.onEvent(event);
  }

  onEvent(event: EventEnvelope): void {
    if (this.#awaitingBackfill && event.seq !== undefined) return; // the backfill reply replays it
    const { verdict, position } = judgeEvent(this.#position, event.seq);
    if (verdict === 'duplicate') return;
    if (verdict === 'gap') {
      // A gap on a live connection: ask for exactly the missing events now, not at the next reconnect.
      this.#awaitingBackfill = true;
      return this.requestBackfill();
    }
    this.#position = position;
    for (const listener of [...this.listeners]) safeInvoke(listener.onEvent, event);
  }

  onDenied(denial: DeniedFrame): void {
    for (const listener of [...this.listeners]) safeInvoke(listener.onDenied, denial);
    this.listeners.clear();
    this.onGone();
  }
}

/**
 * The client's raw topic subscriptions: one {@link TopicListeners} and one wire subscription per
 * topic, however many listeners; the wire subscription ends with the last listener.
 * @internal
 */
export class RawTopics {
  readonly #groups = new Map<string, { ref: number; group: TopicListeners }>();

  constructor(private readonly wire: WireHost) {}

  /** Adds a listener; returns the function that removes it. */
  subscribe(topic: string, listener: TopicListener): () => void {
    let entry = this.#groups.get(topic);
    if (!entry) {
      const created: { ref: number; group: TopicListeners } = {
        ref: 0,
        group: new TopicListeners(
          topic,
          listener.args ?? [],
          () => this.wire.resubscribe(created.ref),
          () => this.#groups.get(topic) === created && this.#groups.delete(topic),
        ),
      };
      this.#groups.set(topic, created);
      created.ref = this.wire.subscribe(created.group);
      entry = created;
    }
    const owner = entry;
    owner.group.listeners.add(listener);
    return () => {
      if (!owner.group.listeners.delete(listener) || owner.group.listeners.size > 0 || this.#groups.get(topic) !== owner) return;
      this.#groups.delete(topic);
      this.wire.unsubscribe(owner.ref);
    };
  }
}
