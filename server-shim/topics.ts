import type { TemplatedApp } from 'uWebSockets.js';
import type { Codec } from '../protocol/codec';
import type { EventEnvelope } from '../protocol/frames';
import { LiveError } from './live-error';
import { measurePublishable } from './publishable';
import { PublishIds } from './publish-ids';
import type { ReplayBuffer } from './replay-buffer';
import { NO_TOPICS, type LiveSocket, type SubscriptionRecord } from './socket-data';

/**
 * The uWS topic a socket of a given codec joins. Each codec gets its own uWS topic, so a
 * publish encodes once per codec in use and uWS fans the same bytes out to all its sockets.
 */
export function wireTopic(codecName: string, topic: string): string {
  return `${codecName}\u0000${topic}`;
}

const EMPTY: ReadonlySet<LiveSocket> = new Set();
/** How long a publish id is remembered per topic (as the Redis engine does). */
const PUBLISH_ID_WINDOW_MS = 10 * 60_000;

interface TopicState {
  /**
   * The epoch of this topic's seq space. A topic's state is freed once nobody is subscribed and
   * the replay buffer holds none of its events; when it comes back its seq restarts at 0 under a
   * new epoch, so a client holding an old position reloads instead of resuming over a hole.
   */
  epoch: string;
  seq: number;
  /** The uWS topic per codec, in `codecs` order; built once, not on every publish. */
  wireNames: string[];
  /** Subscribers per codec, in `codecs` order: publish asks uWS nothing it can count here. */
  subscribers: number[];
  /** Subscribers over all codecs. */
  total: number;
  /** Stream loads in progress: their position must stay valid until they join. */
  loading: number;
  /** Kept at least until then (ms since epoch): an SSR load's page resumes from its position. */
  keepUntil: number;
}

/** Per-topic sequence numbers and epochs, encode-once publishing, and who is subscribed. @internal */
export class Topics {
  private readonly topics = new Map<string, TopicState>();
  private readonly members = new Map<string, Set<LiveSocket>>();
  /** Payloads of the publish under way, one per codec (reused: no allocation per publish). */
  private readonly payloads: Array<string | Uint8Array | undefined>;
  private generation = 0;
  /** Ids of recent publishes per topic, for `publishConfirmed(…, { id })` retries. */
  readonly #ids = new PublishIds(PUBLISH_ID_WINDOW_MS);
  /** Publishes since the pressure sampler last read it. */
  publishCount = 0;
  /** Subscriptions over all connections. */
  subscriptionCount = 0;
  /** Told of every join and leave (presence). */
  onMembership: (ws: LiveSocket, topic: string, joined: boolean) => void = () => {};
  /** Told when a topic's state is freed: nobody here needs it (the engine may stop following it). */
  onFree: (topic: string) => void = () => {};

  constructor(
    private readonly app: TemplatedApp,
    private readonly codecs: readonly Codec[],
    private readonly replay: ReplayBuffer,
    private readonly processEpoch: string,
    /**
     * True when the seqs are this process's own (the memory engine): a topic's state then lives as
     * long as its replay, which only this process holds. False when the engine keeps the history
     * (Redis): the state goes with the last subscriber, and the replay held here with it.
     */
    readonly ownsHistory = true,
  ) {
    this.payloads = codecs.map(() => undefined);
    replay.onForget = (topic) => this.freeIfUnused(topic);
  }

  /** Topics with state held (for tests and metrics). */
  get size(): number {
    return this.topics.size;
  }

  /** The last seq stamped on `topic` (0 before the first publish). */
  currentSeq(topic: string): number {
    return this.topics.get(topic)?.seq ?? 0;
  }

  /** The topic's epoch, if its state is held (undefined: any position a client holds is stale). */
  epochIfKnown(topic: string): string | undefined {
    return this.topics.get(topic)?.epoch;
  }

  /** The topic's epoch and seq now; creates its state, which `sweep` frees if nobody comes. */
  positionOf(topic: string): { epoch: string; seq: number } {
    const { epoch, seq } = this.stateOf(topic);
    return { epoch, seq };
  }

  /** Subscribes a socket (idempotent). Call inside a cork when an ack follows. */
  join(ws: LiveSocket, topic: string, record: SubscriptionRecord): void {
    const data = ws.getUserData();
    if (data.topics.has(topic)) return void data.topics.set(topic, record);
    ws.subscribe(wireTopic(data.codec.name, topic));
    if (data.topics === NO_TOPICS) data.topics = new Map();
    data.topics.set(topic, record);
    const state = this.stateOf(topic);
    state.subscribers[this.codecs.indexOf(data.codec)]! += 1;
    state.total++;
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
    const state = this.stateOf(topic);
    state.subscribers[this.codecs.indexOf(data.codec)]! -= 1;
    state.total--;
    const members = this.members.get(topic);
    members?.delete(ws);
    if (members?.size === 0) this.members.delete(topic);
    this.subscriptionCount--;
    this.onMembership(ws, topic, false);
    this.freeIfUnused(topic);
  }

  /** The socket closed: uWS already dropped its subscriptions; forget ours. */
  leaveAll(ws: LiveSocket): void {
    for (const topic of [...ws.getUserData().topics.keys()]) this.leave(ws, topic, false);
  }

  membersOf(topic: string): ReadonlySet<LiveSocket> {
    return this.members.get(topic) ?? EMPTY;
  }

  /**
   * Checks the data, encodes it once per codec with subscribers, and only then stamps the next seq
   * (unless opted out), keeps it for replay and fans it out. Data no codec can carry throws a
   * LiveError to the publisher and takes no seq: no subscriber ever sees a hole for it.
   * The memory engine's publish: the seq is this process's own.
   */
  publish(topic: string, event: string, data: unknown, stampSeq: boolean, sender?: string, id?: string): number | undefined {
    const bytes = measurePublishable(data);
    const state = this.stateOf(topic);
    const published = id === undefined ? undefined : this.#ids.seqOf(topic, id);
    if (published !== undefined) return published; // a retry of a publish made already: not sent twice
    const envelope: EventEnvelope = stampSeq ? { topic, event, data, seq: state.seq + 1 } : { topic, event, data };
    if (sender !== undefined) envelope.sender = sender;
    this.#encode(state, envelope);
    if (stampSeq) {
      state.seq++;
      this.replay.record(topic, event, data, state.seq, bytes, sender);
      if (id !== undefined) this.#ids.remember(topic, id, state.seq);
    }
    this.#fanOut(state);
    if (state.total === 0) this.freeIfUnused(topic); // a topic with subscribers stays: no lookups on the hot path
    return envelope.seq;
  }

  /**
   * An event whose seq another party assigned (the Redis engine: one seq space for the cluster),
   * handed on in order. Kept for replay and sent to this process's subscribers; a topic with no
   * state here has nobody to send it to. `bytes`: its encoded size when known (the engine read it
   * encoded), else measured. Returns false when it could not be encoded.
   */
  deliver(topic: string, envelope: EventEnvelope, bytes?: number): boolean {
    const state = this.topics.get(topic);
    if (!state) return true;
    if (envelope.seq !== undefined) {
      state.seq = envelope.seq;
      const size = bytes ?? measurePublishable(envelope.data);
      this.replay.record(topic, envelope.event, envelope.data, envelope.seq, size, envelope.sender);
    }
    try {
      this.#encode(state, envelope);
    } catch {
      return false;
    }
    this.#fanOut(state);
    return true;
  }

  /**
   * Sets the topic's position as the cluster has it (creating its state): when it starts being
   * followed here, and when its epoch rotated. The replay held for an older epoch is dropped.
   */
  adopt(topic: string, position: { epoch: string; seq: number }): void {
    const state = this.stateOf(topic, position.epoch);
    if (state.epoch !== position.epoch) this.replay.drop(topic);
    state.epoch = position.epoch;
    state.seq = position.seq;
  }

  /** Encodes the envelope for every codec with subscribers into `payloads`; throws a LiveError if one cannot. */
  #encode(state: TopicState, envelope: EventEnvelope): void {
    const { codecs, payloads } = this;
    try {
      for (let i = 0; i < codecs.length; i++) payloads[i] = state.subscribers[i] === 0 ? undefined : codecs[i]!.encode(envelope);
    } catch (error) {
      payloads.fill(undefined);
      this.freeIfUnused(envelope.topic);
      throw new LiveError('INVALID_REQUEST', `the event "${envelope.event}" on "${envelope.topic}" could not be encoded: ${String(error)}`);
    }
    this.publishCount++;
  }

  /** Sends the payloads `#encode` made to each codec's uWS topic. */
  #fanOut(state: TopicState): void {
    const { payloads } = this;
    for (let i = 0; i < payloads.length; i++) {
      const payload = payloads[i];
      if (payload === undefined) continue;
      payloads[i] = undefined;
      this.app.publish(state.wireNames[i]!, payload, typeof payload !== 'string');
    }
  }

  /** Frees every topic nobody subscribes to and the replay buffer no longer covers. */
  sweep(): void {
    for (const topic of this.topics.keys()) this.freeIfUnused(topic);
  }

  private freeIfUnused(topic: string): void {
    const state = this.topics.get(topic);
    if (!state || state.total !== 0 || state.loading !== 0 || state.keepUntil > Date.now()) return;
    if (this.ownsHistory && this.replay.holds(topic)) return;
    this.topics.delete(topic);
    this.#ids.forget(topic);
    if (!this.ownsHistory) this.replay.drop(topic);
    this.onFree(topic);
  }

  /**
   * Keeps the topic's state (and so its epoch) while a stream loads: a slow loader on a quiet
   * topic must not see its starting position freed and begun again under a new epoch.
   * Returns the position at the start and the function that ends the hold.
   */
  holdForLoad(topic: string): { position: { epoch: string; seq: number }; release: (keepMs?: number) => void } {
    const state = this.stateOf(topic);
    state.loading++;
    let released = false;
    return {
      position: { epoch: state.epoch, seq: state.seq },
      /** Ends the hold; with `keepMs`, the state (its epoch) stays that much longer for a client to resume. */
      release: (keepMs = 0) => {
        if (released) return;
        released = true;
        state.loading--;
        state.keepUntil = Math.max(state.keepUntil, Date.now() + keepMs);
        this.freeIfUnused(topic);
      },
    };
  }

  private stateOf(topic: string, givenEpoch?: string): TopicState {
    let state = this.topics.get(topic);
    if (!state) {
      // Unique within the process and across processes: `<process epoch>.<generation>`.
      const epoch = givenEpoch ?? `${this.processEpoch}.${(this.generation++).toString(36)}`;
      state = {
        epoch,
        seq: 0,
        wireNames: this.codecs.map((codec) => wireTopic(codec.name, topic)),
        subscribers: this.codecs.map(() => 0),
        total: 0,
        loading: 0,
        keepUntil: 0,
      };
      this.topics.set(topic, state);
    }
    return state;
  }
}
