import type { DeniedFrame, EventEnvelope, Position, SubscribedFrame } from '../protocol/frames';
import { safeInvoke } from './safe-invoke';
import type { SubscriptionRequest, WireSubscriber } from './subscriptions';

/** Callbacks of one `client.subscribe`. */
export interface SubscribeOptions {
  /** Arguments passed to the server's access hook. */
  args?: unknown[];
  /** The server accepted; `seq` is the topic's position when the subscription took effect. */
  onSubscribed?: (ack: SubscribedFrame) => void;
  /** The server refused; the subscription is dropped and will not be retried. */
  onDenied?: (denial: DeniedFrame) => void;
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
  ) {}

  request(): SubscriptionRequest {
    return { topic: this.topic, stream: false, args: this.args, resume: this.#position && { ...this.#position } };
  }

  onSubscribed(ack: SubscribedFrame): void {
    this.#awaitingBackfill = false;
    if (!ack.resumed || this.#position?.epoch !== ack.epoch) this.#position = { epoch: ack.epoch, seq: ack.seq };
    for (const listener of [...this.listeners]) safeInvoke(listener.onSubscribed, ack);
    for (const event of ack.replay ?? []) this.onEvent(event);
  }

  onEvent(event: EventEnvelope): void {
    if (event.seq !== undefined && this.#position) {
      if (this.#awaitingBackfill || event.seq <= this.#position.seq) return; // the reply replays it / seen already
      if (event.seq > this.#position.seq + 1) {
        // A gap on a live connection: ask for exactly the missing events now, not at the next reconnect.
        this.#awaitingBackfill = true;
        return this.requestBackfill();
      }
      this.#position = { epoch: this.#position.epoch, seq: event.seq };
    }
    for (const listener of [...this.listeners]) safeInvoke(listener.onEvent, event);
  }

  onDenied(denial: DeniedFrame): void {
    for (const listener of [...this.listeners]) safeInvoke(listener.onDenied, denial);
    this.listeners.clear();
  }
}
