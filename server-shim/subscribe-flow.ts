import { ErrorCode } from '../protocol/error-codes';
import {
  LOAD_MORE_PATH,
  RESERVED_TOPIC_PREFIX,
  type EventEnvelope,
  type StreamPage,
  type SubscribeFrame,
  type SubscribedFrame,
} from '../protocol/frames';
import type { Context } from './context';
import { LiveError } from './live-error';
import type { Logger } from './options';
import type { ReplayBuffer } from './replay-buffer';
import { sendFrame, type LiveSocket } from './socket-data';
import { readPage, type StreamDefinition } from './stream-definition';
import type { Topics } from './topics';

/** How many times a stream reloads when more events were published during `load` than the replay buffer holds. */
const LOAD_ATTEMPTS = 3;

export interface SubscribeDeps {
  epoch: string;
  topics: Topics;
  replay: ReplayBuffer;
  streams: ReadonlyMap<string, StreamDefinition>;
  canSubscribe: ((ctx: Context<never>, topic: string, args: unknown[]) => boolean | string | Promise<boolean | string>) | undefined;
  logger: Logger;
}

type Verdict = { topic: string; stream: StreamDefinition | undefined } | { denied: string };

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

  async subscribe(ws: LiveSocket, frame: SubscribeFrame): Promise<void> {
    const data = ws.getUserData();
    const args = frame.args ?? [];
    const verdict = await this.admit(data.ctx, frame.topic, frame.stream === true, args);
    if (data.closed) return;
    if ('denied' in verdict) return void sendFrame(ws, { type: 'denied', ref: frame.ref, topic: frame.topic, reason: verdict.denied });
    const { topic, stream } = verdict;
    const { epoch, topics, replay } = this.deps;
    const base = { type: 'subscribed', ref: frame.ref, topic, epoch } as const;
    const merge = stream ? { merge: stream.merge, ...(stream.actions && { actions: stream.actions }) } : {};

    if (frame.resume?.epoch === epoch) {
      const missed = replay.since(topic, frame.resume.seq, topics.currentSeq(topic));
      if (missed) return this.join(ws, { ...base, ...merge, seq: frame.resume.seq, resumed: true }, missed);
    }
    if (!stream?.load) return this.join(ws, { ...base, ...merge, seq: topics.currentSeq(topic), resumed: false }, []);

    for (let attempt = 0; attempt < LOAD_ATTEMPTS; attempt++) {
      const seqBefore = topics.currentSeq(topic);
      let page: StreamPage;
      try {
        page = readPage(await stream.load({ ...data.ctx, cursor: undefined } as never, ...(args as never[])));
      } catch (error) {
        if (data.closed) return;
        return void sendFrame(ws, { type: 'denied', ref: frame.ref, topic: frame.topic, reason: this.failure(frame.topic, error) });
      }
      if (data.closed) return;
      const publishedMeanwhile = replay.since(topic, seqBefore, topics.currentSeq(topic));
      if (!publishedMeanwhile) continue; // more events than the buffer holds: load again
      return this.join(ws, { ...base, ...merge, seq: seqBefore, resumed: false, snapshot: true, ...page }, publishedMeanwhile);
    }
    sendFrame(ws, {
      type: 'denied',
      ref: frame.ref,
      topic: frame.topic,
      reason: 'the topic changed faster than the stream could load; try again',
    });
  }

  /** `loadMore`: the next page of a paginated stream, under the same access rules. */
  async loadMore(ctx: Context, path: unknown, args: unknown, cursor: unknown): Promise<StreamPage> {
    if (typeof path !== 'string' || !Array.isArray(args)) {
      throw new LiveError(ErrorCode.INVALID_REQUEST, `${LOAD_MORE_PATH} takes [streamPath, args, cursor]`);
    }
    const verdict = await this.admit(ctx, path, true, args);
    if ('denied' in verdict) throw new LiveError(ErrorCode.FORBIDDEN, verdict.denied);
    const load = verdict.stream?.load;
    if (!load) throw new LiveError(ErrorCode.INVALID_REQUEST, `the stream at "${path}" has no loader to page through`);
    return readPage(await load({ ...ctx, cursor } as never, ...(args as never[])));
  }

  private async admit(ctx: Context, name: string, isStream: boolean, args: unknown[]): Promise<Verdict> {
    let topic = name;
    let stream: StreamDefinition | undefined;
    if (isStream) {
      stream = this.deps.streams.get(name);
      if (!stream) return { denied: `${ErrorCode.NOT_FOUND}: no stream at "${name}"` };
      try {
        topic = typeof stream.topic === 'string' ? stream.topic : stream.topic(ctx as never, ...(args as never[]));
      } catch (error) {
        return { denied: this.failure(name, error) };
      }
      if (typeof topic !== 'string' || topic.length === 0) return { denied: `the stream at "${name}" computed no topic` };
    }
    // Only the shim's own streams (presence, cursors) may use reserved topics; access to them is
    // access to the topic they watch.
    if (!stream && topic.startsWith(RESERVED_TOPIC_PREFIX))
      return { denied: `topics starting with "${RESERVED_TOPIC_PREFIX}" are reserved` };
    const accessTopic = stream?.accessTopic ? String(stream.accessTopic(ctx as never, ...(args as never[]))) : topic;
    if (this.deps.canSubscribe) {
      let verdict: boolean | string;
      try {
        verdict = await this.deps.canSubscribe(ctx as Context<never>, accessTopic, args);
      } catch (error) {
        this.deps.logger.error(`[wirestore] canSubscribe threw for "${topic}"; denying:`, error);
        verdict = false;
      }
      if (verdict !== true) return { denied: typeof verdict === 'string' ? verdict : ErrorCode.FORBIDDEN };
    }
    return { topic, stream };
  }

  /** Join, then acknowledge with the replay, in one synchronous step: nothing can slip in between. */
  private join(ws: LiveSocket, ack: SubscribedFrame, replayed: EventEnvelope[]): void {
    const data = ws.getUserData();
    if (data.closed) return;
    if (replayed.length > 0) ack.replay = replayed;
    ws.cork(() => {
      this.deps.topics.join(ws, ack.topic);
      sendFrame(ws, ack);
    });
  }

  private failure(name: string, error: unknown): string {
    if (error instanceof LiveError) return `${error.code}: ${error.message}`;
    this.deps.logger.error(`[wirestore] stream "${name}" failed to load:`, error);
    return ErrorCode.INTERNAL_ERROR;
  }
}
