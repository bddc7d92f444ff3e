import type { DeniedFrame, EventEnvelope, Position, SubscribeFrame, SubscribedFrame } from '../protocol/frames';
import { safeInvoke } from './safe-invoke';

/** Callbacks of one `client.subscribe`. */
export interface SubscribeOptions {
  /** Arguments passed to the server's access hook (and, later, the stream loader). */
  args?: unknown[];
  /** The server accepted; `seq` is the topic's position when the subscription took effect. */
  onSubscribed?: (ack: SubscribedFrame) => void;
  /** The server refused; the subscription is dropped and will not be retried. */
  onDenied?: (denial: DeniedFrame) => void;
}

export type EventListener = (event: EventEnvelope) => void;

interface Subscriber extends SubscribeOptions {
  onEvent: EventListener;
}

interface TopicState {
  args: unknown[];
  subscribers: Set<Subscriber>;
  /** The last (epoch, seq) seen on this topic; sent back as the resume position. */
  position: Position | undefined;
}

/**
 * The client's topics: one wire subscription per topic, however many listeners. Survives
 * reconnects: on every open the client re-sends {@link subscribeFrames}.
 */
export class Subscriptions {
  private readonly topics = new Map<string, TopicState>();

  /** Returns the frame to send when this is the topic's first listener, else undefined. */
  add(topic: string, subscriber: Subscriber): SubscribeFrame | undefined {
    const existing = this.topics.get(topic);
    if (existing) {
      existing.subscribers.add(subscriber);
      return undefined;
    }
    const state: TopicState = { args: subscriber.args ?? [], subscribers: new Set([subscriber]), position: undefined };
    this.topics.set(topic, state);
    return this.frameFor(topic, state);
  }

  /** Returns true when that was the topic's last listener (the caller then unsubscribes on the wire). */
  remove(topic: string, subscriber: Subscriber): boolean {
    const state = this.topics.get(topic);
    if (!state?.subscribers.delete(subscriber)) return false;
    if (state.subscribers.size > 0) return false;
    this.topics.delete(topic);
    return true;
  }

  subscribeFrames(): SubscribeFrame[] {
    return [...this.topics].map(([topic, state]) => this.frameFor(topic, state));
  }

  acknowledge(ack: SubscribedFrame): void {
    const state = this.topics.get(ack.topic);
    if (!state) return;
    if (state.position?.epoch !== ack.epoch) state.position = { epoch: ack.epoch, seq: ack.seq };
    for (const subscriber of [...state.subscribers]) safeInvoke(subscriber.onSubscribed, ack);
  }

  deny(denial: DeniedFrame): void {
    const state = this.topics.get(denial.topic);
    if (!state) return;
    this.topics.delete(denial.topic);
    for (const subscriber of state.subscribers) safeInvoke(subscriber.onDenied, denial);
  }

  deliver(event: EventEnvelope): void {
    const state = this.topics.get(event.topic);
    if (!state) return;
    if (event.seq !== undefined && state.position) state.position = { epoch: state.position.epoch, seq: event.seq };
    for (const subscriber of [...state.subscribers]) safeInvoke(subscriber.onEvent, event);
  }

  private frameFor(topic: string, state: TopicState): SubscribeFrame {
    const frame: SubscribeFrame = { type: 'subscribe', topic, args: state.args };
    if (state.position) frame.resume = { ...state.position };
    return frame;
  }
}
