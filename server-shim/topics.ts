import type { TemplatedApp } from 'uWebSockets.js';
import type { Codec } from '../protocol/codec';
import type { EventEnvelope } from '../protocol/frames';

/**
 * The uWS topic a socket of a given codec joins. Each codec gets its own uWS topic, so a
 * publish encodes once per codec in use and uWS fans the same bytes out to all its sockets.
 */
export function wireTopic(codecName: string, topic: string): string {
  return `${codecName}\u0000${topic}`;
}

/** Per-topic sequence numbers and encode-once publishing. @internal */
export class Topics {
  private readonly seqs = new Map<string, number>();

  constructor(
    private readonly app: TemplatedApp,
    private readonly codecs: readonly Codec[],
  ) {}

  /** The last seq stamped on `topic` (0 before the first publish). */
  currentSeq(topic: string): number {
    return this.seqs.get(topic) ?? 0;
  }

  /** Stamps the next seq (unless opted out), encodes once per codec with subscribers, fans out. */
  publish(topic: string, event: string, data: unknown, stampSeq: boolean): number | undefined {
    let envelope: EventEnvelope;
    let seq: number | undefined;
    if (stampSeq) {
      seq = this.currentSeq(topic) + 1;
      this.seqs.set(topic, seq);
      envelope = { topic, event, data, seq };
    } else {
      envelope = { topic, event, data };
    }
    for (const codec of this.codecs) {
      const target = wireTopic(codec.name, topic);
      if (this.app.numSubscribers(target) === 0) continue;
      const payload = codec.encode(envelope);
      this.app.publish(target, payload, typeof payload !== 'string');
    }
    return seq;
  }
}
