import { ErrorCode, type ErrorBody } from '../protocol/error-codes';
import {
  LOAD_MORE_PATH,
  RESERVED_TOPIC_PREFIX,
  type EventEnvelope,
  type StreamPage,
  type SubscribeFrame,
  type SubscribedFrame,
} from '../protocol/frames';
import type { Context } from './context';
import type { EngineRuntime } from './engine';
import { eventsSince } from './events-since';
import { withCursor } from './connection-context';
import { LiveError } from './live-error';
import type { Logger } from './options';
import type { ReplayBuffer } from './replay-buffer';
import { contextOf, sendFrame, type LiveSocket } from './socket-data';
import { readPage, type StreamDefinition } from './stream-definition';
import type { Topics } from './topics';

/** How many times a stream reloads when more events were published during `load` than the replay buffer holds. */
const LOAD_ATTEMPTS = 3;

export interface SubscribeDeps {
  topics: Topics;
  replay: ReplayBuffer;
  engine: Pick<EngineRuntime, 'follow' | 'history'>;
  streams: ReadonlyMap<string, StreamDefinition>;
  canSubscribe: ((ctx: Context<never>, topic: string, args: unknown[]) => boolean | string | Promise<boolean | string>) | undefined;
  logger: Logger;
  /** Topics one connection may hold at once. */
  maxSubscriptions: number;
}

type Verdict = { topic: string; stream: StreamDefinition | undefined } | { denied: ErrorBody };

/**
 * Subscriptions, raw topics and declared streams alike:
 * 1. resolve the topic (a stream's topic function) and run the access hook;
 * 2. if the client resumes from a position the replay buffer still covers, replay from there;
 * 3. otherwise run the stream's loader, then in one corked step join the topic, send the data
 *    and replay whatever was published while it loaded. Events therefore reach the client after
 *    the data, never before it, and none is lost in between.
 * @internal
 */
export class SubscribeFlow {
  constructor(private readonly deps: SubscribeDeps) {}

  /** Answers every subscribe with `subscribed` or `denied`, whatever fails on the way. */
  async subscribe(ws: LiveSocket, frame: SubscribeFrame): Promise<void> {
    try {
      await this.answer(ws, frame);
    } catch (error) {
      this.deps.logger.error(`[wirestore] subscribing to "${frame.topic}" failed:`, error);
      this.deny(ws, frame, { code: ErrorCode.INTERNAL_ERROR, message: 'the subscription could not be answered' });
    }
  }

  private async answer(ws: LiveSocket, frame: SubscribeFrame): Promise<void> {
    const data = ws.getUserData();
    const args = frame.args ?? [];
    if (this.full(ws)) return this.deny(ws, frame, this.tooMany());
    const verdict = await this.admit(contextOf(data), frame.topic, frame.stream === true, args);
    if (data.closed) return;
    if ('denied' in verdict) return this.deny(ws, frame, verdict.denied);
    const { topic, stream } = verdict;
    const { topics, replay } = this.deps;
    const merge = stream ? { merge: stream.merge, ...(stream.actions && { actions: stream.actions }) } : {};
    // Resuming on a process that does not follow the topic yet: its history is read from the
    // engine while the topic is being followed, not after.
    const early =
      frame.resume && topics.epochIfKnown(topic) === undefined
        ? this.deps.engine.history(topic, frame.resume)?.catch(() => undefined)
        : undefined;
    if (!(await this.follow(topic))) {
      return this.deny(ws, frame, { code: ErrorCode.UNAVAILABLE, message: 'the server cannot reach its topic store; try again' });
    }
    if (data.closed) return;

    if (frame.resume && frame.resume.epoch === topics.epochIfKnown(topic)) {
      const missed = await eventsSince(this.deps, topic, frame.resume, early);
      if (data.closed) return;
      if (missed) return this.join(ws, frame, { ...this.ack(frame, topic), ...merge, seq: frame.resume.seq, resumed: true }, missed);
    }
    if (!stream?.load) return this.join(ws, frame, { ...this.ack(frame, topic), ...merge, resumed: false }, []);

    for (let attempt = 0; attempt < LOAD_ATTEMPTS; attempt++) {
      const hold = topics.holdForLoad(topic);
      const before = hold.position;
      let page: StreamPage;
      try {
        page = readPage(await stream.load(withCursor(contextOf(data), undefined) as never, ...(args as never[])));
      } catch (error) {
        hold.release();
        return this.deny(ws, frame, this.failure(frame.topic, error));
      }
      if (data.closed) return hold.release();
      const publishedMeanwhile = replay.since(topic, before.seq, topics.currentSeq(topic));
      if (!publishedMeanwhile) {
        hold.release();
        continue; // more events than the buffer holds: load again
      }
      const ack: SubscribedFrame = {
        type: 'subscribed',
        ref: frame.ref,
        topic,
        ...before,
        ...merge,
        resumed: false,
        snapshot: true,
        ...page,
      };
      try {
        return this.join(ws, frame, ack, publishedMeanwhile);
      } finally {
        hold.release(); // joined (or refused): the subscription keeps the state from here
      }
    }
    this.deny(ws, frame, { code: ErrorCode.INTERNAL_ERROR, message: 'the topic changed faster than the stream could load; try again' });
  }

  /**
   * The cluster lost the topic's history (its epoch rotated): every subscription of `ws` on it is
   * answered again as if new, without a resume position, so streams reload and raw topics restart
   * from the new position. The client takes the reply as it takes a backfill's.
   */
  async reanswer(ws: LiveSocket, topic: string): Promise<void> {
    const record = ws.getUserData().topics.get(topic);
    if (!record) return;
    for (const ref of record.refs) {
      const frame: SubscribeFrame = { type: 'subscribe', ref, topic: record.name, args: record.args };
      if (record.stream) frame.stream = true;
      await this.subscribe(ws, frame);
    }
  }

  /** Lets the engine catch the topic up with the cluster first; false when it cannot (Redis away). */
  private async follow(topic: string): Promise<boolean> {
    try {
      await this.deps.engine.follow(topic);
      return true;
    } catch (error) {
      this.deps.logger.warn(`[wirestore] could not follow "${topic}":`, error);
      return false;
    }
  }

  /**
   * Asks the access hook again about every subscription of `ws`; the ones it now refuses end, and
   * the client is told with an `unsubscribed` frame. Returns how many ended.
   */
  async recheck(ws: LiveSocket): Promise<number> {
    const data = ws.getUserData();
    let ended = 0;
    for (const [topic, record] of [...data.topics]) {
      const verdict = await this.admit(contextOf(data), record.name, record.stream, record.args);
      if (data.closed) return ended;
      if (!data.topics.has(topic)) continue;
      if ('denied' in verdict || verdict.topic !== topic) {
        this.revoke(
          ws,
          topic,
          'denied' in verdict ? verdict.denied : { code: ErrorCode.FORBIDDEN, message: 'the stream now resolves to another topic' },
        );
        ended++;
      }
    }
    return ended;
  }

  /** Ends one subscription from the server side and tells the client why. */
  revoke(ws: LiveSocket, topic: string, error: ErrorBody): boolean {
    const data = ws.getUserData();
    if (data.closed || !data.topics.has(topic)) return false;
    this.deps.topics.leave(ws, topic);
    sendFrame(ws, { type: 'unsubscribed', topic, error });
    return true;
  }

  /** `loadMore`: the next page of a paginated stream, under the same access rules. */
  async loadMore(ctx: Context, path: unknown, args: unknown, cursor: unknown): Promise<StreamPage> {
    if (typeof path !== 'string' || !Array.isArray(args)) {
      throw new LiveError(ErrorCode.INVALID_REQUEST, `${LOAD_MORE_PATH} takes [streamPath, args, cursor]`);
    }
    const verdict = await this.admit(ctx, path, true, args);
    if ('denied' in verdict) throw new LiveError(verdict.denied.code, verdict.denied.message);
    const load = verdict.stream?.load;
    if (!load) throw new LiveError(ErrorCode.INVALID_REQUEST, `the stream at "${path}" has no loader to page through`);
    return readPage(await load(withCursor(ctx, cursor) as never, ...(args as never[])));
  }

  private async admit(ctx: Context, name: string, isStream: boolean, args: unknown[]): Promise<Verdict> {
    let topic = name;
    let stream: StreamDefinition | undefined;
    if (isStream) {
      stream = this.deps.streams.get(name);
      if (!stream) return { denied: { code: ErrorCode.NOT_FOUND, message: `no stream at "${name}"` } };
      try {
        topic = typeof stream.topic === 'string' ? stream.topic : stream.topic(ctx as never, ...(args as never[]));
      } catch (error) {
        return { denied: this.failure(name, error) };
      }
      if (typeof topic !== 'string' || topic.length === 0) {
        return { denied: { code: ErrorCode.INTERNAL_ERROR, message: `the stream at "${name}" computed no topic` } };
      }
    }
    // Only the shim's own streams (presence, cursors) may use reserved topics; access to them is
    // access to the topic they watch.
    if (!stream && topic.startsWith(RESERVED_TOPIC_PREFIX))
      return { denied: { code: ErrorCode.FORBIDDEN, message: `topics starting with "${RESERVED_TOPIC_PREFIX}" are reserved` } };
    const accessTopic = stream?.accessTopic ? String(stream.accessTopic(ctx as never, ...(args as never[]))) : topic;
    if (this.deps.canSubscribe) {
      let verdict: boolean | string;
      try {
        verdict = await this.deps.canSubscribe(ctx as Context<never>, accessTopic, args);
      } catch (error) {
        this.deps.logger.error(`[wirestore] canSubscribe threw for "${topic}"; denying:`, error);
        verdict = false;
      }
      if (verdict !== true) {
        return { denied: { code: ErrorCode.FORBIDDEN, message: typeof verdict === 'string' ? verdict : 'access denied' } };
      }
    }
    return { topic, stream };
  }

  /** The acknowledgement's head: the topic's epoch and seq now. */
  private ack(frame: SubscribeFrame, topic: string): SubscribedFrame {
    return { type: 'subscribed', ref: frame.ref, topic, ...this.deps.topics.positionOf(topic), resumed: false };
  }

  private full(ws: LiveSocket): boolean {
    return ws.getUserData().topics.size >= this.deps.maxSubscriptions;
  }

  private deny(ws: LiveSocket, frame: SubscribeFrame, error: ErrorBody): void {
    sendFrame(ws, { type: 'denied', ref: frame.ref, topic: frame.topic, error });
  }

  private tooMany(): ErrorBody {
    return { code: ErrorCode.RATE_LIMITED, message: `at most ${this.deps.maxSubscriptions} subscriptions per connection` };
  }

  /**
   * Encodes the acknowledgement first (an event nobody can encode must not leave the client
   * subscribed without an answer), then joins and sends it in one synchronous step: nothing can
   * slip in between.
   */
  private join(ws: LiveSocket, frame: SubscribeFrame, ack: SubscribedFrame, replayed: EventEnvelope[]): void {
    const data = ws.getUserData();
    if (data.closed) return;
    if (!data.topics.has(ack.topic) && this.full(ws)) {
      return this.deny(ws, frame, this.tooMany());
    }
    if (replayed.length > 0) ack.replay = replayed;
    const payload = data.codec.encode(ack);
    const refs = data.topics.get(ack.topic)?.refs.filter((ref) => ref !== frame.ref) ?? [];
    const record = { name: frame.topic, stream: frame.stream === true, args: frame.args ?? [], refs: [...refs, frame.ref] };
    ws.cork(() => {
      this.deps.topics.join(ws, ack.topic, record);
      ws.send(payload, typeof payload !== 'string');
    });
  }

  /** A loader's or topic function's throw as the client sees it: a LiveError as is, anything else hidden. */
  private failure(name: string, error: unknown): ErrorBody {
    if (error instanceof LiveError) return error.toBody();
    this.deps.logger.error(`[wirestore] stream "${name}" failed to load:`, error);
    return { code: ErrorCode.INTERNAL_ERROR, message: 'internal error' };
  }
}
