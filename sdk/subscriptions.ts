import type { ErrorBody } from '../protocol/error-codes';
import type { DeniedFrame, EventEnvelope, Position, SubscribeFrame, SubscribedFrame } from '../protocol/frames';

/** What goes on the wire for one subscription. */
export interface SubscriptionRequest {
  topic: string;
  stream: boolean;
  args: unknown[];
  resume: Position | undefined;
}

/** One wire subscription's owner: a raw topic's listeners, or a stream store. @internal */
export interface WireSubscriber {
  request(): SubscriptionRequest;
  onSubscribed(ack: SubscribedFrame): void;
  onEvent(event: EventEnvelope): void;
  onDenied(denial: DeniedFrame): void;
}

/** Starting, restarting (to backfill) and stopping wire subscriptions: what raw topics and streams share. @internal */
export interface WireHost {
  /** Starts a wire subscription (now if open, else on open) and returns its ref. */
  subscribe(subscriber: WireSubscriber): number;
  /** Sends the subscription again with its current resume position: the server replays what was missed. */
  resubscribe(ref: number): void;
  unsubscribe(ref: number): void;
}

interface Entry {
  ref: number;
  subscriber: WireSubscriber;
  /** The topic the server joined, once acknowledged (a stream's may differ from its path). */
  topic: string | undefined;
}

/**
 * Every wire subscription of a client, matched to replies by `ref` and to events by topic.
 * Survives reconnects: on every open the client re-sends {@link frames}.
 * @internal
 */
export class Subscriptions {
  #nextRef = 1;
  readonly #byRef = new Map<number, Entry>();
  readonly #byTopic = new Map<string, Set<Entry>>();

  add(subscriber: WireSubscriber): number {
    const ref = this.#nextRef++;
    this.#byRef.set(ref, { ref, subscriber, topic: undefined });
    return ref;
  }

  /** Forgets the subscription; returns the topic to unsubscribe on the wire when nobody else uses it. */
  remove(ref: number): string | undefined {
    const entry = this.#byRef.get(ref);
    if (!entry) return undefined;
    this.#byRef.delete(ref);
    if (entry.topic === undefined) return undefined;
    const sharing = this.#byTopic.get(entry.topic);
    sharing?.delete(entry);
    if (sharing && sharing.size > 0) return undefined;
    this.#byTopic.delete(entry.topic);
    return entry.topic;
  }

  /** The subscribe frame for `ref`, with its current resume position. */
  frame(ref: number): SubscribeFrame | undefined {
    const entry = this.#byRef.get(ref);
    if (!entry) return undefined;
    const { topic, stream, args, resume } = entry.subscriber.request();
    const frame: SubscribeFrame = { type: 'subscribe', ref, topic, args };
    if (stream) frame.stream = true;
    if (resume) frame.resume = resume;
    return frame;
  }

  frames(): SubscribeFrame[] {
    return [...this.#byRef.keys()].map((ref) => this.frame(ref)!);
  }

  acknowledge(ack: SubscribedFrame): void {
    const entry = this.#byRef.get(ack.ref);
    if (!entry) return;
    if (entry.topic !== ack.topic) {
      if (entry.topic !== undefined) this.#byTopic.get(entry.topic)?.delete(entry);
      entry.topic = ack.topic;
      let sharing = this.#byTopic.get(ack.topic);
      if (!sharing) this.#byTopic.set(ack.topic, (sharing = new Set()));
      sharing.add(entry);
    }
    entry.subscriber.onSubscribed(ack);
  }

  deny(denial: DeniedFrame): void {
    const entry = this.#byRef.get(denial.ref);
    if (!entry) return;
    this.remove(denial.ref);
    entry.subscriber.onDenied(denial);
  }

  /** The server ended every subscription on `topic`: each owner hears it as a denial. */
  revoke(topic: string, error: ErrorBody): void {
    for (const entry of [...(this.#byTopic.get(topic) ?? [])]) {
      this.deny({ ref: entry.ref, topic: entry.subscriber.request().topic, error } as DeniedFrame);
    }
  }

  deliver(event: EventEnvelope): void {
    const sharing = this.#byTopic.get(event.topic);
    if (!sharing) return;
    for (const entry of [...sharing]) entry.subscriber.onEvent(event);
  }
}
