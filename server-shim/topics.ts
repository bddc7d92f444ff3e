import type { TemplatedApp } from 'uWebSockets.js';
import type { Codec } from '../protocol/codec';
import type { EventEnvelope } from '../protocol/frames';
import type { ReplayBuffer } from './replay-buffer';

/**
 * The uWS topic a socket of a given codec joins. Each codec gets its own uWS topic, so a
 * publish encodes once per codec in use and uWS fans the same bytes out to all its sockets.
 */
export function wireTopic(codecName: string, topic: string): string {
  return `${codecName}\u0000${topic}`;
}

interface TopicState {
  seq: number;
  /** The uWS topic per codec, in `codecs` order; built once, not on every publish. */
  wireNames: string[];
}

/** Per-topic sequence numbers and encode-once publishing. @internal */
export class Topics {
  private readonly topics = new Map<string, TopicState>();

  constructor(
    private readonly app: TemplatedApp,
    private readonly codecs: readonly Codec[],
    private readonly replay: ReplayBuffer,
  ) {}

  /** The last seq stamped on `topic` (0 before the first publish). */
  currentSeq(topic: string): number {
    return this.topics.get(topic)?.seq ?? 0;
  }

  /** Stamps the next seq (unless opted out), encodes once per codec with subscribers, fans out. */
  publish(topic: string, event: string, data: unknown, stampSeq: boolean): number | undefined {
    const state = this.stateOf(topic);
    const envelope: EventEnvelope = stampSeq ? { topic, event, data, seq: ++state.seq } : { topic, event, data };
    if (stampSeq) this.replay.record(topic, event, data, state.seq);
    for (let i = 0; i < this.codecs.length; i++) {
      const target = state.wireNames[i]!;
      if (this.app.numSubscribers(target) === 0) continue;
      const payload = this.codecs[i]!.encode(envelope);
      this.app.publish(target, payload, typeof payload !== 'string');
    }
    return envelope.seq;
  }

  private stateOf(topic: string): TopicState {
    let state = this.topics.get(topic);
    if (!state) {
      state = { seq: 0, wireNames: this.codecs.map((codec) => wireTopic(codec.name, topic)) };
      this.topics.set(topic, state);
    }
    return state;
  }
}
