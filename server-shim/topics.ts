import type { TemplatedApp } from 'uWebSockets.js';
import type { Codec } from '../protocol/codec';
import type { EventEnvelope } from '../protocol/frames';
import type { ReplayBuffer } from './replay-buffer';
import type { LiveSocket } from './socket-data';

/**
 * The uWS topic a socket of a given codec joins. Each codec gets its own uWS topic, so a
 * publish encodes once per codec in use and uWS fans the same bytes out to all its sockets.
 */
export function wireTopic(codecName: string, topic: string): string {
  return `${codecName}\u0000${topic}`;
}

const EMPTY: ReadonlySet<LiveSocket> = new Set();

interface TopicState {
  seq: number;
  /** The uWS topic per codec, in `codecs` order; built once, not on every publish. */
  wireNames: string[];
  /** Subscribers per codec, in `codecs` order: publish asks uWS nothing it can count here. */
  subscribers: number[];
}

/** Per-topic sequence numbers, encode-once publishing, and who is subscribed. @internal */
export class Topics {
  private readonly topics = new Map<string, TopicState>();
  private readonly members = new Map<string, Set<LiveSocket>>();
  /** Publishes since the pressure sampler last read it. */
  publishCount = 0;
  /** Subscriptions over all connections. */
  subscriptionCount = 0;
  /** Told of every join and leave (presence). */
  onMembership: (ws: LiveSocket, topic: string, joined: boolean) => void = () => {};

  constructor(
    private readonly app: TemplatedApp,
    private readonly codecs: readonly Codec[],
    private readonly replay: ReplayBuffer,
  ) {}

  /** The last seq stamped on `topic` (0 before the first publish). */
  currentSeq(topic: string): number {
    return this.topics.get(topic)?.seq ?? 0;
  }

  /** Subscribes a socket (idempotent). Call inside a cork when an ack follows. */
  join(ws: LiveSocket, topic: string): void {
    const data = ws.getUserData();
    if (data.topics.has(topic)) return;
    ws.subscribe(wireTopic(data.codec.name, topic));
    data.topics.add(topic);
    this.stateOf(topic).subscribers[this.codecs.indexOf(data.codec)]! += 1;
    let members = this.members.get(topic);
    if (!members) this.members.set(topic, (members = new Set()));
    members.add(ws);
    this.subscriptionCount++;
    this.onMembership(ws, topic, true);
  }

  leave(ws: LiveSocket, topic: string, socketOpen = true): void {
    const data = ws.getUserData();
    if (!data.topics.delete(topic)) return;
    if (socketOpen) ws.unsubscribe(wireTopic(data.codec.name, topic));
    this.stateOf(topic).subscribers[this.codecs.indexOf(data.codec)]! -= 1;
    const members = this.members.get(topic);
    members?.delete(ws);
    if (members?.size === 0) this.members.delete(topic);
    this.subscriptionCount--;
    this.onMembership(ws, topic, false);
  }

  /** The socket closed: uWS already dropped its subscriptions; forget ours. */
  leaveAll(ws: LiveSocket): void {
    for (const topic of [...ws.getUserData().topics]) this.leave(ws, topic, false);
  }

  membersOf(topic: string): ReadonlySet<LiveSocket> {
    return this.members.get(topic) ?? EMPTY;
  }

  /** Stamps the next seq (unless opted out), encodes once per codec with subscribers, fans out. */
  publish(topic: string, event: string, data: unknown, stampSeq: boolean): number | undefined {
    this.publishCount++;
    const state = this.stateOf(topic);
    const envelope: EventEnvelope = stampSeq ? { topic, event, data, seq: ++state.seq } : { topic, event, data };
    if (stampSeq) this.replay.record(topic, event, data, state.seq);
    for (let i = 0; i < this.codecs.length; i++) {
      if (state.subscribers[i] === 0) continue;
      const payload = this.codecs[i]!.encode(envelope);
      this.app.publish(state.wireNames[i]!, payload, typeof payload !== 'string');
    }
    return envelope.seq;
  }

  private stateOf(topic: string): TopicState {
    let state = this.topics.get(topic);
    if (!state) {
      state = { seq: 0, wireNames: this.codecs.map((codec) => wireTopic(codec.name, topic)), subscribers: this.codecs.map(() => 0) };
      this.topics.set(topic, state);
    }
    return state;
  }
}
